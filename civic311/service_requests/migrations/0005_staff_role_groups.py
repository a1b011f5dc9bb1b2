"""The staff roles as Django groups, so a city starts with them and edits them in the admin."""

from django.db import migrations

from civic311.service_requests.roles import ROLES, grant_roles_in_migration


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("service_requests", "0004_staff_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_roles_in_migration, remove_groups)]
