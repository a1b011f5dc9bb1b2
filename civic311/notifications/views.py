"""The unsubscribe link of resident emails: one click shows what it stops, a button confirms."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civic311.notifications.actions import unsubscribe as stop_emails
from civic311.notifications.residents import read_unsubscribe_token
from civic311.service_requests.models import ServiceRequest


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners follow links; they must not unsubscribe anyone); POST stops the emails."""
    found = read_unsubscribe_token(token)
    sr = ServiceRequest.objects.filter(pk=found[0]).first() if found else None
    if found is None or sr is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    done = request.method == "POST"
    if done:
        stop_emails(sr.pk, found[1])
    return render(request, "notifications/unsubscribe.html", {"sr": sr, "email": found[1], "done": done})
