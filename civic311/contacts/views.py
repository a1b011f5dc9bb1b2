"""The CSR console: one screen per contact, built for typing while the caller talks.

Every panel works as a plain page (forms and links, no JavaScript needed); with htmx the search
answers as the CSR types and panels refresh in place. Views stay thin: each change is an action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic311.catalog.models import Department, ServiceType
from civic311.contacts import actions, forms
from civic311.contacts.models import Contact
from civic311.contacts.queries import caller_history
from civic311.knowledge import answers as kb_answers
from civic311.knowledge import search as kb
from civic311.knowledge.models import Article, SearchLog
from civic311.knowledge.render import text_for
from civic311.service_requests import actions as request_actions
from civic311.service_requests.intake import RequestForm
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.queries import likely_duplicates
from civic311.service_requests.validators import SubmissionInvalid

USE_CONSOLE = "contacts.use_console"
VIEW_CALL_STATS = "contacts.view_call_stats"
MAX_QUERY = 200  # what a search box sends; longer input is cut, never an error


def console_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(USE_CONSOLE):
            raise PermissionDenied("The console is for CSRs and their supervisors.")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _contact_or_404(request: HttpRequest, pk: int) -> Contact:
    """A CSR works their own contacts; supervisors may open anyone's."""
    contact = get_object_or_404(Contact.objects.select_related("csr", "transferred_to"), pk=pk)
    if contact.csr_id != request.user.pk and not request.user.has_perm(VIEW_CALL_STATS):
        raise PermissionDenied("This contact belongs to another CSR.")
    return contact


def _form_errors(form: Any, invalid: SubmissionInvalid) -> None:
    for error in invalid.errors:
        form.add_error(error.field if error.field in form.fields else None, error.message)


@console_required
def home(request: HttpRequest) -> HttpResponse:
    """Start a contact. The phone system opens /console/?phone=NUMBER, so the caller's number and
    history are already there when the CSR picks up."""
    phone = request.GET.get("phone", "")[:40]
    initial = {"caller_phone": phone, "channel": request.GET.get("channel") or Contact.Channel.PHONE}
    return _home(request, forms.StartForm(initial=initial), phone)


def _home(request: HttpRequest, form: forms.StartForm, phone: str, status: int = 200) -> HttpResponse:
    mine = Contact.objects.filter(csr_id=request.user.pk, ended_at__isnull=True).order_by("-started_at")[:20]
    return render(
        request, "contacts/home.html",
        {"form": form, "open_contacts": mine, "history": caller_history(phone=phone), "phone": phone},
        status=status,
    )  # fmt: skip


@console_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    form = forms.StartForm(request.POST)
    if form.is_valid():
        try:
            contact = actions.start(request.user, **form.cleaned_data)  # type: ignore[arg-type]
            return HttpResponseRedirect(reverse("console:contact", args=[contact.pk]))
        except SubmissionInvalid as invalid:
            _form_errors(form, invalid)
    return _home(request, form, request.POST.get("caller_phone", "")[:40], status=400)


def _search(contact: Contact, query: str) -> dict[str, Any]:
    """Search in the caller's language, with the other language's matches and the services to file
    when they help. Nothing is logged here (this runs as the CSR types): the wrap-up logs the last phrase."""
    query = query[:MAX_QUERY]
    if not query.strip():
        return {"q": query, "hits": [], "kb_message": ""}
    if not kb.words_of(query):
        return {"q": query, "hits": [], "kb_message": _("Type a word or two: that search has no words in it.")}
    found = kb_answers.answer(query, contact.language, channel=SearchLog.Channel.CONSOLE, include_internal=True,
                              log=False)  # fmt: skip
    message = ""
    if found.is_miss and found.other_hits:
        message = (_("Nothing in Spanish matched; these answers are in English.") if contact.language == "es"
                   else _("Nothing in English matched; these answers are in Spanish."))  # fmt: skip
    elif found.is_miss:
        message = _("No article matches “%(query)s”.") % {"query": query}
    elif found.corrected:
        message = _("Showing results for “%(corrected)s”.") % {"corrected": found.corrected}
    suggested = [(a, shown.text.title) for a in found.suggested
                 if (shown := text_for(a, contact.language)) is not None]  # fmt: skip
    return {"q": query, "hits": found.hits, "kb_message": message, "found": found, "suggested": suggested}


def _page(request: HttpRequest, contact: Contact, status: int = 200, **context: Any) -> HttpResponse:
    """The whole console screen for a contact; panels given in ``context`` replace their defaults."""
    context.setdefault("request_form", None)
    caller = forms.CallerForm(
        initial={"caller_phone": contact.caller_phone, "caller_name": contact.caller_name,
                 "caller_email": contact.caller_email, "language": contact.language}
    )  # fmt: skip
    defaults = {
        "contact": contact,
        "history": caller_history(phone=contact.caller_phone, email=contact.caller_email, exclude_contact=contact.pk),
        "services": _services(),
        "departments": Department.objects.filter(is_active=True).order_by("name"),
        "transfer_form": forms.TransferForm(),
        "wrap_form": forms.WrapUpForm(),
        "caller_form": caller,
        "links": contact.request_links.select_related("request__service_type"),
        "articles_used": contact.articles.all(),
        **_search(contact, request.GET.get("q", "")),
    }
    return render(request, "contacts/contact.html", {**defaults, **context}, status=status)


@console_required
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The console screen. Query parameters open panels without JavaScript: ``article``,
    ``service``, ``number`` (the same views htmx calls for each panel)."""
    contact = _contact_or_404(request, pk)
    extra: dict[str, Any] = {}
    if request.GET.get("article") and contact.is_open:
        extra.update(_article_context(contact, request.GET["article"]))
    if request.GET.get("service"):
        extra.update(_service_context(request.GET["service"], contact.language))
    if request.GET.get("number") and contact.is_open:
        extra.update(_lookup_context(contact, request.GET["number"]))
    return _page(request, contact, **extra)


@console_required
def kb_results(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    if not _is_htmx(request):
        return HttpResponseRedirect(reverse("console:contact", args=[pk]) + "?" + request.GET.urlencode())
    return render(
        request, "contacts/_kb_results.html", {"contact": contact, **_search(contact, request.GET.get("q", ""))}
    )


def _article_context(contact: Contact, slug: str) -> dict[str, Any]:
    article = Article.objects.filter(slug=slug[:120], is_published=True).prefetch_related("texts").first()
    shown = text_for(article, contact.language) if article else None
    if article is None or shown is None:
        return {"article_missing": slug[:120]}
    actions.use_article(contact, article, language=shown.text.language)
    return {"shown": shown, "article": article}


@console_required
def article(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Show an answer beside the search; reading it to the caller counts as a console view."""
    contact = _contact_or_404(request, pk)
    if not _is_htmx(request) or not contact.is_open:
        return HttpResponseRedirect(reverse("console:contact", args=[pk]) + f"?article={slug}")
    context = _article_context(contact, slug)
    return render(request, "contacts/_answer.html", {"contact": contact, **context})


def _services() -> QuerySet[ServiceType]:
    return ServiceType.objects.filter(is_active=True).order_by("group", "name")


def _service_context(code: str, language: str = "en") -> dict[str, Any]:
    """The request panel for a chosen service: the picker, and the service's form."""
    service = ServiceType.objects.filter(service_code=code[:64], is_active=True).first()
    if service is None:
        return {"services": _services(), "service_missing": code[:64]}
    return {"services": _services(), "service": service,
            "request_form": RequestForm(service_type=service, language=language)}  # fmt: skip


@console_required
def request_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the chosen service's questions. POST: file the request for the caller."""
    contact = _contact_or_404(request, pk)
    code = request.POST.get("service") or request.GET.get("service", "")
    if request.method != "POST":
        if not _is_htmx(request):
            return HttpResponseRedirect(reverse("console:contact", args=[pk]) + f"?service={code}")
        return render(
            request, "contacts/_request.html", {"contact": contact, **_service_context(code, contact.language)}
        )
    context = _service_context(code, contact.language)
    status = 400
    if "service" in context and contact.is_open:
        form = RequestForm(request.POST, service_type=context["service"], language=contact.language)
        context["request_form"] = form
        point = form.point() if form.is_valid() and not request.POST.get("new_anyway") else None
        private = context["service"].is_private  # another resident's private request is nothing to join
        nearby = likely_duplicates(context["service"], *point) if point and not private else []
        if nearby:
            context["nearby"], status = nearby, 409
        elif form.is_valid():
            try:
                filed = actions.file_request(contact, context["service"], form.to_input(), csr=request.user)  # type: ignore[arg-type]
                context = {"filed": filed, "services": _services()}
                status = 200
            except SubmissionInvalid as invalid:
                form.add_submission_errors(invalid)
    elif not contact.is_open:
        context["join_error"] = _("This contact is wrapped up; start a new one to file a request.")
    if _is_htmx(request):
        return render(request, "contacts/_request.html", {"contact": contact, **context}, status=status)
    if "filed" in context:
        messages.success(request, _("Filed %(number)s.") % {"number": context["filed"].tracking_number})
        return HttpResponseRedirect(reverse("console:contact", args=[pk]))
    return _page(request, contact, status=status, **context)


@console_required
@require_POST
def join(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the caller to an open request instead of filing the same problem again."""
    contact = _contact_or_404(request, pk)
    found = ServiceRequest.objects.get_by_tracking_number(request.POST.get("number", "")[:40])
    context: dict[str, Any] = {}
    status = 200
    if found is None:
        context, status = {"service_missing": request.POST.get("number", "")[:40], "services": _services()}, 400
    else:
        try:
            actions.join_request(contact, found, csr=request.user)  # type: ignore[arg-type]
            context = {"joined": found, "services": _services()}
        except (actions.ContactClosed, request_actions.TransitionRefused, SubmissionInvalid) as error:
            context, status = {"join_error": str(error), "services": _services()}, 400
    if _is_htmx(request):
        return render(request, "contacts/_request.html", {"contact": contact, **context}, status=status)
    if "joined" in context:
        messages.success(request, _("The caller now follows %(number)s.") % {"number": found.tracking_number})  # type: ignore[union-attr]
    else:
        messages.error(request, context.get("join_error") or _("No such request."))
    return HttpResponseRedirect(reverse("console:contact", args=[pk]))


def _lookup_context(contact: Contact, number: str) -> dict[str, Any]:
    number = number.strip()[:40]
    found = ServiceRequest.objects.select_related("service_type", "department").get_by_tracking_number(number)
    if found is None:
        return {"number": number, "lookup_missing": True}
    actions.look_up(contact, found)
    events = found.events.select_related("actor").order_by("-at", "-id")[:20]
    return {"number": number, "found": found, "found_events": events}


@console_required
def lookup(request: HttpRequest, pk: int) -> HttpResponse:
    """A tracking number's status for the caller."""
    contact = _contact_or_404(request, pk)
    number = request.GET.get("number", "")
    if not _is_htmx(request) or not contact.is_open:
        return HttpResponseRedirect(reverse("console:contact", args=[pk]) + f"?number={number[:40]}")
    return render(request, "contacts/_lookup.html", {"contact": contact, **_lookup_context(contact, number)})


def _post_action(
    request: HttpRequest, pk: int, form_class: type, run: Callable[..., Any], form_key: str
) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(contact, **form.cleaned_data)
            return HttpResponseRedirect(reverse("console:contact", args=[pk]))
        except SubmissionInvalid as invalid:
            _form_errors(form, invalid)
        except actions.ContactClosed as closed:
            messages.error(request, str(closed))
            return HttpResponseRedirect(reverse("console:contact", args=[pk]))
    messages.error(request, _("Please correct the form below."))
    return _page(request, contact, status=400, **{form_key: form})


@console_required
@require_POST
def caller(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, forms.CallerForm, actions.update_caller, "caller_form")


@console_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    def run(contact: Contact, department: Department, note: str) -> None:
        actions.transfer(contact, department, note=note)
        messages.success(
            request,
            _("Transfer the caller to %(name)s at %(phone)s.") % {"name": department.name, "phone": department.phone},
        )

    return _post_action(request, pk, forms.TransferForm, run, "transfer_form")


@console_required
@require_POST
def wrap_up(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    form = forms.WrapUpForm(request.POST)
    if form.is_valid():
        try:
            actions.wrap_up(contact, **form.cleaned_data, last_search=request.POST.get("q", "")[:MAX_QUERY])
            messages.success(request, _("Contact wrapped up."))
            return HttpResponseRedirect(reverse("console:home"))
        except SubmissionInvalid as invalid:
            _form_errors(form, invalid)
        except actions.ContactClosed as closed:
            messages.error(request, str(closed))
            return HttpResponseRedirect(reverse("console:home"))
    return _page(request, contact, status=400, wrap_form=form)
