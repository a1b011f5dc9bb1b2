from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Lower


def confirm_existing_and_drop_repeats(apps, schema_editor):
    """Followers from before confirmation existed already hear the news: they stay confirmed. The
    same address following one request again (the follow form could be sent over and over) is
    kept once, the earliest. Joining is no longer a public history line, so the lines written so
    far (anyone could add them) become internal; their text is unchanged."""
    Follower = apps.get_model("service_requests", "Follower")
    Event = apps.get_model("service_requests", "ServiceRequestEvent")
    Follower.objects.update(confirmed_at=F("joined_at"))
    seen, repeats = set(), []
    for pk, request_id, email in (
        Follower.objects.exclude(email="").order_by("request_id", "joined_at", "id").values_list("pk", "request_id", "email")
    ):
        address = (request_id, email.lower())
        if address in seen:
            repeats.append(pk)
        seen.add(address)
    for start in range(0, len(repeats), 500):
        Follower.objects.filter(pk__in=repeats[start : start + 500]).delete()
    Event.objects.filter(kind="joined", is_public=True).update(is_public=False)


class Migration(migrations.Migration):

    dependencies = [
        ('service_requests', '0010_sms_updates'),
    ]

    operations = [
        migrations.AddField(
            model_name='follower',
            name='confirmed_at',
            field=models.DateTimeField(blank=True, help_text='Empty: waiting for the address to confirm.', null=True),
        ),
        migrations.RunPython(confirm_existing_and_drop_repeats, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='follower',
            constraint=models.UniqueConstraint(models.F('request'), Lower('email'), condition=models.Q(('email', ''), _negated=True), name='follower_one_per_address'),
        ),
    ]
