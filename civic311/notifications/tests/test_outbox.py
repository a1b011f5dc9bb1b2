"""The outbox against a real SMTP server on loopback (aiosmtpd)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from civic311.notifications.actions import backoff, deliver_due, queue_email, retry_now
from civic311.notifications.models import MAX_ATTEMPTS, Message

pytestmark = pytest.mark.django_db(transaction=True)


def queue(key=None, to="dpw-supervisor@example.org"):
    return queue_email(
        to=to, template="standard_breach", kind="test", dedupe_key=key,
        context={"request": {"tracking_number": "26-00000042", "service_type": {"name": "Pothole", "target_hours": 48},
                             "department": {"name": "Public Works"}}, "due": timezone.now()},
    )  # fmt: skip


def test_a_queued_email_arrives_with_text_and_html(smtp):
    queue()
    assert deliver_due() == (1, 0)
    [(rcpts, mail)] = smtp.inbox.messages
    assert rcpts == ["dpw-supervisor@example.org"]
    assert mail["Subject"] == "[311] OVERDUE: 26-00000042 Pothole missed its standard"
    parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in mail.walk() if not p.is_multipart()}
    assert "missed its performance standard of 48 hours" in parts["text/plain"]
    assert "<strong>missed</strong>" in parts["text/html"]
    assert Message.objects.get().state == Message.State.SENT
    assert deliver_due() == (0, 0)  # never sent twice
    assert len(smtp.inbox.messages) == 1


def test_with_the_server_down_the_outbox_keeps_the_message_and_delivers_it_later(smtp):
    smtp.stop()
    queue()
    assert deliver_due() == (0, 1)
    message = Message.objects.get()
    assert (message.state, message.attempts) == (Message.State.PENDING, 1)
    assert "Connection refused" in message.last_error or "Error" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert deliver_due() == (0, 0)  # not due again before its back-off
    smtp.start()
    assert deliver_due(now=timezone.now() + backoff(1) + timedelta(seconds=1)) == (1, 0)
    assert len(smtp.inbox.messages) == 1
    assert Message.objects.get().state == Message.State.SENT


def test_a_message_queued_in_a_rolled_back_transaction_never_exists(smtp):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the request's transaction failed")
    assert Message.objects.count() == 0
    assert deliver_due() == (0, 0)
    assert smtp.inbox.messages == []


def test_the_same_dedupe_key_is_queued_once(smtp):
    assert queue(key="standard_breach:7") is not None
    assert queue(key="standard_breach:7") is None
    assert Message.objects.count() == 1


def test_after_the_last_attempt_the_message_is_failed_and_can_be_retried(smtp):
    smtp.stop()
    queue()
    Message.objects.update(attempts=MAX_ATTEMPTS - 1)
    deliver_due()
    assert Message.objects.get().state == Message.State.FAILED
    smtp.start()
    assert retry_now(list(Message.objects.values_list("pk", flat=True))) == 1
    assert deliver_due() == (1, 0)


def test_a_message_claimed_by_another_worker_is_left_alone(smtp):
    message = queue()
    Message.objects.filter(pk=message.pk).update(claimed_until=timezone.now() + timedelta(minutes=5))
    assert deliver_due() == (0, 0)
    assert smtp.inbox.messages == []
