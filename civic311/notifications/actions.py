"""Queueing and delivering messages. Queue inside the transaction that causes the message."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone, translation

from civic311.lib.phones import sms_number
from civic311.notifications.models import MAX_ATTEMPTS, Message
from civic311.notifications.transports import transport_for

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
# Messages whose body is a key to an account (a password-reset link): nobody reads it in the admin,
# and once it has left, the outbox keeps no copy.
SECRET_BODY_KINDS = frozenset({"password_reset"})
REMOVED_BODY = "(removed after sending: it held a password-reset link)"


def render_email(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """(subject, text, html): the city's own wording of this email and language if staff wrote one
    (EmailText), else the templates emails/<template>/{subject.txt, body.txt, body.html}.

    A stored wording that fails today's checks (written before them) is passed over for the files,
    so no resident gets an email without its tracking and unsubscribe links."""
    from civic311.notifications import wording
    from civic311.notifications.models import EmailText

    with translation.override(language):
        own = EmailText.objects.filter(template=template, language=language).first()
        if own is not None and not wording.usable(template, own.subject, own.body_text, own.body_html):
            log.warning("The %s wording of %s fails its checks; the template files are used.", language, template)
            own = None
        if own is not None:
            subject = Template(own.subject).render(Context(context, autoescape=False))
            text = Template(own.body_text).render(Context(context, autoescape=False))
            html = Template(own.body_html).render(Context(context)) if own.body_html else ""
        else:
            subject = render_to_string(f"emails/{template}/subject.txt", context)
            text = render_to_string(f"emails/{template}/body.txt", context)
            html = render_to_string(f"emails/{template}/body.html", context)
    return " ".join(subject.split()), text, html


def _queue(**fields: object) -> Message | None:
    """Write one message in the current transaction; None when its dedupe key was already queued."""
    dedupe_key = fields.get("dedupe_key")
    try:
        with transaction.atomic():
            return Message.objects.create(**fields)
    except IntegrityError:
        if dedupe_key and Message.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise


def queue_email(
    *, to: str, template: str, context: dict, kind: str, language: str = "en", request_id: int | None = None,
    dedupe_key: str | None = None,
) -> Message | None:  # fmt: skip
    """Queue an email in the current transaction; None when the dedupe key was already queued."""
    subject, text, html = render_email(template, context, language)
    return _queue(
        transport=Message.Transport.EMAIL, to=to, subject=subject[:300], body_text=text, body_html=html,
        language=language, kind=kind, request_id=request_id, dedupe_key=dedupe_key,
    )  # fmt: skip


def queue_sms(
    *, to: str, template: str, context: dict, kind: str, language: str = "en", request_id: int | None = None,
    dedupe_key: str | None = None,
) -> Message | None:  # fmt: skip
    """Queue a text message rendered from sms/<template>.txt; None when the dedupe key was already queued or the
    number can receive no texts (requests filed before numbers were checked).

    The message is addressed in E.164, the only form providers accept, however the resident typed the number.
    """
    number = sms_number(to)
    if not number:
        log.warning("No text queued for request %s: %r is not a number that can receive texts", request_id, to)
        return None
    with translation.override(language):
        text = " ".join(render_to_string(f"sms/{template}.txt", context).split())
    return _queue(
        transport=Message.Transport.SMS, to=number, body_text=text, language=language, kind=kind, request_id=request_id,
        dedupe_key=dedupe_key,
    )  # fmt: skip


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most an hour between tries."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def _claim(message_id: int, now: datetime) -> bool:
    """Take a message for LEASE with one conditional UPDATE: only one worker can win it."""
    return (
        Message.objects.filter(pk=message_id, state=Message.State.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + LEASE)
        == 1
    )


def deliver_due(limit: int = 100, now: datetime | None = None) -> tuple[int, int]:
    """Send the pending messages that are due; returns (sent, failed this round)."""
    now = now or timezone.now()
    due = list(
        Message.objects.filter(state=Message.State.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    sent = failed = 0
    for message_id in due:
        if not _claim(message_id, now):
            continue
        message = Message.objects.get(pk=message_id)
        try:
            transport_for(message.transport).send(message)
        except Exception as error:  # any failure of the transport means: try again later
            failed += 1
            attempts = message.attempts + 1
            gave_up = attempts >= MAX_ATTEMPTS
            Message.objects.filter(pk=message_id).update(
                attempts=attempts,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                next_attempt_at=timezone.now() + backoff(attempts),
                claimed_until=None,
                state=Message.State.FAILED if gave_up else Message.State.PENDING,
            )
            log.warning("message %s to %s failed (attempt %s): %s", message_id, message.to, attempts, error)
            continue
        forget = {"body_text": REMOVED_BODY, "body_html": ""} if message.kind in SECRET_BODY_KINDS else {}
        Message.objects.filter(pk=message_id).update(
            state=Message.State.SENT,
            sent_at=timezone.now(),
            attempts=message.attempts + 1,
            claimed_until=None,
            **forget,
        )
        sent += 1
    return sent, failed


@transaction.atomic
def retry_now(message_ids: list[int]) -> int:
    """Put failed or waiting messages back at the front of the queue (the admin's 'retry now')."""
    return (
        Message.objects.filter(pk__in=message_ids)
        .exclude(state=Message.State.SENT)
        .update(state=Message.State.PENDING, next_attempt_at=timezone.now(), claimed_until=None)
    )


def unsubscribe(request_id: int, email: str) -> bool:
    """Stop emails about one request to one address; True if this stopped them (False: already)."""
    from civic311.notifications.models import Unsubscribe

    _, created = Unsubscribe.objects.get_or_create(request_id=request_id, email=email.lower())
    return created
