"""Sample requests for the sample city: filed and worked through the real actions, with history.

Seeded, so every load of the same size gives the same city; spread over the sample streets and the
last ``days`` days, with older requests mostly closed (some late against their standard).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from civic311.catalog import sample_data
from civic311.catalog.models import Attribute, ServiceType
from civic311.service_requests import actions
from civic311.service_requests.models import Channel, ServiceRequest
from civic311.service_requests.statuses import Status
from civic311.service_requests.validators import SubmissionInput

DESCRIPTIONS = [
    "Reported by a neighbor, been like this for a few days.",
    "Getting worse every day, please send someone.",
    "Near the corner, across from the bus stop.",
    "Second time reporting this.",
    "In front of the school, kids walk past here.",
    "",
]
CLOSE_NOTES = ["Work completed.", "Crew repaired the problem.", "Inspected and resolved.", "Completed by the crew."]
CHANNELS = [Channel.PHONE] * 5 + [Channel.WEB] * 3 + [Channel.MOBILE] * 2 + [Channel.WALK_IN, Channel.EMAIL]
STAFF = actions.Actor("sample crew")


def _answer(attr: Attribute, rng: random.Random) -> list[str]:
    if not attr.required and rng.random() < 0.5:
        return []
    if attr.is_list:
        keys = [v.key for v in attr.values.all()]
        if attr.datatype == Attribute.Datatype.MULTIVALUELIST:
            return rng.sample(keys, k=rng.randint(1, min(2, len(keys))))
        return [rng.choice(keys)]
    if attr.datatype == Attribute.Datatype.NUMBER:
        return [str(rng.randint(1, 5))]
    if attr.datatype == Attribute.Datatype.DATETIME:
        return [(timezone.now() - timedelta(days=rng.randint(1, 10))).replace(microsecond=0).isoformat()]
    return [rng.choice(["near the corner", "blue", "4417", "ABC 123", "Riverside Park"])]


def load_requests(count: int = 400, days: int = 90, seed: int = 311) -> int:
    """File ``count`` requests spread over the last ``days`` days; returns how many were filed."""
    rng = random.Random(seed)
    types = list(ServiceType.objects.filter(is_active=True).prefetch_related("attributes__values"))
    weights = [8 if st.service_code in {"POTHOLE", "STREETLIGHT", "MISSED-TRASH", "NOISE"} else 2 for st in types]
    now = timezone.now()
    for n in range(count):
        st = rng.choices(types, weights)[0]
        street, lat, long = rng.choice(sample_data.STREETS)
        requested = now - timedelta(seconds=rng.randint(600, days * 86400))
        data = SubmissionInput(
            lat=f"{lat + rng.gauss(0, 0.003):.6f}",
            long=f"{long + rng.gauss(0, 0.004):.6f}",
            address_string=f"{rng.randint(1, 400)} {street}, {settings.CIVIC311_CITY_NAME}",
            zipcode=rng.choice(sample_data.ZIPCODES),
            description=rng.choice(DESCRIPTIONS),
            email=f"resident{rng.randint(1, 200)}@example.org" if rng.random() < 0.4 else "",
            attributes={a.code: _answer(a, rng) for a in st.attributes.all() if a.variable},
        )
        fit_to_service(data, st, n)
        sr = actions.submit(st, data, channel=rng.choice(CHANNELS), requested_at=requested)
        _work(sr, st, requested, now, rng)
    return count


def fit_to_service(data: SubmissionInput, st: ServiceType, n: int) -> None:
    """No place for a service that asks none; a phone number for one that calls back (made from ``n``,
    so the seeded draws, and with them the whole sample city, stay the same)."""
    if not st.needs_location:
        data.lat = data.long = data.address_string = data.zipcode = ""
    if st.promises_callback and not (data.email or data.phone):
        data.phone = f"617-555-{1000 + n % 9000:04d}"


def _work(sr: ServiceRequest, st: ServiceType, requested: datetime, now: datetime, rng: random.Random) -> None:
    target = st.target_duration or timedelta(days=7)
    age = now - requested
    acknowledged = requested + timedelta(minutes=rng.randint(10, 240))
    if acknowledged >= now:
        return
    actions.change_status(sr, Status.ACKNOWLEDGED, actor=STAFF, at=acknowledged)
    # Most work finishes around its standard; one in five runs late.
    duration = target * (rng.uniform(0.2, 0.95) if rng.random() < 0.8 else rng.uniform(1.1, 3.0))
    closed = requested + duration
    if closed < now and age > timedelta(hours=1):
        if rng.random() < 0.05:
            actions.close(
                sr, actor=STAFF, note="Referred to the state highway department.", status=Status.REFERRED, at=closed
            )
        else:
            actions.close(sr, actor=STAFF, note=rng.choice(CLOSE_NOTES), at=closed)
    elif rng.random() < 0.5:
        started = acknowledged + (closed - acknowledged) / 3
        if started < now:
            actions.change_status(sr, Status.IN_PROGRESS, actor=STAFF, note="A crew is scheduled.", at=started)
