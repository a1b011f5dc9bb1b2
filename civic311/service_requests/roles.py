"""The staff roles as Django groups, so a city starts with them and edits them in the admin.

Used by the migration that creates them (with its historical models) and by anything that must
make sure they exist (tests after a flush, the demo).
"""

from __future__ import annotations

from typing import Any

# Each permission as "app_label.codename"; a permission whose app is not migrated yet is skipped,
# and the migration that creates it runs ensure_roles again.
ROLES: dict[str, list[str]] = {
    # CSRs take contacts in the console, look up any request for a caller, and file requests.
    "CSR": ["service_requests.work_all_departments", "service_requests.view_servicerequest", "contacts.use_console"],
    # Supervisors and the 311 director see and work every department, the dashboards and call statistics.
    "Supervisor": [
        "service_requests.work_all_departments", "service_requests.view_insights",
        "service_requests.view_servicerequest", "contacts.use_console", "contacts.view_call_stats",
    ],
    # Department staff see and work their own department's requests (Department.members).
    "Department staff": ["service_requests.view_servicerequest"],
    "Administrator": [
        "service_requests.work_all_departments", "service_requests.view_insights",
        "service_requests.view_servicerequest", "contacts.use_console", "contacts.view_call_stats",
    ],
}  # fmt: skip


def ensure_roles(group_model: Any = None, permission_model: Any = None) -> None:
    if group_model is None:
        from django.contrib.auth.models import Group, Permission

        group_model, permission_model = Group, Permission
    for name, permissions in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        for permission in permissions:
            app_label, codename = permission.split(".")
            group.permissions.add(
                *permission_model.objects.filter(content_type__app_label=app_label, codename=codename)
            )


def grant_roles_in_migration(apps: Any, schema_editor: Any) -> None:
    """For data migrations: create the permissions of every migrated app (Django makes them only
    after the whole migrate run), then give the roles theirs."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
