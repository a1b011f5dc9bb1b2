"""The staff roles as Django groups, so a city starts with them and edits them in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    # CSRs look up any request for a caller, and file requests.
    "CSR": ["work_all_departments", "view_servicerequest"],
    # Supervisors and the 311 director see and work every department, and the dashboards.
    "Supervisor": ["work_all_departments", "view_insights", "view_servicerequest"],
    # Department staff see and work their own department's requests (Department.members).
    "Department staff": ["view_servicerequest"],
    "Administrator": ["work_all_departments", "view_insights", "view_servicerequest"],
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.add(
            *permission_model.objects.filter(content_type__app_label="service_requests", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("service_requests", "0004_staff_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
