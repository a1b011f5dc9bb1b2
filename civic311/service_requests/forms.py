"""Forms of the department's work pages; each feeds one action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from civic311.catalog.models import Crew, ResolutionCode
from civic311.service_requests.models import ServiceRequest, WorkOrder


def _staff_choices(sr_department_id: int) -> Any:
    return get_user_model().objects.filter(is_active=True, departments=sr_department_id).order_by("username")


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False, label="Person")
    crew = forms.ModelChoiceField(queryset=Crew.objects.none(), required=False)
    note = forms.CharField(required=False, max_length=4000)

    def __init__(self, *args: Any, department_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _staff_choices(department_id)  # type: ignore[attr-defined]
        self.fields["crew"].queryset = Crew.objects.filter(department_id=department_id, is_active=True)  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    public = forms.BooleanField(required=False, help_text="Public notes are shown to the resident.")


class HoldForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    public = forms.BooleanField(required=False, initial=True)


class WorkOrderForm(forms.Form):
    crew = forms.ModelChoiceField(queryset=Crew.objects.none(), required=False)
    scheduled_for = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000)

    def __init__(self, *args: Any, department_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["crew"].queryset = Crew.objects.filter(department_id=department_id, is_active=True)  # type: ignore[attr-defined]


class CompleteWorkOrderForm(forms.Form):
    order = forms.ModelChoiceField(queryset=WorkOrder.objects.none(), widget=forms.HiddenInput)
    notes = forms.CharField(required=False, max_length=4000, label="Materials and notes")
    close_note = forms.CharField(required=False, max_length=4000, help_text="Public note if this closes the request.")

    def __init__(self, *args: Any, request_obj: ServiceRequest, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = request_obj.work_orders.filter(completed_at__isnull=True)  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    resolution = forms.ModelChoiceField(queryset=ResolutionCode.objects.filter(is_active=True))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, help_text="Public: the resident reads this."
    )


class ReopenForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class MergeForm(forms.Form):
    parent = forms.CharField(label="Duplicate of (tracking number)", max_length=20)
    note = forms.CharField(required=False, max_length=4000)


class ApprovePhotoForm(forms.Form):
    """Nothing to fill in: the button says it all (the photo is shown beside it)."""
