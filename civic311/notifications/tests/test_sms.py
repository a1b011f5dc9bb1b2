"""Text messages: queued for reporters who asked, sent through a Twilio-compatible API served on loopback."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from django.core.checks import run_checks

from civic311.notifications.actions import deliver_due
from civic311.notifications.models import Message
from civic311.service_requests import actions
from civic311.service_requests.tests.factories import file_request
from civic311.service_requests.validators import SubmissionInvalid

pytestmark = pytest.mark.django_db
TWILIO = "civic311.notifications.transports.TwilioSMSTransport"


class FakeProvider(BaseHTTPRequestHandler):
    """A Twilio-shaped endpoint: records each POST; answers 201, or 500 while ``down``."""

    received: list = []
    down = False

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        type(self).received.append((self.path, self.headers["Authorization"], parse_qs(body)))
        self.send_response(500 if type(self).down else 201)
        self.end_headers()
        self.wfile.write(b'{"sid": "SM1"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    FakeProvider.received, FakeProvider.down = [], False
    server = HTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CIVIC311_TRANSPORTS = {**settings.CIVIC311_TRANSPORTS, "sms": TWILIO}
    settings.CIVIC311_SMS = {"api_url": f"http://127.0.0.1:{server.server_port}", "account_sid": "AC123",
                             "auth_token": "secret", "from": "+16175550311"}  # fmt: skip
    yield FakeProvider
    server.shutdown()


def test_a_reporter_who_asked_for_texts_gets_them(provider, pothole):
    sr = file_request(pothole, phone="617-555-0199", sms_updates=True)
    actions.close(sr, actor=actions.SYSTEM, note="Filled.")
    texts = Message.objects.filter(transport="sms").order_by("id")
    assert list(texts.values_list("kind", flat=True)) == ["request_received_sms", "request_closed_sms"]
    assert sr.tracking_number in texts[0].body_text
    assert deliver_due() == (2, 0)
    path, auth, form = provider.received[0]
    assert path == "/2010-04-01/Accounts/AC123/Messages.json" and auth.startswith("Basic ")
    assert form["To"] == ["617-555-0199"] and form["From"] == ["+16175550311"]
    assert sr.tracking_number in form["Body"][0]


def test_a_provider_failure_is_retried_later(provider, pothole):
    provider.down = True
    file_request(pothole, phone="617-555-0199", sms_updates=True)
    assert deliver_due() == (0, 1)
    message = Message.objects.get()
    assert message.state == "pending" and "500" in message.last_error


def test_no_texts_unless_asked(pothole):
    file_request(pothole, phone="617-555-0199")
    assert not Message.objects.filter(transport="sms").exists()


def test_texts_need_a_phone_number(pothole):
    with pytest.raises(SubmissionInvalid, match="phone: is required for text message updates"):
        file_request(pothole, sms_updates=True)


def test_a_half_configured_provider_is_caught_at_start_up(settings):
    settings.CIVIC311_TRANSPORTS = {**settings.CIVIC311_TRANSPORTS, "sms": TWILIO}
    settings.CIVIC311_SMS = {"api_url": "http://127.0.0.1:9", "account_sid": "", "auth_token": "x", "from": ""}
    errors = [e for e in run_checks() if e.id == "civic311.E003"]
    assert errors and "CIVIC311_SMS_ACCOUNT_SID" in errors[0].msg and "CIVIC311_SMS_FROM" in errors[0].msg
