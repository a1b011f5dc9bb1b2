"""The staff roles as Django groups, so a city starts with them and edits them in the admin.

Used by the migration that creates them (with its historical models) and by anything that must
make sure they exist (tests after a flush, the demo).
"""

from __future__ import annotations

from typing import Any


def _manage(*models: str) -> list[str]:
    """Add, change, delete and view permissions of ``models`` ("app_label.model")."""
    return [
        f"{m.split('.')[0]}.{verb}_{m.split('.')[1]}" for m in models for verb in ("add", "change", "delete", "view")
    ]


# Everything a city configures in the admin: the catalog, routing, calendars, districts, the knowledge
# base, email wording and Open311 applications. Not users and groups: granting roles stays with superusers.
CITY_CONFIGURATION = [
    *_manage(
        "catalog.department", "catalog.businesscalendar", "catalog.closedday", "catalog.crew", "catalog.resolutioncode",
        "catalog.servicetype", "catalog.attribute", "catalog.attributevalue", "catalog.routingrule", "geo.district",
        "knowledge.article", "knowledge.articletext", "knowledge.synonym", "notifications.emailtext",
        "open311.application",
    ),
    "knowledge.view_searchlog", "open311.view_apikey", "open311.change_apikey", "notifications.view_message",
    "notifications.change_message",
    "contacts.view_contact",
]  # fmt: skip

# Each permission as "app_label.codename"; a permission whose app is not migrated yet is skipped,
# and the migration that creates it runs ensure_roles again.
ROLES: dict[str, list[str]] = {
    # CSRs take contacts in the console, look up any request for a caller, and file requests; they
    # run no department action (see access.py).
    "CSR": ["service_requests.view_all_departments", "service_requests.view_servicerequest", "contacts.use_console"],
    # Supervisors and the 311 director see and work every department, the dashboards and call statistics.
    "Supervisor": [
        "service_requests.work_all_departments", "service_requests.view_insights",
        "service_requests.view_servicerequest", "contacts.use_console", "contacts.view_call_stats",
    ],
    # Department staff see and work their own department's requests (Department.members).
    "Department staff": ["service_requests.view_servicerequest"],
    # The city's administrators: everything a supervisor may, and the city's configuration in the admin
    # (members get staff status, so they need not be superusers).
    "Administrator": [
        "service_requests.work_all_departments", "service_requests.view_insights",
        "service_requests.view_servicerequest", "contacts.use_console", "contacts.view_call_stats",
        *CITY_CONFIGURATION,
    ],
}  # fmt: skip

# Roles whose members work in the admin, so joining one gives staff status (Django's admin needs it).
ADMIN_ROLES = frozenset({"Administrator"})


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


def grant_staff_status(users: Any, group_names: Any) -> int:
    """Give staff status to ``users`` when one of ``group_names`` is an admin role; returns how many
    changed. Called whenever users join groups, from either side of the relation."""
    if not ADMIN_ROLES & set(group_names):
        return 0
    return int(users.filter(is_staff=False).update(is_staff=True))


def on_groups_changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
    """``m2m_changed`` of User.groups: members added to an admin role get staff status."""
    if action != "post_add" or not pk_set:
        return
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    users = get_user_model().objects
    if reverse:  # group.user_set.add(...): instance is the group, pk_set the users
        grant_staff_status(users.filter(pk__in=pk_set), [instance.name])
    elif grant_staff_status(
        users.filter(pk=instance.pk), Group.objects.filter(pk__in=pk_set).values_list("name", flat=True)
    ):
        instance.is_staff = True
