"""Give the staff roles the console and call-statistics permissions this app defines."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from civic311.service_requests.roles import ensure_roles


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_contacts"),
        ("service_requests", "0005_staff_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
