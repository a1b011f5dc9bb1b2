"""The password-reset email goes through the outbox, against a real SMTP server on loopback."""

import re
from datetime import timedelta
from email.header import decode_header, make_header
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from civic311.notifications.actions import REMOVED_BODY, backoff, deliver_due
from civic311.notifications.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_member(django_user_model):
    return django_user_model.objects.create_user("rosa.dpw", email="rosa@dpw.example.org", password="old-pw-1234")


def body_of(mail, content_type="text/plain"):
    parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in mail.walk() if not p.is_multipart()}
    return parts[content_type]


def test_a_reset_asked_while_the_mail_server_is_down_arrives_when_it_is_back(client, smtp, staff_member, settings):
    settings.CIVIC311_PUBLIC_URL = "https://311.city.example"
    smtp.stop()
    response = client.post("/accounts/password_reset/", {"email": "rosa@dpw.example.org"})
    assert response.status_code == 302
    message = Message.objects.get(kind="password_reset")
    assert (message.to, message.state) == ("rosa@dpw.example.org", Message.State.PENDING)
    assert deliver_due() == (0, 1)  # the server is down: kept, to be tried again
    smtp.start()
    assert deliver_due(now=timezone.now() + backoff(1) + timedelta(seconds=1)) == (1, 0)

    [(recipients, mail)] = smtp.inbox.messages
    assert recipients == ["rosa@dpw.example.org"]
    assert mail["Subject"] == "[311] Reset your password for Sample City"
    text = body_of(mail)
    assert "rosa.dpw" in text
    link = re.search(r"https://311\.city\.example(/accounts/reset/\S+)", text)[1]
    assert link in body_of(mail, "text/html")

    # Once sent, the outbox keeps no copy of the link.
    message.refresh_from_db()
    assert (message.state, message.body_text, message.body_html) == (Message.State.SENT, REMOVED_BODY, "")
    assert link not in message.body_text

    # The link works: choose a new password, then log in with it.
    form_page = client.get(link)
    assert form_page.status_code == 302
    done = client.post(form_page.url, {"new_password1": "a-new-pw-5678!", "new_password2": "a-new-pw-5678!"})
    assert urlsplit(done.url).path == "/accounts/reset/done/"
    assert client.login(username="rosa.dpw", password="a-new-pw-5678!")


def test_a_reset_for_an_unknown_address_queues_nothing(client, smtp, staff_member):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302  # the same answer, so addresses cannot be probed
    assert not Message.objects.exists()


def test_the_reset_email_is_written_in_the_language_of_the_page(client, smtp, staff_member):
    client.post("/accounts/password_reset/", {"email": "rosa@dpw.example.org"}, HTTP_ACCEPT_LANGUAGE="es")
    assert Message.objects.get(kind="password_reset").language == "es"
    deliver_due()
    [(_, mail)] = smtp.inbox.messages
    assert str(make_header(decode_header(mail["Subject"]))) == "[311] Restablezca su contraseña de Sample City"
    assert "Elija una contraseña nueva aquí:" in body_of(mail)


def test_the_admin_never_shows_a_waiting_reset_link(client, admin_client, smtp, staff_member):
    smtp.stop()
    client.post("/accounts/password_reset/", {"email": "rosa@dpw.example.org"})
    message = Message.objects.get(kind="password_reset")
    link = re.search(r"/accounts/reset/\S+", message.body_text)[0]
    page = admin_client.get(f"/admin/notifications/message/{message.pk}/change/")
    assert page.status_code == 200
    assert "rosa@dpw.example.org" in page.content.decode()
    assert link not in page.content.decode()
