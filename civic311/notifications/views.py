"""The links in resident emails: stop emails about a request, and confirm an address that follows one.

Each link's GET only asks, and a button (POST) acts: mail scanners open links, and must neither
unsubscribe anyone nor confirm an address that never asked.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civic311.notifications.actions import unsubscribe as stop_emails
from civic311.notifications.residents import read_follow_token, read_unsubscribe_token
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest

WEBSITE = actions.Actor("311 website")


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; POST stops the emails."""
    found = read_unsubscribe_token(token)
    sr = ServiceRequest.objects.filter(pk=found[0]).first() if found else None
    if found is None or sr is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    done = request.method == "POST"
    if done:
        stop_emails(sr.pk, found[1])
    return render(request, "notifications/unsubscribe.html", {"sr": sr, "email": found[1], "done": done})


def confirm_follow(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; POST confirms the address, and the request's news starts."""
    follower = read_follow_token(token)
    if follower is None:
        return render(request, "notifications/confirm_follow.html", {"invalid": True}, status=404)
    if request.method == "POST" and follower.confirmed_at is None:
        follower = actions.confirm_follower(follower, actor=WEBSITE)
    context = {"sr": follower.request, "email": follower.email, "done": follower.confirmed_at is not None}
    return render(request, "notifications/confirm_follow.html", context)
