"""Following a request from the portal: one follower per address, confirmed by an emailed link,
throttled like filing, and no public history line anyone can add."""

import re

import pytest
from django.db import IntegrityError
from django.urls import reverse

from civic311.notifications.models import Message, Unsubscribe
from civic311.portal.tests.throttling import clear_of_window_edge
from civic311.service_requests import actions
from civic311.service_requests.models import EventKind, Follower
from civic311.service_requests.statuses import Status
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db
STAFF = actions.Actor("dpw")


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.CIVIC311_PUBLIC_URL = "https://311.example.org"


@pytest.fixture
def open_request(pothole):
    return file_request(pothole, address_string="3 Oak St")


def follow(client, sr, email, **extra):
    return client.post(reverse("portal:follow", args=[sr.tracking_number]), {"email": email}, **extra)


def link_in(message: Message) -> str:
    return re.search(r"/notifications/follow/\S+", message.body_text).group(0)


def test_following_emails_one_link_and_no_news_until_the_address_confirms(client, open_request):
    answer = follow(client, open_request, "neighbor@example.org")
    assert answer.status_code == 302
    [ask] = Message.objects.filter(to="neighbor@example.org")
    assert ask.kind == "follow_confirm" and "If it was not you, ignore this email" in ask.body_text
    assert Follower.objects.get().confirmed_at is None
    actions.change_status(open_request, Status.ACKNOWLEDGED, actor=STAFF, note="On the list.")
    assert Message.objects.filter(to="neighbor@example.org").count() == 1  # no news to an unconfirmed address

    link = link_in(ask)
    asked = client.get(link)  # a mail scanner's visit confirms nothing
    assert asked.status_code == 200 and "Confirm and follow this request" in asked.content.decode()
    assert Follower.objects.get().confirmed_at is None
    done = client.post(link)
    assert "Done: we will email neighbor@example.org" in done.content.decode()
    assert Follower.objects.get().confirmed_at is not None
    assert client.post(link).status_code == 200  # opened twice: still one confirmation
    assert open_request.events.filter(kind=EventKind.JOINED).count() == 1

    actions.change_status(open_request, Status.IN_PROGRESS, actor=STAFF, note="Crew on site.")
    kinds = sorted(Message.objects.filter(to="neighbor@example.org").values_list("kind", flat=True))
    assert kinds == ["follow_confirm", "request_joined", "request_updated"]


def test_following_again_with_the_same_address_sends_nothing_new(client, open_request):
    for email in ("neighbor@example.org", "Neighbor@Example.org", "neighbor@example.org"):
        assert follow(client, open_request, email).status_code == 302
    assert Follower.objects.count() == 1
    assert Message.objects.filter(kind="follow_confirm").count() == 1
    client.post(link_in(Message.objects.get(kind="follow_confirm")))
    again = follow(client, open_request, "NEIGHBOR@example.org")  # already following: the same answer
    assert again.status_code == 302 and Message.objects.filter(kind="follow_confirm").count() == 1


def test_the_answer_does_not_tell_who_already_follows(client, open_request):
    follow(client, open_request, "neighbor@example.org")
    first = client.get(follow(client, open_request, "stranger@example.org")["Location"]).content.decode()
    repeat = client.get(follow(client, open_request, "neighbor@example.org")["Location"]).content.decode()
    assert "We sent a link to stranger@example.org" in first and "We sent a link to neighbor@example.org" in repeat


def test_the_database_holds_one_follower_per_address_and_request(open_request):
    Follower.objects.create(request=open_request, email="neighbor@example.org")
    Follower.objects.create(request=open_request, email="")  # a caller known by phone only
    Follower.objects.create(request=open_request, email="")
    with pytest.raises(IntegrityError):
        Follower.objects.create(request=open_request, email="NEIGHBOR@example.org")


def test_following_is_throttled_with_filing(client, open_request, settings):
    settings.CIVIC311_SUBMISSIONS_PER_HOUR = 3
    clear_of_window_edge(5)
    filed = client.post(reverse("portal:request", args=["POTHOLE"]), {"address_string": "1 Elm St",
                                                                       "attr_size": "small"})  # fmt: skip
    assert filed.status_code == 302
    assert [follow(client, open_request, f"n{i}@example.org").status_code for i in range(4)] == [302, 302, 429, 429]
    refused = follow(client, open_request, "n9@example.org")
    assert "try again later" in refused.content.decode() and int(refused["Retry-After"]) >= 1
    assert Follower.objects.count() == 2 and Message.objects.filter(kind="follow_confirm").count() == 2


def test_following_adds_no_public_history_line_only_a_count_of_confirmed_addresses(client, open_request):
    for n in range(3):
        follow(client, open_request, f"n{n}@example.org")
    client.post(link_in(Message.objects.get(to="n0@example.org")))
    page = client.get(reverse("portal:track", args=[open_request.tracking_number])).content.decode()
    assert "Another resident reported it" not in page
    assert 'Others who reported it</dt><dd id="also-reported">1</dd>' in page
    joined = open_request.events.get(kind=EventKind.JOINED)
    assert not joined.is_public
    api = client.get(f"/open311/v2/requests/{open_request.tracking_number}.json?extensions=true").json()
    assert [note["summary"] for note in api[0]["notes"]] == ["Request opened"]


def test_a_follower_needs_an_email(client, open_request):
    answer = follow(client, open_request, "")
    assert answer.status_code == 400 and "This field is required." in answer.content.decode()
    assert not Follower.objects.exists()


@pytest.mark.parametrize("token", ["forged", "eyJmIjoxLCJlIjoieEB5LnoifQ:bad:signature"])
def test_a_forged_confirmation_link_confirms_nothing(client, open_request, token):
    follow(client, open_request, "neighbor@example.org")
    answer = client.post(reverse("notifications:confirm_follow", args=[token]))
    assert answer.status_code == 404 and "This link is not valid" in answer.content.decode()
    assert Follower.objects.get().confirmed_at is None


def test_an_address_that_stopped_this_requests_emails_is_not_asked_again(client, open_request):
    Unsubscribe.objects.create(request=open_request, email="neighbor@example.org")
    assert follow(client, open_request, "Neighbor@example.org").status_code == 302
    assert not Message.objects.filter(kind="follow_confirm").exists()


def test_a_csrs_caller_is_confirmed_at_once(open_request):
    follower = actions.join(open_request, actor=STAFF, email="caller@example.org", channel="phone")
    assert follower.confirmed_at is not None
    assert Message.objects.filter(to="caller@example.org").get().kind == "request_joined"
    pending = actions.join(open_request, actor=STAFF, email="web@example.org", confirmed=False)
    assert actions.join(open_request, actor=STAFF, email="WEB@example.org").pk == pending.pk  # the CSR vouches
    assert Follower.objects.get(pk=pending.pk).confirmed_at is not None
