"""What residents hear, delivered to a real SMTP server on loopback."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from civic311.notifications.actions import deliver_due
from civic311.notifications.models import Message
from civic311.notifications.residents import suppressed
from civic311.service_requests import actions
from civic311.service_requests.models import Channel
from civic311.service_requests.statuses import Status
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db(transaction=True)
STAFF = actions.Actor("dpw")


def kinds_to(address):
    return sorted(Message.objects.filter(to=address).values_list("kind", flat=True))


def body_of(inbox_item):
    message = inbox_item[1]
    return next(part.get_payload(decode=True).decode() for part in message.walk()
                if part.get_content_type() == "text/plain")  # fmt: skip


def test_the_confirmation_arrives_with_the_tracking_number(smtp, pothole):
    sr = file_request(pothole, email="rosa@example.org", address_string="12 Main St")
    assert deliver_due() == (1, 0)
    ((to, message),) = smtp.inbox.messages
    assert to == ["rosa@example.org"]
    assert sr.tracking_number in message["Subject"]
    text = body_of(smtp.inbox.messages[0])
    assert sr.tracking_number in text and "12 Main St" in text and "&#x27;" not in text
    assert re.search(r"/notifications/unsubscribe/\S+", text)
    assert deliver_due() == (0, 0)  # never twice


def test_with_the_smtp_server_down_the_confirmation_waits_and_then_arrives(smtp, pothole):
    smtp.stop()
    sr = file_request(pothole, email="rosa@example.org")
    assert deliver_due() == (0, 1)
    message = Message.objects.get()
    assert message.state == Message.State.PENDING and message.attempts == 1
    smtp.start()
    Message.objects.update(next_attempt_at=message.created_at)
    assert deliver_due() == (1, 0)
    assert sr.tracking_number in smtp.inbox.messages[0][1]["Subject"]


def test_a_rolled_back_request_sends_nothing(pothole):
    with pytest.raises(RuntimeError), transaction.atomic():
        file_request(pothole, email="rosa@example.org")
        raise RuntimeError("the caller hung up before we committed")
    assert not Message.objects.exists()


def test_spanish_reporters_get_spanish_emails(pothole):
    pothole.name_es = "Bache"
    pothole.save()
    file_request(pothole, email="ana@example.org", language="es")
    message = Message.objects.get()
    assert message.language == "es"
    assert message.subject.startswith("[311] Recibimos su solicitud") and "Bache" in message.subject
    assert "Su número de seguimiento es" in message.body_text


def test_public_status_changes_and_the_close_are_sent_internal_notes_are_not(pothole):
    sr = file_request(pothole, email="rosa@example.org")
    actions.change_status(sr, Status.ACKNOWLEDGED, actor=STAFF, note="On the list for this week.")
    actions.change_status(sr, Status.IN_PROGRESS, actor=STAFF, note="Crew log", public=False)
    actions.add_note(sr, actor=STAFF, note="internal", public=False)
    actions.close(sr, actor=STAFF, note="Filled with hot asphalt.")
    assert kinds_to("rosa@example.org") == ["request_closed", "request_received", "request_updated"]
    closed = Message.objects.get(kind="request_closed")
    assert "Filled with hot asphalt." in closed.body_text and "Filled with hot asphalt." in closed.body_html


def test_closing_a_request_notifies_every_reporter(pothole):
    parent = file_request(pothole, email="first@example.org")
    child = file_request(pothole, email="second@example.org", language="es")
    actions.join(child, actor=STAFF, email="neighbor@example.org", channel=Channel.PHONE)
    actions.join(parent, actor=STAFF, email="FIRST@example.org")  # the same person again: one email
    actions.merge_duplicate(child, parent, actor=STAFF)
    assert "request_merged" in kinds_to("second@example.org")
    assert "request_merged" in kinds_to("neighbor@example.org")
    actions.close(parent, actor=STAFF, note="Repaired.")
    closed = Message.objects.filter(kind="request_closed")
    assert sorted(closed.values_list("to", flat=True)) == ["first@example.org", "neighbor@example.org",
                                                           "second@example.org"]  # fmt: skip
    assert closed.get(to="second@example.org").language == "es"


def test_the_unsubscribe_link_asks_then_stops_that_requests_emails(client, pothole):
    sr = file_request(pothole, email="rosa@example.org")
    link = re.search(r"/notifications/unsubscribe/\S+", Message.objects.get().body_text).group(0)
    assert "Stop emails about request" in client.get(link).content.decode()  # a mail scanner's visit changes nothing
    actions.change_status(sr, Status.ACKNOWLEDGED, actor=STAFF)
    assert Message.objects.count() == 2
    assert "no more emails" in client.post(link).content.decode()
    actions.close(sr, actor=STAFF, note="Done.")
    assert kinds_to("rosa@example.org") == ["request_received", "request_updated"]
    forged = client.get(reverse("notifications:unsubscribe", args=["forged-token"]))
    assert forged.status_code == 404


def test_imports_and_the_sample_city_send_nothing(pothole):
    file_request(pothole, email="history@example.org", channel=Channel.IMPORT)
    with suppressed():
        file_request(pothole, email="sample@example.org")
    assert not Message.objects.exists()


def test_a_city_can_write_its_own_wording_of_an_email(pothole):
    from django.core.exceptions import ValidationError

    from civic311.notifications.models import EmailText

    EmailText.objects.create(
        template="request_received", language="en", subject="Got it: {{ request.tracking_number }}",
        body_text="Thanks from Public Works. Follow {{ request.tracking_number }} at {{ track_url }}\n"
                  "No more emails: {{ unsubscribe_url }}",
    )  # fmt: skip
    sr = file_request(pothole, email="rosa@example.org")
    file_request(pothole, email="ana@example.org", language="es")  # no Spanish wording: the template files
    mine = Message.objects.get(to="rosa@example.org")
    assert mine.subject == f"Got it: {sr.tracking_number}"
    assert mine.body_text.startswith("Thanks from Public Works.") and "/track/" in mine.body_text
    assert "/notifications/unsubscribe/" in mine.body_text
    assert Message.objects.get(to="ana@example.org").subject.startswith("[311] Recibimos")
    with pytest.raises(ValidationError):
        EmailText(template="request_closed", language="en", subject="{% if %}", body_text="x").full_clean()
