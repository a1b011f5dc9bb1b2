"""Who may see and work which requests: every staff path (pages, admin, bulk actions, merge
targets, exports) asks these functions, so the rule lives in one place.

Two questions, kept apart on purpose:

- *seeing* a request (its page, its reporter's contact details): a department's members see their
  departments' requests; CSRs (``view_all_departments``) look up every request for a caller;
  supervisors and administrators (``work_all_departments``) see everything.
- *working* a request (acknowledge, assign, hold, close, merge, approve a photo…): only the
  department's members and the ``work_all_departments`` roles. A CSR files, looks up, joins and
  transfers, but runs no department action.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from civic311.catalog.models import Department
from civic311.service_requests.models import ServiceRequest

WORK_ALL = "service_requests.work_all_departments"
VIEW_ALL = "service_requests.view_all_departments"
VIEW_INSIGHTS = "service_requests.view_insights"


def works_all(user: User | AnonymousUser) -> bool:
    return bool(user.is_active and user.has_perm(WORK_ALL))


def sees_all(user: User | AnonymousUser) -> bool:
    return works_all(user) or bool(user.is_active and user.has_perm(VIEW_ALL))


def departments_of(user: User | AnonymousUser) -> QuerySet[Department]:
    """The departments whose requests ``user`` may see."""
    if sees_all(user):
        return Department.objects.all()
    return member_departments(user)


def worked_departments(user: User | AnonymousUser) -> QuerySet[Department]:
    """The departments whose requests ``user`` may work."""
    if works_all(user):
        return Department.objects.all()
    return member_departments(user)


def member_departments(user: User | AnonymousUser) -> QuerySet[Department]:
    if not user.is_authenticated or not user.is_active:
        return Department.objects.none()
    return Department.objects.filter(members=user)


def is_staff_worker(user: User | AnonymousUser) -> bool:
    """May use the staff pages at all: a wider role, or membership of a department."""
    return user.is_authenticated and (sees_all(user) or member_departments(user).exists())


def works_any(user: User | AnonymousUser) -> bool:
    """May run department actions on some requests."""
    return user.is_authenticated and (works_all(user) or member_departments(user).exists())


def visible_requests(user: User | AnonymousUser) -> QuerySet[ServiceRequest]:
    if sees_all(user):
        return ServiceRequest.objects.all()
    return ServiceRequest.objects.filter(department__in=member_departments(user))


def workable_requests(user: User | AnonymousUser) -> QuerySet[ServiceRequest]:
    if works_all(user):
        return ServiceRequest.objects.all()
    return ServiceRequest.objects.filter(department__in=member_departments(user))


def may_work(user: User | AnonymousUser, request: ServiceRequest) -> bool:
    if works_all(user):
        return True
    return member_departments(user).filter(pk=request.department_id).exists()
