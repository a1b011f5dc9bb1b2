"""Give the staff roles the console and call-statistics permissions this app defines."""

from django.db import migrations

from civic311.service_requests.roles import grant_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_contacts"),
        ("service_requests", "0005_staff_role_groups"),
    ]

    operations = [migrations.RunPython(grant_roles_in_migration, migrations.RunPython.noop)]
