"""How messages leave: each transport is a small Protocol with real implementations, chosen in settings."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.module_loading import import_string

from civic311.notifications.models import Message

log = logging.getLogger(__name__)


class Transport(Protocol):
    def send(self, message: Message) -> None:
        """Deliver the message or raise; a raise means 'try again later'."""


class DjangoEmailTransport:
    """Email through Django's configured backend (SMTP in production, console in the demo)."""

    def send(self, message: Message) -> None:
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            connection=get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT),
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        email.send(fail_silently=False)


class ConsoleSMSTransport:
    """Writes text messages to the log: the default until a city configures an SMS provider."""

    def send(self, message: Message) -> None:
        log.info("SMS to %s: %s", message.to, message.body_text)


def transport_for(kind: str) -> Transport:
    path = settings.CIVIC311_TRANSPORTS[kind]
    return import_string(path)()
