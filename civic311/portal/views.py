"""The resident portal: the FAQ, requesting a service, following and tracking requests.

Every page works without JavaScript (forms and links); the map and the "already reported?" hint
are added by portal.js where it runs. Views stay thin: filing goes through the request actions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic311.catalog.localization import localized
from civic311.catalog.models import ServiceType
from civic311.insights.models import DailyStat
from civic311.knowledge import answers as kb_answers
from civic311.knowledge import queries as kb_queries
from civic311.knowledge import search as kb
from civic311.knowledge.actions import log_opened, record_view
from civic311.knowledge.models import SEARCH_CONFIGS, Article, ArticleView, SearchLog
from civic311.knowledge.render import text_for
from civic311.portal import photos, throttle
from civic311.portal.forms import FollowForm, PortalRequestForm
from civic311.service_requests import actions, privacy
from civic311.service_requests.models import Channel, ServiceRequest
from civic311.service_requests.queries import likely_duplicates
from civic311.service_requests.statuses import OPEN_STATUSES
from civic311.service_requests.validators import SubmissionInvalid

PORTAL = actions.Actor("311 website")
MAX_QUERY = 200
TOO_MANY = gettext_lazy("You have sent many requests in the last hour. Please try again later, or call 311.")


def _language() -> str:
    return (get_language() or "en")[:2]


def _faq_answer(query: str) -> tuple[kb_answers.Answer | None, str]:
    """Public articles in the resident's language, and what to offer beside them (logged as a web search)."""
    query = query[:MAX_QUERY]
    if not kb.words_of(query):
        return None, (_("Type a few words, for example “trash day”.") if query.strip() else "")
    found = kb_answers.answer(query, _language(), channel=SearchLog.Channel.WEB)
    if found.is_miss and found.other_hits:
        return found, (_("Nothing matched in Spanish; these answers are in English.") if _language() == "es"
                       else _("Nothing matched in English; these answers are in Spanish."))  # fmt: skip
    if found.is_miss:
        return found, _("No answer matches “%(query)s”. Here is where to start, or call 311.") % {"query": query}
    if found.corrected:
        return found, _("Showing answers for “%(corrected)s”.") % {"corrected": found.corrected}
    return found, ""


POPULAR_SECONDS = 300  # the home page's lists: fresh enough, and not a count of every read per visit


def _popular_articles(limit: int = 8) -> list[tuple[Article, str]]:
    """The most read public articles on the web (of all channels when the web has none yet),
    counted at most every five minutes per app server."""
    key = f"portal:popular:{_language()}:{limit}"
    return cache.get_or_set(key, lambda: _count_popular(limit), POPULAR_SECONDS) or []


def _count_popular(limit: int) -> list[tuple[Article, str]]:
    chosen = kb_queries.popular(30, channel=ArticleView.Channel.WEB, limit=limit * 2) or kb_queries.popular(
        30, limit=limit * 2
    )
    if not chosen:
        chosen = list(Article.objects.filter(is_published=True, audience=Article.Audience.PUBLIC)[:limit])
    public = [a for a in chosen if a.audience == Article.Audience.PUBLIC and a.is_published][:limit]
    texts = {a.pk: text_for(a, _language()) for a in Article.objects.filter(pk__in=[a.pk for a in public])
             .prefetch_related("texts")}  # fmt: skip
    return [(a, shown.text.title) for a in public if (shown := texts.get(a.pk)) is not None]


def _popular_services(limit: int = 8) -> list[ServiceType]:
    """The services residents requested most in the last 30 days, from the CitiStat rollups."""
    since = timezone.localdate() - timedelta(days=30)
    ranked = (
        DailyStat.objects.filter(day__gte=since, service_type__is_active=True)
        .values("service_type")
        .annotate(n=Sum("opened"))
        .order_by("-n")[:limit]
    )
    ids = [row["service_type"] for row in ranked]
    found = ServiceType.objects.in_bulk(ids)
    services = [found[i] for i in ids if i in found]
    return services or list(ServiceType.objects.filter(is_active=True)[:limit])


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/home.html",
        {"articles": _popular_articles(), "services": _popular_services()},
    )  # fmt: skip


def _all_questions() -> dict[str, list[tuple[str, str]]]:
    """Every public question, by department, titled in the reader's language where written."""
    language = _language()
    topics: dict[str, list[tuple[str, str]]] = {}
    articles = Article.objects.filter(is_published=True, audience=Article.Audience.PUBLIC).select_related("department")
    for a in articles.prefetch_related("texts").order_by("department__name", "slug"):
        shown = text_for(a, language)
        if shown is not None:
            topics.setdefault(a.department.name if a.department else _("City services"), []).append(
                (a.slug, shown.text.title)
            )
    return topics


def faq(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    found, message = _faq_answer(query)
    topics = _all_questions() if not query.strip() else {}
    suggested = [(a, shown.text.title) for a in (found.suggested if found else [])
                 if (shown := text_for(a, _language())) is not None]  # fmt: skip
    return render(request, "portal/faq.html", {"q": query[:MAX_QUERY], "found": found,
                                               "hits": found.hits if found else [], "suggested": suggested,
                                               "message": message, "topics": topics})  # fmt: skip


def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(
        Article.objects.prefetch_related("texts", "service_types"),
        slug=slug, is_published=True, audience=Article.Audience.PUBLIC,
    )  # fmt: skip
    # ?lang= opens the other language's version offered beside the results ("En español").
    wanted = request.GET.get("lang", "")
    shown = text_for(found, wanted if wanted in SEARCH_CONFIGS else _language())
    if shown is None:
        raise Http404
    record_view(found, language=shown.text.language, channel=ArticleView.Channel.WEB)
    if request.GET.get("q"):  # opened from the FAQ's results: that question was answered
        log_opened(request.GET["q"][:MAX_QUERY], _language(), SearchLog.Channel.WEB)
    services = [st for st in found.service_types.all() if st.is_active]
    return render(request, "portal/article.html", {"article": found, "shown": shown, "services": services})


def services(request: HttpRequest) -> HttpResponse:
    """Choose what to request: search by words, or browse by group."""
    query = request.GET.get("q", "")[:MAX_QUERY]
    qs = ServiceType.objects.filter(is_active=True)
    for word in kb.words_of(query)[:5]:
        qs = qs.filter(
            Q(name__icontains=word) | Q(name_es__icontains=word) | Q(keywords__icontains=word)
            | Q(group__icontains=word) | Q(group_es__icontains=word)
        )  # fmt: skip
    groups: dict[str, list[ServiceType]] = {}
    for st in qs.order_by("group", "name"):
        groups.setdefault(localized(st, "group") or _("Other"), []).append(st)
    return render(request, "portal/services.html", {"q": query, "groups": groups})


def request_form(request: HttpRequest, code: str) -> HttpResponse:
    """Request a service: its questions, the place (map or address), a photo, and how to reach you."""
    service = get_object_or_404(ServiceType.objects.prefetch_related("attributes__values"), service_code=code,
                                is_active=True)  # fmt: skip
    language = _language()
    if request.method != "POST":
        form = PortalRequestForm(service_type=service, language=language)
        return _request_page(request, service, form)
    form = PortalRequestForm(request.POST, request.FILES, service_type=service, language=language)
    if not form.is_valid():
        return _request_page(request, service, form, status=400)
    point = form.point()
    if point and not service.is_private and not form.cleaned_data.get("new_anyway"):
        nearby = likely_duplicates(service, *point)
        if nearby:
            # Shown again with the hint; sending it once more files a new request after all.
            form.data = form.data.copy()  # type: ignore[attr-defined]
            form.data["new_anyway"] = "1"  # type: ignore[index]
            return _request_page(request, service, form, nearby=nearby, status=409)
    data = form.to_input()
    stored = None
    try:
        photo = form.cleaned_data.get("photo")
        if photo:
            stored = photos.store(photo)
            data.media_url = photos.public_url(stored)
        with transaction.atomic():  # a request refused below gives its use back
            throttle.require(throttle.PORTAL, throttle.client_address(request))
            filed = actions.submit(service, data, channel=Channel.WEB, actor=PORTAL, language=language)
    except throttle.Exhausted as exhausted:
        photos.discard(stored)
        form.add_error(None, TOO_MANY)
        return _too_many(_request_page(request, service, form, status=429), exhausted)
    except SubmissionInvalid as invalid:
        photos.discard(stored)
        form.add_submission_errors(invalid)
        return _request_page(request, service, form, status=400)
    messages.success(request, _("Thank you. Your request was received."))
    return HttpResponseRedirect(reverse("portal:track", args=[filed.tracking_number]) + "?filed=1")


def _too_many(response: HttpResponse, exhausted: throttle.Exhausted) -> HttpResponse:
    response["Retry-After"] = str(exhausted.retry_after)
    return response


def _request_page(
    request: HttpRequest, service: ServiceType, form: PortalRequestForm, *, nearby: Any = None, status: int = 200
) -> HttpResponse:
    lat, long = (float(x) for x in settings.CIVIC311_MAP_CENTER.split(","))
    return render(
        request, "portal/request.html",
        {"service": service, "form": form, "nearby": nearby or [], "follow_form": FollowForm(),
         "map": {"center": [lat, long], "tiles": settings.CIVIC311_TILE_URL,
                 "nearby_url": reverse("portal:nearby", args=[service.service_code])}},
        status=status,
    )  # fmt: skip


def nearby(request: HttpRequest, code: str) -> HttpResponse:
    """The "already reported?" hint shown when a resident marks the map: open requests of this kind near it."""
    service = get_object_or_404(ServiceType, service_code=code, is_active=True)
    if service.is_private:  # another resident's private request is no hint to give
        return render(request, "portal/_nearby.html", {"nearby": [], "service": service})
    try:
        lat, long = float(request.GET.get("lat", "")), float(request.GET.get("long", ""))
        found = likely_duplicates(service, lat, long) if -90 <= lat <= 90 and -180 <= long <= 180 else []
    except ValueError:
        found = []
    return render(request, "portal/_nearby.html", {"nearby": found, "follow_form": FollowForm(), "service": service})


@require_POST
def follow(request: HttpRequest, number: str) -> HttpResponse:
    """Join an open request instead of filing the same problem again; hear when it changes.

    The address gets one email with a link to confirm it and nothing else until then; the answer
    is the same whether the address was new, waiting or already following, so the form tells no
    one who follows what. A private request is followed by its own reporter only.
    """
    sr = ServiceRequest.objects.select_related("service_type").get_by_tracking_number(number)
    if sr is None or not privacy.is_public(sr):
        raise Http404
    form = FollowForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():  # a follow refused below gives its use back
                throttle.require(throttle.PORTAL, throttle.client_address(request))
                actions.join(sr, actor=PORTAL, email=form.cleaned_data["email"], language=_language(),
                             channel=Channel.WEB, confirmed=False)  # fmt: skip
            messages.success(request, _("Thank you. We sent a link to %(email)s: open it to start hearing when "
                                        "this request changes.") % {"email": form.cleaned_data["email"]})  # fmt: skip
            return HttpResponseRedirect(reverse("portal:track", args=[sr.tracking_number]))
        except throttle.Exhausted as exhausted:
            form.add_error(None, TOO_MANY)
            return _too_many(render(request, "portal/follow.html", {"sr": sr, "follow_form": form}, status=429),
                             exhausted)  # fmt: skip
        except (SubmissionInvalid, actions.TransitionRefused) as error:
            form.add_error(
                "email", str(error.errors[0].message) if isinstance(error, SubmissionInvalid) else str(error)
            )
    return render(request, "portal/follow.html", {"sr": sr, "follow_form": form}, status=400)


def track_form(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "").strip()[:40]
    if number:
        if ServiceRequest.objects.get_by_tracking_number(number):
            return HttpResponseRedirect(reverse("portal:track", args=[number]))
        return render(request, "portal/track_form.html", {"number": number, "missing": True}, status=404)
    return render(request, "portal/track_form.html", {})


def track(request: HttpRequest, number: str) -> HttpResponse:
    sr = ServiceRequest.objects.select_related("service_type", "department", "parent").get_by_tracking_number(number)
    if sr is None:
        return render(request, "portal/track_form.html", {"number": number[:40], "missing": True}, status=404)
    if not privacy.is_public(sr):
        # A private service's request: the status only, to whoever has the number.
        return render(request, "portal/track_private.html", {"sr": sr, "filed": request.GET.get("filed")})
    events = sr.events.filter(is_public=True).order_by("at", "id")
    # Who else reported it is a count of confirmed addresses, not history lines anyone could add.
    also = sr.followers.exclude(confirmed_at=None).count()
    return render(
        request, "portal/track.html",
        {"sr": sr, "events": events, "filed": request.GET.get("filed"), "also_reported": also,
         "photo": privacy.Reader().media_url(sr)},
    )  # fmt: skip


def recent(request: HttpRequest) -> HttpResponse:
    """Requests of the last 30 days on a map and in a list: what, where, status; never who."""
    since = timezone.now() - timedelta(days=30)
    qs = (
        privacy.public_requests(ServiceRequest.objects.filter(requested_at__gte=since))
        .select_related("service_type")
        .only("id", "requested_at", "status", "address", "lat", "long", "service_type__name",
              "service_type__name_es", "service_type__service_code")
        .order_by("-requested_at", "-id")
    )  # fmt: skip
    if request.GET.get("status") == "open":
        qs = qs.filter(status__in=sorted(OPEN_STATUSES))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    points = [
        {"lat": sr.lat, "long": sr.long, "label": f"{sr.tracking_number} {localized(sr.service_type, 'name')}",
         "url": reverse("portal:track", args=[sr.tracking_number])}
        for sr in qs.exclude(lat=None)[:500]
    ]  # fmt: skip
    lat, long = (float(x) for x in settings.CIVIC311_MAP_CENTER.split(","))
    return render(
        request, "portal/recent.html",
        {"page": page, "map": {"center": [lat, long], "tiles": settings.CIVIC311_TILE_URL, "points": points},
         "only_open": request.GET.get("status") == "open"},
    )  # fmt: skip
