"""A city's own wording of an email is checked against what the email has and must keep."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civic311.notifications import wording
from civic311.notifications.models import EmailText, Message
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db
EMAILS = Path(__file__).resolve().parents[1] / "templates" / "emails"
GOOD = "Thanks. Follow {{ request.tracking_number }} at {{ track_url }}\nStop these emails: {{ unsubscribe_url }}"


def refusal(**fields) -> dict[str, list[str]]:
    text = EmailText(**{"template": "request_received", "language": "en", "subject": "Got it", **fields})
    with pytest.raises(ValidationError) as refused:
        text.full_clean()
    return refused.value.message_dict


def test_wording_that_drops_the_unsubscribe_or_the_tracking_link_is_refused():
    assert refusal(body_text="Thanks. Follow it at {{ track_url }}") == {"body_text": [
        "The plain-text body must contain {{ unsubscribe_url }} (the link that stops emails about this request); "
        "it is missing."]}  # fmt: skip
    assert refusal(body_text="Stop: {{ unsubscribe_url }}") == {"body_text": [
        "The plain-text body must contain {{ track_url }} (the link to the request's public page); it is missing."
    ]}  # fmt: skip
    html = refusal(body_text=GOOD, body_html="<p>Thanks! <a href='{{ track_url }}'>Track it</a></p>")
    assert html == {"body_html": [
        "The HTML body must contain {{ unsubscribe_url }} (the link that stops emails about this request); "
        "it is missing."]}  # fmt: skip


def test_a_link_hidden_in_a_condition_or_a_comment_counts_as_dropped():
    hidden = refusal(body_text="{{ track_url }} {% if request.closed_at %}{{ unsubscribe_url }}{% endif %}")
    assert hidden == {"body_text": [
        "The plain-text body names {{ unsubscribe_url }} (the link that stops emails about this request) but does "
        "not show it when rendered; take it out of the condition or comment around it."]}  # fmt: skip
    commented = refusal(body_text="{{ track_url }} {% comment %}{{ unsubscribe_url }}{% endcomment %}")
    assert "must contain {{ unsubscribe_url }}" in commented["body_text"][0]


def test_an_unknown_variable_is_refused_with_the_emails_own_list():
    refused = refusal(subject="For {{ request.first_name }}", body_text=GOOD + " {{ request.email }}")
    allowed = ", ".join(sorted(wording.EMAILS["request_received"].variables))
    assert refused == {
        "subject": [f"Unknown variable {{{{ request.first_name }}}}: this email has {allowed}."],
        "body_text": [f"Unknown variable {{{{ request.email }}}}: this email has {allowed}."],
    }
    assert "event.note" not in allowed  # a confirmation has no event note; an update has
    assert (
        "{{ parent.tracking_number }}"
        in refusal(template="request_updated", body_text=GOOD + "{{ parent.tracking_number }}")["body_text"][0]
    )


def test_tags_that_read_other_templates_or_dump_the_context_are_refused():
    assert refusal(body_text=GOOD + "{% debug %}")["body_text"][0].startswith(
        "The tag {% debug %} is not allowed in email text; use "
    )
    assert refusal(body_text=GOOD + '{% include "emails/_footer.txt" %}')["body_text"][0].startswith(
        "The tag {% include %} is not allowed"
    )
    assert refusal(body_text=GOOD + "{% load static %}") == {
        "body_text": ["{% load static %} is not allowed; email text may load i18n, l10n, tz."]
    }
    assert refusal(body_text=GOOD, body_html=GOOD + "<p>{{ request.address|safe }}</p>") == {"body_html": [
        "The filter |safe is not allowed in the HTML body: what residents typed must stay escaped."]}  # fmt: skip
    assert refusal(body_text="{% if %}") == {
        "body_text": ["Not a valid template: Unexpected end of expression in if tag."]
    }


def test_staff_notices_must_name_the_request_and_need_no_unsubscribe_link():
    notice = EmailText(template="standard_breach", language="en", subject="Late: {{ request.tracking_number }}",
                       body_text="{{ request.tracking_number }} was due {{ due }}.")  # fmt: skip
    notice.full_clean()
    assert refusal(template="standard_breach", body_text="Something is late.") == {
        "body_text": [
            "The plain-text body must contain {{ request.tracking_number }} (the tracking number); it is missing."
        ]
    }


@pytest.mark.parametrize("template", sorted(wording.EMAILS))
def test_the_shipped_wording_passes_the_same_checks(template):
    """The template files, their footer written in, are valid overrides: the lists are complete."""
    footer = {name: (EMAILS / name).read_text() for name in ("_footer.txt", "_footer.html")}
    for field, name in (("subject", "subject.txt"), ("body_text", "body.txt"), ("body_html", "body.html")):
        text = (EMAILS / template / name).read_text()
        for include, content in footer.items():
            text = text.replace(f'{{% include "emails/{include}" %}}', content)
        assert wording.problems(template, field, text) == [], (template, field)


def test_stored_wording_that_fails_the_checks_gives_way_to_the_template_files(pothole):
    # Saved without the checks (as rows written before them were): it drops both links.
    EmailText.objects.create(
        template="request_received", language="en", subject="Got it", body_text="Thanks, {{ request.tracking_number }}."
    )
    file_request(pothole, email="rosa@example.org")
    sent = Message.objects.get()
    assert sent.subject.startswith("[311] We received your request")
    assert "/notifications/unsubscribe/" in sent.body_text and "/track/" in sent.body_text


def test_the_admin_lists_the_variables_beside_the_fields_and_previews_the_saved_wording(admin_client):
    add = admin_client.get(reverse("admin:notifications_emailtext_add")).content.decode()
    assert "{{ unsubscribe_url }}: the link that stops emails about this request (required)" in add
    assert "standard_breach: {{ request.tracking_number }}: the tracking number (required)" in add
    refused = admin_client.post(
        reverse("admin:notifications_emailtext_add"),
        {"template": "request_received", "language": "en", "subject": "Got it", "body_text": "See {{ track_url }}"},
    )
    assert refused.status_code == 200 and "must contain {{ unsubscribe_url }}" in refused.content.decode()
    assert not EmailText.objects.exists()
    saved = admin_client.post(reverse("admin:notifications_emailtext_add"), {
        "template": "request_received", "language": "en", "subject": "Got {{ request.tracking_number }}",
        "body_text": GOOD, "_continue": "1"})  # fmt: skip
    assert saved.status_code == 302
    page = admin_client.get(saved["Location"]).content.decode()
    assert 'id="preview-subject"><strong>Got 26-00012345</strong>' in page
    assert "Follow 26-00012345 at http" in page and "/notifications/unsubscribe/SAMPLE" in page
    assert "event.note" not in page  # only this email's variables now
