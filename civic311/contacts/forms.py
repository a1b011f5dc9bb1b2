"""Forms of the CSR console; each feeds one action in ``actions.py``, which does the checking."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civic311.catalog.models import Department
from civic311.contacts.models import Contact


class StartForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Contact.Channel.choices, initial=Contact.Channel.PHONE)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Contact.Direction.choices, initial=Contact.Direction.INBOUND
    )
    caller_phone = forms.CharField(label=_("Caller's phone"), required=False, max_length=40)
    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=200)
    caller_email = forms.CharField(label=_("Caller's email"), required=False, max_length=254)
    language = forms.ChoiceField(label=_("Caller's language"), choices=settings.LANGUAGES, initial="en")


class CallerForm(forms.Form):
    caller_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    caller_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    caller_email = forms.CharField(label=_("Email"), required=False, max_length=254)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class TransferForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.filter(is_active=True), label=_("Department"))
    note = forms.CharField(label=_("Why"), required=False, max_length=4000)


class WrapUpForm(forms.Form):
    """Kind and outcome left empty are judged at wrap-up from what happened on the contact."""

    kind = forms.ChoiceField(
        label=_("Kind of contact"), choices=[("", _("From what happened")), *Contact.Kind.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("From what happened")), *Contact.Outcome.choices], required=False
    )
    note = forms.CharField(
        label=_("Wrap-up note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
