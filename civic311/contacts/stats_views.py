"""The supervisor's call statistics page and its CSV export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civic311.contacts import stats
from civic311.contacts.views import VIEW_CALL_STATS
from civic311.lib.csv_stream import csv_lines
from civic311.lib.dates import requested_range
from civic311.service_requests.models import w3c

DEFAULT_DAYS = 7
CSV_COLUMNS = ["contact", "started", "ended", "handle_seconds", "channel", "direction", "language", "kind",
               "outcome", "csr", "transferred_to", "repeated_within_72h", "requests", "articles"]  # fmt: skip


def _range(request: HttpRequest) -> tuple[stats.DateRange, list[str]]:
    start, end, problems = requested_range(request.GET, DEFAULT_DAYS)
    return stats.DateRange(start, end), problems


def _csv(span: stats.DateRange) -> StreamingHttpResponse:
    contacts = (
        stats.contacts_in(span)
        .select_related("csr", "transferred_to")
        .prefetch_related("request_links__request", "articles")
        .order_by("started_at", "id")
    )

    rows = (
        [
            c.pk, w3c(c.started_at), w3c(c.ended_at) or "", "" if c.handle_seconds is None else c.handle_seconds,
            c.channel, c.direction, c.language, c.kind, c.outcome, c.csr.get_username() if c.csr else "",
            c.transferred_to.name if c.transferred_to else "", "yes" if c.repeated else "no",
            " ".join(f"{link.role}:{link.request.tracking_number}" for link in c.request_links.all()),
            " ".join(a.slug for a in c.articles.all()),
        ]
        for c in contacts.iterator(chunk_size=2000)
    )  # fmt: skip
    response = StreamingHttpResponse(csv_lines(CSV_COLUMNS, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contacts-{span.start}-{span.end}.csv"'
    return response


@login_required
@permission_required(VIEW_CALL_STATS, raise_exception=True)
def call_stats(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    span, problems = _range(request)
    if request.GET.get("format") == "csv":
        return _csv(span)
    chosen = request.GET.get("period", "")
    period = chosen if chosen in stats.PERIODS else ("hour" if span.start == span.end else "day")
    volume = stats.volume(span, period)
    label = {"hour": "%m-%d %H:00", "day": "%Y-%m-%d", "week": "%Y-%m-%d"}[period]
    chart = {
        "labels": [timezone.localtime(row["period"]).strftime(label) for row in volume],
        "information": [row["information"] for row in volume],
        "service": [row["service"] for row in volume],
        "other": [row["other"] for row in volume],
        "names": {"information": _("Information"), "service": _("Service request"), "other": _("Other")},
    }
    csrs = stats.per_csr(span)
    chart["csr_labels"] = [row["csr"] or "—" for row in csrs]
    chart["csr_handle"] = [row["avg_handle"] or 0 for row in csrs]
    chart["csr_handle_name"] = _("Average handle time (s)")
    return render(
        request, "contacts/stats.html",
        {"span": span, "problems": problems, "period": period, "summary": stats.summary(span), "volume": volume,
         "csrs": csrs, "articles": stats.top_articles(span, language=get_language() or "en"),
         "services": stats.top_service_types(span), "chart": chart, "query": request.GET.urlencode()},
    )  # fmt: skip
