"""The staff roles as Django groups, so a city starts with them and edits them in the admin.

Used by the migration that creates them (with its historical models) and by anything that must
make sure they exist (tests after a flush, the demo).
"""

from __future__ import annotations

from typing import Any

ROLES: dict[str, list[str]] = {
    # CSRs look up any request for a caller, and file requests.
    "CSR": ["work_all_departments", "view_servicerequest"],
    # Supervisors and the 311 director see and work every department, and the dashboards.
    "Supervisor": ["work_all_departments", "view_insights", "view_servicerequest"],
    # Department staff see and work their own department's requests (Department.members).
    "Department staff": ["view_servicerequest"],
    "Administrator": ["work_all_departments", "view_insights", "view_servicerequest"],
}


def ensure_roles(group_model: Any = None, permission_model: Any = None) -> None:
    if group_model is None:
        from django.contrib.auth.models import Group, Permission

        group_model, permission_model = Group, Permission
    for name, codenames in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.add(
            *permission_model.objects.filter(content_type__app_label="service_requests", codename__in=codenames)
        )
