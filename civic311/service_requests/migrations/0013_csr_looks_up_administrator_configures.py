"""CSRs look up every department's requests but no longer work them; the Administrator role gets the
permissions to configure the city in the admin (without being a superuser), and its members staff status."""

from django.db import migrations

from civic311.service_requests.roles import ADMIN_ROLES, grant_roles_in_migration


def forwards(apps, schema_editor):
    grant_roles_in_migration(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    work_all = Permission.objects.filter(content_type__app_label="service_requests", codename="work_all_departments")
    for csr in Group.objects.filter(name="CSR"):
        csr.permissions.remove(*work_all)
    User = apps.get_model("auth", "User")
    User.objects.filter(groups__name__in=ADMIN_ROLES, is_staff=False).update(is_staff=True)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    work_all = Permission.objects.filter(content_type__app_label="service_requests", codename="work_all_departments")
    for csr in Group.objects.filter(name="CSR"):
        csr.permissions.add(*work_all)


class Migration(migrations.Migration):
    dependencies = [
        ("service_requests", "0012_request_photo_approval_and_application"),
        ("catalog", "0007_service_access_and_privacy"),
        ("contacts", "0004_contact_use_days"),
        ("geo", "0001_initial"),
        ("knowledge", "0003_search_terms_synonyms_and_question_log"),
        ("notifications", "0003_email_texts"),
        ("open311", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
