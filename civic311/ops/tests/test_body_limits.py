"""Bodies too large are refused before they are read; photos past the limit stop being stored."""

import contextlib
import json
import select
import socket

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import reverse

from civic311.ops.tests.server import environment, prepare, serving
from civic311.portal.tests.test_portal import photo_file
from civic311.service_requests.models import ServiceRequest

MiB = 1024 * 1024
BOUNDARY = "civic311-test-boundary"


def send_huge_photo(base, path, claimed=200 * MiB, give_up_after=24 * MiB):
    """POST a multipart body that claims ``claimed`` bytes, sending it until the server answers.

    Returns (bytes of body sent before the answer came, the answer's head)."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    try:
        sock.sendall(
            # With the CSRF cookie a resident who opened the form has, so the form's body is read.
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nCookie: csrftoken={'c' * 32}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {claimed}\r\n\r\n".encode()
        )
        part = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photo"; filename="big.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        sock.sendall(part)
        sent, chunk = len(part), b"\xff" * (64 * 1024)
        sock.setblocking(False)
        while sent < give_up_after:
            readable, writable, _ = select.select([sock], [sock], [], 5)
            if readable:
                break  # the server answered before the body was sent
            if writable:
                with contextlib.suppress(BlockingIOError):  # the buffer filled meanwhile
                    sent += sock.send(chunk)
        readable, _, _ = select.select([sock], [], [], 10)
        assert readable, f"no answer after {sent} of {claimed} bytes: the server is reading the whole body"
        sock.setblocking(True)
        sock.settimeout(10)
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer) < 200:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
        return sent, answer
    finally:
        sock.close()


@pytest.mark.slow
def test_a_huge_upload_is_refused_before_it_is_sent(tmp_path):
    env = environment(tmp_path / "data", CIVIC311_SECRET_KEY="k" * 50)
    prepare(env)
    with serving(env, "--workers", "2") as base:
        sent, answer = send_huge_photo(base, "/request/POTHOLE/")
        assert answer.startswith(b"HTTP/1.1 413 ")
        assert sent < 24 * MiB  # answered long before 200 MiB were sent

        sent, answer = send_huge_photo(base, "/open311/v2/requests.json")
        assert answer.startswith(b"HTTP/1.1 413 ")
        assert b"application/json" in answer.split(b"\r\n\r\n")[0]
        assert sent < 24 * MiB
    assert list((tmp_path / "data").glob("media/photos/**/*.*")) == []


@pytest.mark.django_db
def test_a_form_with_a_body_too_large_gets_a_clear_413_page(client, pothole, settings):
    settings.CIVIC311_MAX_PHOTO_BYTES = 4000
    url = reverse("portal:request", args=["POTHOLE"])
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 4000
    response = client.post(
        url, b"x", content_type=f"multipart/form-data; boundary={BOUNDARY}", CONTENT_LENGTH=limit + 1
    )
    assert response.status_code == 413
    assert "Too large to send" in response.content.decode()
    assert "3.9\xa0KB" in response.content.decode()  # the photo limit, in words a resident reads
    assert not ServiceRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_open311_body_too_large_is_an_open311_error(client, fmt, settings):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(
        f"/open311/v2/requests.{fmt}", b"x", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH=limit + 1
    )
    assert response.status_code == 413
    if fmt == "json":
        [error] = json.loads(response.content)
        assert error["code"] == 413 and "larger than" in error["description"]
    else:
        assert b"<errors><error><code>413</code>" in response.content


class Recorder(FileUploadHandler):
    """Stands last in the chain, where Django's storing handlers stand: records what reached it."""

    received = []

    def receive_data_chunk(self, raw_data, start):
        Recorder.received.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.mark.django_db
def test_a_photo_past_the_limit_stops_being_stored_while_it_streams_and_the_form_says_why(client, pothole, settings):
    settings.CIVIC311_MAX_PHOTO_BYTES = 200 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024  # so the body as a whole is within its limit
    settings.FILE_UPLOAD_HANDLERS = [
        "civic311.lib.uploads.PhotoSizeCapHandler",
        f"{__name__}.Recorder",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    Recorder.received = []
    big = photo_file(size=(800, 800), fmt="BMP", name="big.bmp")
    assert big.size > 3 * settings.CIVIC311_MAX_PHOTO_BYTES
    data = {"address_string": "1 Elm St", "attr_size": "small", "description": "Deep hole", "photo": big}
    response = client.post(reverse("portal:request", args=["POTHOLE"]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The photo is 1.8\xa0MB; the limit is 200.0\xa0KB." in page
    assert "Deep hole" in page  # the resident's answers are kept
    assert 0 < sum(Recorder.received) <= settings.CIVIC311_MAX_PHOTO_BYTES
    assert not ServiceRequest.objects.exists()
