"""Text messages: queued for reporters who asked, sent through a Twilio-compatible API served on loopback."""

import base64
import json
import re
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode

import pytest
from django.core.checks import run_checks

from civic311.notifications.actions import deliver_due
from civic311.notifications.models import Message
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.tests.factories import file_request
from civic311.service_requests.validators import SubmissionInvalid

pytestmark = pytest.mark.django_db
TWILIO = "civic311.notifications.transports.TwilioSMSTransport"


E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")


class FakeProvider(BaseHTTPRequestHandler):
    """A Twilio-shaped endpoint: records each POST; answers 201 with the message, 500 while ``down``, and refuses
    what Twilio refuses with Twilio's error shape and codes: wrong credentials (401, 20003), a missing or non-E.164
    ``To`` (400, 21604 / 21211), a missing ``From`` (21603) or ``Body`` (21602)."""

    received: list = []
    down = False
    credentials = "Basic " + base64.b64encode(b"AC123:secret").decode()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        form = parse_qs(body)
        type(self).received.append((self.path, self.headers["Authorization"], form))
        to, sender, text = (form.get(name, [""])[0] for name in ("To", "From", "Body"))
        if type(self).down:
            return self.answer(500, {"code": 20500, "message": "Internal Server Error"})
        if self.headers["Authorization"] != self.credentials:
            return self.answer(401, {"code": 20003, "message": "Authenticate"})
        if not to:
            return self.answer(400, {"code": 21604, "message": "A 'To' phone number is required."})
        if not E164.match(to):
            return self.answer(400, {"code": 21211, "message": f"Invalid 'To' Phone Number: {to}"})
        if not sender:
            return self.answer(400, {"code": 21603, "message": "A 'From' phone number is required."})
        if not text:
            return self.answer(400, {"code": 21602, "message": "Message body is required."})
        return self.answer(201, {"sid": "SM1", "to": to, "from": sender, "body": text, "status": "queued"})

    def answer(self, status, document):
        if status >= 400:  # Twilio's error document: code, message, more_info, status
            document = {**document, "more_info": f"https://www.twilio.com/docs/errors/{document['code']}",
                        "status": status}  # fmt: skip
        payload = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

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
    FakeProvider.url = f"{settings.CIVIC311_SMS['api_url']}/2010-04-01/Accounts/AC123/Messages.json"
    yield FakeProvider
    server.shutdown()
    server.server_close()


def post_to(provider, **form):
    """POST a form straight to the fake provider; (status, JSON answer)."""
    request = urllib.request.Request(provider.url, data=urlencode(form).encode(), method="POST",
                                     headers={"Authorization": provider.credentials})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_the_fake_provider_refuses_what_twilio_refuses(provider):
    assert post_to(provider, To="+16175550199", From="+16175550311", Body="Hi")[0] == 201
    status, answer = post_to(provider, To="617-555-0199", From="+16175550311", Body="Hi")
    assert status == 400 and answer["code"] == 21211 and answer["status"] == 400 and "more_info" in answer
    assert post_to(provider, From="+16175550311", Body="Hi")[1]["code"] == 21604
    assert post_to(provider, To="+16175550199", Body="Hi")[1]["code"] == 21603
    assert post_to(provider, To="+16175550199", From="+16175550311")[1]["code"] == 21602


def test_a_reporter_who_asked_for_texts_gets_them(provider, pothole):
    sr = file_request(pothole, phone="617-555-0199", sms_updates=True)
    actions.close(sr, actor=actions.SYSTEM, note="Filled.")
    texts = Message.objects.filter(transport="sms").order_by("id")
    assert list(texts.values_list("kind", flat=True)) == ["request_received_sms", "request_closed_sms"]
    assert {t.to for t in texts} == {"+16175550199"}  # E.164, however the resident typed it
    assert sr.tracking_number in texts[0].body_text
    assert deliver_due() == (2, 0)
    path, auth, form = provider.received[0]
    assert path == "/2010-04-01/Accounts/AC123/Messages.json" and auth.startswith("Basic ")
    assert form["To"] == ["+16175550199"] and form["From"] == ["+16175550311"]
    assert sr.tracking_number in form["Body"][0]
    assert ServiceRequest.objects.get().phone == "617-555-0199"  # staff still see the number as it was given


@pytest.mark.parametrize(
    ("region", "typed", "sent"),
    [
        ("US", "(617) 555-0123", "+16175550123"),
        ("US", "1 617 555 0123 x12", "+16175550123"),  # an extension receives no texts
        ("US", "+44 20 7946 0018", "+442079460018"),  # a number with its country code keeps it
        ("GB", "020 7946 0018", "+442079460018"),
        ("GB", "+1 617 555 0123", "+16175550123"),
        ("MX", "55 1234 5678", "+525512345678"),
    ],
)
def test_a_number_without_a_country_code_is_read_in_the_citys_region(provider, pothole, settings, region, typed,
                                                                     sent):  # fmt: skip
    settings.CIVIC311_PHONE_REGION = region
    file_request(pothole, phone=typed, sms_updates=True)
    assert Message.objects.get(transport="sms").to == sent
    assert deliver_due() == (1, 0)
    assert provider.received[0][2]["To"] == [sent]


@pytest.mark.parametrize("typed", ["555-0199", "020 7946 0018", "123", "617-555-01999"])
def test_texts_need_a_number_that_can_receive_them(pothole, typed):
    with pytest.raises(SubmissionInvalid, match=f"phone: {typed} is not a number that can receive text messages"):
        file_request(pothole, phone=typed, sms_updates=True)
    assert not ServiceRequest.objects.exists() and not Message.objects.exists()
    file_request(pothole, phone=typed)  # a number for a call back is kept as given
    assert ServiceRequest.objects.get().phone == typed


def test_a_text_queued_in_the_old_form_goes_out_in_e164(provider):
    Message.objects.create(transport="sms", to="(617) 555-0199", body_text="Your request was received.", kind="x")
    assert deliver_due() == (1, 0)
    assert provider.received[0][2]["To"] == ["+16175550199"]


def test_a_stored_number_that_cannot_receive_texts_is_skipped_not_fatal(provider, pothole):
    sr = file_request(pothole, phone="617-555-0199", sms_updates=True)
    ServiceRequest.objects.filter(pk=sr.pk).update(phone="555-0199")  # stored before numbers were checked
    Message.objects.all().delete()
    actions.close(ServiceRequest.objects.get(pk=sr.pk), actor=actions.SYSTEM, note="Filled.")
    assert ServiceRequest.objects.get().status == "closed" and not Message.objects.filter(transport="sms").exists()
    bad = Message.objects.create(transport="sms", to="555-0199", body_text="Hi", kind="x")
    assert deliver_due() == (0, 1) and provider.received == []
    assert "'555-0199' is not a phone number that can receive texts" in Message.objects.get(pk=bad.pk).last_error


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


def test_an_unknown_phone_region_is_caught_at_start_up(settings):
    settings.CIVIC311_PHONE_REGION = "XX"
    errors = [e for e in run_checks() if e.id == "civic311.E004"]
    assert errors and "CIVIC311_PHONE_REGION='XX'" in errors[0].msg
    settings.CIVIC311_PHONE_REGION = "GB"
    assert not [e for e in run_checks() if e.id == "civic311.E004"]
