"""Bodies too large for this server are refused before they are read, and photos while they stream.

Django caps a form's fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not its file parts: a 200 MiB
"photo" used to be read in full, into a temporary file, before the form said it was too big. Two
guards close that:

- :class:`BodySizeLimitMiddleware` answers 413 from the ``Content-Length`` header alone, before a
  byte of the body is read: the largest body anything here accepts is a form with one photo
  (``CIVIC311_MAX_BODY_BYTES`` + ``CIVIC311_MAX_PHOTO_BYTES``); the Open311 API takes no files, so
  its bodies get the form limit alone, and its answer is an Open311 error.
- :class:`PhotoSizeCapHandler` watches each file part as it streams in: once a part passes
  ``CIVIC311_MAX_PHOTO_BYTES``, nothing more of it is stored; the form receives a stand-in that
  knows only its size, and says the photo is too large beside the resident's other answers.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

OPEN311_PREFIX = "/open311/"


def body_limit(request: HttpRequest) -> int:
    """The most bytes of body this request may carry."""
    form_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    if request.path.startswith(OPEN311_PREFIX):
        return form_limit
    return form_limit + settings.CIVIC311_MAX_PHOTO_BYTES


class BodySizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        limit = body_limit(request)
        if length > limit:
            return too_large(request, length, limit)
        return self.get_response(request)


def too_large(request: HttpRequest, length: int, limit: int) -> HttpResponse:
    if request.path.startswith(OPEN311_PREFIX):
        from civic311.open311 import render as open311

        text = f"The request body ({length} bytes) is larger than {limit} bytes; send media as a media_url."
        fmt = "xml" if request.path.endswith(".xml") else "json"
        return open311.respond(open311.errors(413, [text]), fmt, "errors", status=413)
    context = {
        "limit": filesizeformat(limit),
        "photo_limit": filesizeformat(settings.CIVIC311_MAX_PHOTO_BYTES),
        "back": request.path,
    }
    return render(request, "413.html", context, status=413)


class TooLargeUpload(UploadedFile):
    """What the form gets for a file part that passed the photo limit: its name and size, no content."""

    def __init__(self, name: str, content_type: str | None, size: int, charset: str | None):
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class PhotoSizeCapHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: passes each chunk on to the storing handlers until the
    part passes the photo limit, then only counts."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received = start + len(raw_data)
        if self.received > settings.CIVIC311_MAX_PHOTO_BYTES:
            return None  # the later handlers store nothing more of this part
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received > settings.CIVIC311_MAX_PHOTO_BYTES:
            return TooLargeUpload(self.file_name or "", self.content_type, self.received, self.charset)
        return None  # within the limit: the storing handler's file
