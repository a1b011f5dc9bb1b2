"""How messages leave: each transport is a small Protocol with real implementations, chosen in settings."""

from __future__ import annotations

import base64
import logging
import urllib.error
import urllib.request
from typing import Protocol
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.module_loading import import_string

from civic311.lib.phones import sms_number
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


class TwilioSMSTransport:
    """Text messages through Twilio's Messages API, or any provider that speaks it.

    One POST per message to ``{api_url}/2010-04-01/Accounts/{sid}/Messages.json`` with To, From
    and Body, authenticated with the account id and token. Written with the standard library: the
    call is one form POST, and a provider SDK would add nothing the outbox needs. ``To`` goes in
    E.164 (``+16175550123``), the only form the provider accepts: messages are queued that way, and
    one queued before that rule is put in that form here.
    """

    def send(self, message: Message) -> None:
        sms = settings.CIVIC311_SMS
        to = sms_number(message.to)
        if not to:
            raise ValueError(f"{message.to!r} is not a phone number that can receive texts")
        url = f"{sms['api_url'].rstrip('/')}/2010-04-01/Accounts/{quote(sms['account_sid'])}/Messages.json"
        body = urlencode({"To": to, "From": sms["from"], "Body": message.body_text}).encode()
        credentials = base64.b64encode(f"{sms['account_sid']}:{sms['auth_token']}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 (the URL is the city's configured provider)
            url, data=body, method="POST",
            headers={"Authorization": f"Basic {credentials}", "Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=settings.EMAIL_TIMEOUT) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:  # 4xx/5xx: the provider's words go to the outbox row
            raise RuntimeError(f"SMS provider answered {error.code}: {error.read()[:300]!r}") from error


def transport_for(kind: str) -> Transport:
    path = settings.CIVIC311_TRANSPORTS[kind]
    return import_string(path)()
