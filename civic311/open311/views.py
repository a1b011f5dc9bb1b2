"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), every method in JSON and XML.

Where the spec is ambiguous, this server answers as follows:

- Formats: the method's path ends in ``.json`` or ``.xml``; anything else is a 404 in JSON.
- Errors: a list of ``{code, description}`` (XML ``<errors><error>``), HTTP 400 for bad input,
  403 for a missing, unknown or revoked ``api_key``, 404 for an unknown jurisdiction, service
  (definition) or request, 429 with ``Retry-After`` (seconds) once a key's calls for the hour
  (``CIVIC311_API_KEY_CALLS_PER_HOUR``) are used up. Every problem found is listed, one error
  each. A method not allowed is a 405 in the same shape. An over-large body, invalid UTF-8 or an
  unknown Content-Type are 400s.
- Empty parameters count as absent (``status=`` is no filter).
- ``jurisdiction_id``: optional (this server serves one jurisdiction); when given it must match,
  otherwise 404.
- POST /requests: ``api_key`` from the form body or the query string. Realtime services answer
  ``service_request_id``; batch and blackbox services answer a ``token``, which GET /tokens turns
  into the id (the request itself is filed at once, so the token resolves immediately).
  An attribute code the service does not ask is a 400; informational (variable=false) attributes
  are ignored.
- GET /requests: ``service_request_id`` (comma list, at most 1000) overrides every other filter.
  With no date parameter at all, the window is the last 90 days of ``requested_datetime``.
  ``start_date`` alone means 90 days from it; ``end_date`` alone, the 90 days before it; both may
  span at most 90 days. ``updated_after``/``updated_before`` filter ``updated_datetime`` and, used
  alone, drop the default window and order the results by ``updated_datetime``, newest first.
  A date without a zone is the city's local time; a bare date is local midnight; ``+hh:mm`` that
  arrived as `` hh:mm`` (an unencoded plus) is read as intended. ``service_code`` and ``status``
  are comma lists; an unknown code or status is a 400. Otherwise results are newest
  ``requested_datetime`` first, ``page_size`` (default and at most 1000) per ``page`` (from 1).
- ``lat``, ``long`` and ``radius`` (metres, at most 5000; CitySDK's extension) search around a
  point, nearest first; without ``radius`` a single ``service_code``'s duplicate radius is used,
  so ``service_code=POTHOLE&status=open&lat=…&long=…`` answers "already reported?" by the same
  rule as the city's intake. The other filters, the date window included, still apply.
- ``extensions=true`` adds Chicago's shape: ``attributes`` (answers by code),
  ``extended_attributes`` {channel, detailed_status, duplicate, parent_service_request_id} and
  ``notes`` (the public history: opened, activity, closed, reopened).
- The reporter's name, email, phone, device_id and account_id are never output.
- Private services (a tax question, a vital record) are listed and accept requests, but their
  requests are never in GET answers: not in searches, not by id (404, as if absent). The one
  exception is the application that filed one, when the service allows it: GET with that
  application's ``api_key`` returns its own requests of such services, with everything it sent.
  Answers to questions marked private are left out of ``attributes``; ``media_url`` appears once
  staff approve the photo (or at once for services that need no approval). A GET with an
  ``api_key`` that is not valid is a 403, as for POST.
- A service that asks no place (``needs_location`` off) takes requests without lat/long or an
  address; one that promises a callback refuses a request with neither ``email`` nor ``phone``.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from civic311.catalog.models import ServiceType
from civic311.catalog.queries import service_with_definition, services_for_listing
from civic311.open311 import render
from civic311.open311.models import ApiKey
from civic311.open311.params import Open311Error, Params, bad, read_params
from civic311.portal import throttle
from civic311.service_requests import actions, privacy, queries
from civic311.service_requests.models import ServiceRequest, w3c
from civic311.service_requests.validators import SubmissionInput, SubmissionInvalid

MAX_RESULTS = 1000
NEAR_CANDIDATES = 5000  # a radius search reads at most this many rows of its bounding box
MAX_RADIUS = 5000
WINDOW = timedelta(days=90)
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"

View = Callable[..., HttpResponse]


class RateLimited(Open311Error):
    """A 429: the key's calls for this hour are used up; ``retry_after`` seconds until the next window."""

    def __init__(self, retry_after: int):
        limit = settings.CIVIC311_API_KEY_CALLS_PER_HOUR
        super().__init__(429, f"api_key: its {limit} calls per hour are used up; retry after {retry_after} seconds.")
        self.retry_after = retry_after


def open311_method(*methods: str) -> Callable[[View], View]:
    """Wrap a method: allowed HTTP verbs, strict parameters, jurisdiction check, Open311 errors."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise Open311Error(405, f"{request.method} is not allowed here; use {' or '.join(methods)}.")
                params = read_params(request)
                jurisdiction = params.get("jurisdiction_id")
                if jurisdiction and jurisdiction != settings.CIVIC311_JURISDICTION_ID:
                    raise Open311Error(404, f"jurisdiction_id {jurisdiction[:100]!r} is not served here.")
                response = view(request, params, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                response = render.respond(
                    render.errors(error.status, error.descriptions),
                    fmt,
                    "errors",
                    status=error.status,
                )
                if error.status == 405:
                    response["Allow"] = ", ".join(methods)
                if isinstance(error, RateLimited):
                    response["Retry-After"] = str(error.retry_after)
            response["Access-Control-Allow-Origin"] = "*"  # a public API, for browser apps too
            return response

        return wrapper

    return decorate


@open311_method("GET")
def discovery(request: HttpRequest, params: Params, *, fmt: str) -> HttpResponse:
    changed = ServiceType.objects.aggregate(at=Max("updated_at"))["at"] or timezone.now()
    changeset = w3c(changed)
    doc = {
        "changeset": changeset,
        "contact": settings.CIVIC311_CONTACT,
        "key_service": settings.CIVIC311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": changeset,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return render.respond(doc, fmt, "discovery")


@open311_method("GET")
def service_list(request: HttpRequest, params: Params, *, fmt: str) -> HttpResponse:
    return render.respond([render.service(st) for st in services_for_listing()], fmt, "services")


@open311_method("GET")
def service_definition(request: HttpRequest, params: Params, service_code: str, *, fmt: str) -> HttpResponse:
    st = service_with_definition(service_code)
    if st is None:
        raise Open311Error(404, f"service_code {service_code[:64]!r} is not a service offered here.")
    return render.respond(render.service_definition(st), fmt, "service_definition")


@open311_method("GET", "POST")
def requests_collection(request: HttpRequest, params: Params, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(params, fmt)
    return _get_requests(params, fmt)


def _post_request(params: Params, fmt: str) -> HttpResponse:
    key = ApiKey.objects.authenticate(params.get("api_key"))
    if key is None:
        reason = "is not valid" if params.get("api_key") else "was not provided"
        raise Open311Error(403, f"api_key {reason}; apply for a key to submit requests.")
    if not throttle.spend(throttle.API_KEY, str(key.pk)):  # every call counts, good or bad
        raise RateLimited(throttle.retry_after())
    code = params.get("service_code")
    if not code:
        raise bad("service_code: is required.")
    st = ServiceType.objects.filter(service_code=code, is_active=True).prefetch_related("attributes__values").first()
    if st is None:
        raise bad(f"service_code: {code[:64]!r} is not a service offered here.")
    data = SubmissionInput(
        lat=params.get("lat"),
        long=params.get("long"),
        address_string=params.get("address_string"),
        address_id=params.get("address_id"),
        zipcode=params.get("zipcode"),
        email=params.get("email"),
        device_id=params.get("device_id"),
        account_id=params.get("account_id"),
        first_name=params.get("first_name"),
        last_name=params.get("last_name"),
        phone=params.get("phone"),
        description=params.get("description"),
        media_url=params.get("media_url"),
        attributes=params.attributes(),
    )
    try:
        sr = actions.submit(
            st,
            data,
            channel=key.application.channel,
            actor=actions.Actor(f"api:{key.application.name}"),
            language=_language(params.get("locale")),
            application=key.application,
        )
    except SubmissionInvalid as invalid:
        raise bad(*(str(e) for e in invalid.errors)) from None
    answer: dict[str, Any] = {}
    if sr.token:
        answer["token"] = str(sr.token)
    else:
        answer["service_request_id"] = sr.tracking_number
    answer["service_notice"] = st.service_notice or None
    answer["account_id"] = sr.account_id or None
    return render.respond([answer], fmt, "service_requests")


def _near(params: Params, codes: list[str], problems: list[str]) -> tuple[float, float, float] | None:
    """``lat``, ``long`` and ``radius`` (metres; CitySDK's extension) for a search around a point.

    Without a radius, one service's own duplicate radius is used (so an app can ask "already
    reported?" with the same rule as the city's intake), else 100 m.
    """
    lat_raw, long_raw, radius_raw = params.get("lat"), params.get("long"), params.get("radius")
    if not (lat_raw or long_raw):
        if radius_raw:
            problems.append("radius: needs lat and long.")
        return None
    try:
        lat, long = float(lat_raw), float(long_raw)
    except ValueError:
        problems.append("lat, long: both are needed, as decimal degrees.")
        return None
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        problems.append("lat, long: out of range.")
        return None
    if radius_raw:
        if not radius_raw.isdigit() or not 1 <= int(radius_raw) <= MAX_RADIUS:
            problems.append(f"radius: {radius_raw[:20]!r} must be whole metres from 1 to {MAX_RADIUS}.")
            return None
        radius = float(radius_raw)
    else:
        single = ServiceType.objects.filter(service_code=codes[0]).first() if len(codes) == 1 else None
        radius = float(single.duplicate_radius_m) if single else 100.0
    return lat, long, radius


def _language(locale: str) -> str:
    """The reporter's language from Helsinki's ``locale`` extension (en, es, es_US…), if we speak it."""
    code = locale.replace("-", "_").split("_")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _reader(params: Params) -> privacy.Reader:
    """Who reads: anyone, or (with a valid ``api_key``) an application that may read back its own
    requests of private services."""
    raw = params.get("api_key")
    if not raw:
        return privacy.Reader()
    key = ApiKey.objects.authenticate(raw)
    if key is None:
        raise Open311Error(403, "api_key is not valid; leave it out to read public requests.")
    return privacy.Reader(key.application)


def _get_requests(params: Params, fmt: str) -> HttpResponse:
    extensions = params.boolean("extensions")
    reader = _reader(params)
    page_size = params.integer("page_size", MAX_RESULTS, 1, MAX_RESULTS)
    page = params.integer("page", 1, 1, 1_000_000)
    ids = params.csv("service_request_id")
    if ids:
        if len(ids) > MAX_RESULTS:
            raise bad(f"service_request_id: at most {MAX_RESULTS} ids at once.")
        readable = privacy.readable_requests(ServiceRequest.objects.all(), reader)
        public = queries.for_public_output(readable, with_history=extensions)
        rows = sorted(public.by_tracking_numbers(ids), key=lambda r: (r.requested_at, r.pk), reverse=True)
    else:
        flt = _filter_from(params)
        start = (page - 1) * page_size
        readable = privacy.readable_requests(queries.search(flt), reader)
        found = queries.for_public_output(readable, with_history=extensions)
        if flt.near is not None:
            lat, long, radius = flt.near
            nearest = queries.nearest_first(list(found[:NEAR_CANDIDATES]), lat, long, radius)
            rows = [sr for sr, _ in nearest[start : start + page_size]]
        else:
            rows = list(found[start : start + page_size])
    docs = [render.request(r, extensions=extensions, reader=reader) for r in rows]
    return render.respond(docs, fmt, "service_requests")


def _filter_from(params: Params) -> queries.RequestFilter:
    problems: list[str] = []
    codes = params.csv("service_code")
    type_ids: list[int] = []
    if codes:
        known = dict(ServiceType.objects.filter(service_code__in=codes).values_list("service_code", "id"))
        problems += [
            f"service_code: {c[:64]!r} is not a service of this jurisdiction." for c in codes if c not in known
        ]
        type_ids = list(known.values())
    statuses = {s.lower() for s in params.csv("status")}
    problems += [f"status: {s[:40]!r} must be open or closed." for s in statuses - {"open", "closed"}]
    start = params.datetime("start_date")
    end = params.datetime("end_date")
    updated_after = params.datetime("updated_after")
    updated_before = params.datetime("updated_before")
    if start and end:
        if start > end:
            problems.append("start_date: must not be after end_date.")
        elif end - start > WINDOW:
            problems.append("start_date, end_date: may span at most 90 days.")
    elif start:
        end = start + WINDOW
    elif end:
        start = end - WINDOW
    elif not (updated_after or updated_before):
        end = None
        start = timezone.now() - WINDOW
    if updated_after and updated_before and updated_after >= updated_before:
        problems.append("updated_after: must be before updated_before.")
    near = _near(params, codes, problems)
    if problems:
        raise bad(*problems)
    return queries.RequestFilter(
        near=near,
        service_type_ids=type_ids,
        open311_statuses=statuses,
        requested_from=start,
        requested_to=end,
        updated_after=updated_after,
        updated_before=updated_before,
    )


@open311_method("GET")
def request_detail(request: HttpRequest, params: Params, service_request_id: str, *, fmt: str) -> HttpResponse:
    extensions = params.boolean("extensions")
    reader = _reader(params)
    readable = privacy.readable_requests(ServiceRequest.objects.all(), reader)
    found = queries.for_public_output(readable, with_history=extensions).get_by_tracking_number(service_request_id)
    if found is None:
        raise Open311Error(404, f"service_request_id {service_request_id[:40]!r} was not found.")
    return render.respond([render.request(found, extensions=extensions, reader=reader)], fmt, "service_requests")


@open311_method("GET")
def token(request: HttpRequest, params: Params, token_id: str, *, fmt: str) -> HttpResponse:
    try:
        value = uuid.UUID(token_id)
    except ValueError:
        value = None
    sr = ServiceRequest.objects.filter(token=value).first() if value else None
    if sr is None:
        raise Open311Error(404, f"token {token_id[:64]!r} was not found.")
    return render.respond(
        [{"service_request_id": sr.tracking_number, "token": str(sr.token)}],
        fmt,
        "service_requests",
    )


@csrf_exempt
def not_found(request: HttpRequest, path: str) -> HttpResponse:
    fmt = "xml" if path.endswith(".xml") else "json"
    description = f"/open311/v2/{path[:100]} is not an Open311 method; see /open311/v2/discovery.json."
    return render.respond(render.errors(404, [description]), fmt, "errors", status=404)
