"""Who may see and work which requests: a department's staff their own; wider roles everything."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from civic311.catalog.models import Department
from civic311.service_requests.models import ServiceRequest

WORK_ALL = "service_requests.work_all_departments"
VIEW_INSIGHTS = "service_requests.view_insights"


def sees_all(user: User | AnonymousUser) -> bool:
    return bool(user.is_active and user.has_perm(WORK_ALL))


def departments_of(user: User | AnonymousUser) -> QuerySet[Department]:
    if sees_all(user):
        return Department.objects.all()
    if not user.is_authenticated:
        return Department.objects.none()
    return Department.objects.filter(members=user)


def is_staff_worker(user: User | AnonymousUser) -> bool:
    """May use the staff pages at all: a wider role, or membership of a department."""
    return user.is_authenticated and (sees_all(user) or departments_of(user).exists())


def visible_requests(user: User | AnonymousUser) -> QuerySet[ServiceRequest]:
    if sees_all(user):
        return ServiceRequest.objects.all()
    return ServiceRequest.objects.filter(department__in=departments_of(user))
