"""The department's work pages: the queue and a request's page. Every change goes through actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from civic311.catalog.models import Crew
from civic311.service_requests import actions, forms
from civic311.service_requests.access import (
    departments_of,
    is_staff_worker,
    may_work,
    visible_requests,
    workable_requests,
    worked_departments,
    works_any,
)
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.privacy import photo_awaits_approval
from civic311.service_requests.statuses import OPEN_STATUSES, Status
from civic311.service_requests.validators import SubmissionInvalid

SORTS = {"due": ["expected_at", "id"], "newest": ["-requested_at", "-id"], "oldest": ["requested_at", "id"]}
DUE_SOON = timedelta(hours=24)


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_worker(request.user):
            raise PermissionDenied("The work pages are for department staff, CSRs and supervisors.")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _queue_rows(request: HttpRequest) -> tuple[QuerySet[ServiceRequest], dict[str, str]]:
    params = {k: request.GET.get(k, "") for k in ("department", "status", "due", "sort", "q")}
    qs = visible_requests(request.user).select_related("service_type", "department", "assigned_to", "crew")
    if params["department"].isdigit():
        qs = qs.filter(department_id=int(params["department"]))
    if params["status"] in Status.values:
        qs = qs.filter(status=params["status"])
    else:
        qs = qs.filter(status__in=sorted(OPEN_STATUSES))
    now = timezone.now()
    if params["due"] == "overdue":
        qs = qs.filter(expected_at__lt=now)
    elif params["due"] == "soon":
        qs = qs.filter(expected_at__gte=now, expected_at__lt=now + DUE_SOON)
    number = ServiceRequest.objects.get_by_tracking_number(params["q"]) if params["q"] else None
    if params["q"]:
        qs = qs.filter(pk=number.pk if number else 0)
    return qs.order_by(*SORTS.get(params["sort"], SORTS["due"])), params


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """A department's open requests, due soonest first, with overdue and due-soon marked."""
    qs, params = _queue_rows(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    departments = departments_of(request.user)
    crews = Crew.objects.filter(department__in=worked_departments(request.user), is_active=True)
    return render(
        request,
        "service_requests/queue.html",
        {"page": page, "params": params, "departments": departments, "statuses": Status.choices,
         "crews": crews.select_related("department"), "can_work": works_any(request.user),
         "now": timezone.now(), "due_soon": timezone.now() + DUE_SOON},
    )  # fmt: skip


@staff_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Acknowledge or assign several requests at once; each goes through its action.

    Only requests (and crews) of departments the user works are touched; a CSR works none."""
    if not works_any(request.user):
        raise PermissionDenied("Only department staff and supervisors work requests.")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    chosen = list(workable_requests(request.user).filter(pk__in=ids))
    actor = actions.Actor.for_user(request.user)  # type: ignore[arg-type]
    done, refused = 0, []
    op = request.POST.get("op")
    crews = Crew.objects.filter(department__in=worked_departments(request.user))
    crew = crews.filter(pk=request.POST.get("crew") or 0).first()
    for sr in chosen:
        try:
            if op == "acknowledge":
                actions.change_status(sr, Status.ACKNOWLEDGED, actor=actor)
            elif op == "assign" and crew is not None:
                actions.assign(sr, actor=actor, crew=crew)
            else:
                refused.append("choose an action (and a crew to assign)")
                break
            done += 1
        except actions.TransitionRefused as error:
            refused.append(str(error))
    if done:
        messages.success(request, f"Updated {done} request(s).")
    for text in refused[:5]:
        messages.error(request, text)
    return HttpResponseRedirect(_same_site(request, request.POST.get("next", "")) or reverse("work:queue"))


def _same_site(request: HttpRequest, url: str) -> str:
    """``url`` if it stays on this site (a page to go back to), else "": never an open redirect."""
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if safe else ""


def _visible_or_404(request: HttpRequest, pk: int) -> ServiceRequest:
    return get_object_or_404(
        visible_requests(request.user).select_related("service_type", "department", "assigned_to", "crew", "parent"),
        pk=pk,
    )


def _forms(sr: ServiceRequest, data: Any = None) -> dict[str, Any]:
    dept = sr.department_id
    return {
        "assign": forms.AssignForm(data, department_id=dept, initial={"user": sr.assigned_to_id, "crew": sr.crew_id}),
        "note": forms.NoteForm(data),
        "hold": forms.HoldForm(data),
        "work_order": forms.WorkOrderForm(data, department_id=dept),
        "complete": forms.CompleteWorkOrderForm(data, request_obj=sr),
        "close": forms.CloseForm(data),
        "reopen": forms.ReopenForm(data),
        "merge": forms.MergeForm(data),
        "approve_photo": forms.ApprovePhotoForm(data),
    }


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    sr = _visible_or_404(request, pk)
    can_work = may_work(request.user, sr)
    all_forms = _forms(sr)
    if request.method == "POST":
        if not can_work:
            raise PermissionDenied(f"Only {sr.department.name}'s staff and supervisors work this request.")
        op = request.POST.get("op", "")
        posted = _forms(sr, request.POST)
        form = posted.get(op)
        if form is None:
            messages.error(request, "Unknown action.")
        elif not form.is_valid():
            all_forms[op] = form  # shown again with its errors and what was typed
            messages.error(request, "Please correct the form below.")
        else:
            try:
                _apply(op, sr, form.cleaned_data, request.user)  # type: ignore[arg-type]
                messages.success(request, "Saved.")
                return HttpResponseRedirect(reverse("work:detail", args=[sr.pk]))
            except (actions.TransitionRefused, SubmissionInvalid) as error:
                all_forms[op] = form
                messages.error(request, str(error))
    events = sr.events.select_related("actor").order_by("-at", "-id")
    return render(
        request,
        "service_requests/detail.html",
        {"sr": sr, "forms": all_forms, "events": events, "work_orders": sr.work_orders.select_related("crew"),
         "duplicates": sr.duplicates.all(), "now": timezone.now(), "can_work": can_work,
         "photo_awaits_approval": photo_awaits_approval(sr)},
    )  # fmt: skip


def _apply(op: str, sr: ServiceRequest, data: dict[str, Any], user: Any) -> None:
    actor = actions.Actor.for_user(user)
    if op == "assign":
        actions.assign(sr, actor=actor, user=data["user"], crew=data["crew"], note=data["note"])
    elif op == "note":
        actions.add_note(sr, actor=actor, note=data["note"], public=data["public"])
    elif op == "hold":
        actions.hold(sr, actor=actor, reason=data["reason"], public=data["public"])
    elif op == "work_order":
        actions.create_work_order(
            sr, actor=actor, crew=data["crew"], scheduled_for=data["scheduled_for"], notes=data["notes"]
        )
    elif op == "complete":
        actions.complete_work_order(data["order"], actor=actor, notes=data["notes"], close_note=data["close_note"])
    elif op == "close":
        actions.close(sr, actor=actor, note=data["note"], resolution=data["resolution"])
    elif op == "reopen":
        actions.reopen(sr, actor=actor, note=data["note"])
    elif op == "merge":
        parent = ServiceRequest.objects.get_by_tracking_number(data["parent"])
        if parent is None:
            raise actions.TransitionRefused(f"No request has the tracking number {data['parent']!r}.")
        if not workable_requests(user).filter(pk=parent.pk).exists():
            raise actions.TransitionRefused(
                f"{parent.tracking_number} belongs to {parent.department.name}; merge only into requests of "
                "departments you work."
            )
        actions.merge_duplicate(sr, parent, actor=actor, note=data["note"])
    elif op == "approve_photo":
        actions.approve_photo(sr, actor=actor)


@staff_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    sr = _visible_or_404(request, pk)
    if not may_work(request.user, sr):
        raise PermissionDenied(f"Only {sr.department.name}'s staff and supervisors work this request.")
    try:
        actions.change_status(sr, Status.ACKNOWLEDGED, actor=actions.Actor.for_user(request.user))  # type: ignore[arg-type]
        messages.success(request, "Acknowledged.")
    except actions.TransitionRefused as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(reverse("work:detail", args=[sr.pk]))
