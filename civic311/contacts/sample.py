"""Sample contacts for the sample city: a few weeks of calls taken through the real actions.

Seeded, like the sample requests, so the call statistics and the popular articles have something
true to show: information calls answered from the sample knowledge base, service calls that file
requests, lookups, transfers, and some callers who call back within three days.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from civic311.catalog import sample_data
from civic311.catalog.models import Department, ServiceType
from civic311.contacts import actions
from civic311.contacts.models import Contact
from civic311.knowledge.models import Article
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.sample import _answer, fit_to_service
from civic311.service_requests.validators import SubmissionInput

SAMPLE_CSRS = ["ana.csr", "ben.csr", "carla.csr"]
# What callers want, and how often: most calls are answered from the knowledge base.
KINDS = ["information"] * 6 + ["service"] * 3 + ["lookup", "transfer"]


def _csrs() -> list[Any]:
    from django.contrib.auth.models import Group

    from civic311.service_requests.roles import ensure_roles

    ensure_roles()
    group = Group.objects.get(name="CSR")
    users = []
    for name in SAMPLE_CSRS:
        user, created = get_user_model().objects.get_or_create(username=name)
        if created:
            user.set_unusable_password()  # sample people, not accounts anyone logs in with
            user.save()
        user.groups.add(group)
        users.append(user)
    return users


def load_contacts(count: int = 600, days: int = 28, seed: int = 3110) -> int:
    """Take ``count`` contacts over the last ``days`` days, in the center's opening hours."""
    rng = random.Random(seed)
    csrs = _csrs()
    articles = list(Article.objects.filter(is_published=True).prefetch_related("texts"))
    spanish = [a for a in articles if any(t.language == "es" for t in a.texts.all())]
    types = list(ServiceType.objects.filter(is_active=True).prefetch_related("attributes__values"))
    departments = list(Department.objects.filter(is_active=True))
    requests = list(ServiceRequest.objects.order_by("-id").values_list("pk", flat=True)[:200])
    callers = [f"617-555-{rng.randint(1000, 9999)}" for _ in range(count // 3 or 1)]
    now = timezone.now()
    zone, today = timezone.get_current_timezone(), timezone.localdate(now)
    taken = 0
    for _ in range(count):
        # Opening hours are the city's (7 am to 7 pm local), not UTC's. A call drawn for later today than now
        # (half an hour back, so it can be wrapped up) is taken at the same hour yesterday instead: every call is
        # taken, so the sample is the same size at any time of day.
        day = today - timedelta(days=rng.randint(0, days - 1))
        clock = time(rng.randint(7, 18), rng.randint(0, 59), rng.randint(0, 59))
        start = datetime.combine(day, clock, tzinfo=zone)
        if start >= now - timedelta(minutes=30):
            start = datetime.combine(day - timedelta(days=1), clock, tzinfo=zone)
        language = "es" if rng.random() < 0.2 else "en"
        csr = rng.choice(csrs)
        contact = actions.start(
            csr, channel=rng.choice([Contact.Channel.PHONE] * 8 + [Contact.Channel.WALK_IN, Contact.Channel.EMAIL]),
            caller_phone=rng.choice(callers) if rng.random() < 0.85 else "", language=language, at=start,
        )  # fmt: skip
        kind = rng.choice(KINDS)
        if kind == "information" and articles:
            pool = spanish if language == "es" and spanish else articles
            for article in rng.sample(pool, k=min(len(pool), rng.choice([1, 1, 1, 2]))):
                actions.use_article(contact, article, language=language)
        elif kind == "service" and types:
            st = rng.choice(types)
            street, lat, long = rng.choice(sample_data.STREETS)
            data = SubmissionInput(
                lat=f"{lat + rng.gauss(0, 0.003):.6f}", long=f"{long + rng.gauss(0, 0.004):.6f}",
                address_string=f"{rng.randint(1, 400)} {street}, {settings.CIVIC311_CITY_NAME}",
                attributes={a.code: _answer(a, rng) for a in st.attributes.all() if a.variable},
            )  # fmt: skip
            data.phone = contact.caller_phone  # as filing does; a callback needs one
            fit_to_service(data, st, taken)
            actions.file_request(contact, st, data, csr=csr)
        elif kind == "lookup" and requests:
            actions.look_up(contact, ServiceRequest.objects.get(pk=rng.choice(requests)))
        elif kind == "transfer" and departments:
            actions.transfer(contact, rng.choice(departments))
        handle = timedelta(seconds=int(rng.lognormvariate(5.2, 0.5)))  # about three minutes, a long tail
        actions.wrap_up(contact, ended_at=min(start + handle, now))
        taken += 1
    return taken
