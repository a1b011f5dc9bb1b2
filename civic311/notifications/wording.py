"""What a city's own wording of an email (EmailText) may say, checked before it is saved.

Each email has a fixed context (``residents._send`` and ``record_standard_notice`` build it). An
override may use those variables only (never the reporter's name, email or phone, which the context
holds inside ``request``), a small set of tags (no ``include``, ``debug``…), and must keep the parts
residents rely on: the link to the request's page and the link that stops its emails. The check is
twofold: the template is read for every variable it names, and it is rendered from a sample
context, so a required link hidden in a false condition or a comment is caught too.

The admin lists each email's variables beside the fields and previews the saved text rendered from
the same sample context; ``render_email`` falls back to the template files for a stored text that
fails these checks (one written before they existed), so no resident gets an email without its links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Lexer, Node, NodeList, TokenType, Variable
from django.template.defaulttags import ForNode, WithNode
from django.template.smartif import TokenBase
from django.templatetags.i18n import BlockTranslateNode
from django.urls import reverse

RESIDENT_VARIABLES = {
    "request.tracking_number": "the tracking number, e.g. 26-00012345",
    "request.get_status_display": "the status, in the reader's language",
    "request.status_notes": "the latest public note on the request",
    "request.address": "the address given for the request (may be empty)",
    "request.requested_at": "when it was filed (format with |date)",
    "request.expected_at": "when it is expected to be done (may be empty)",
    "request.closed_at": "when it was closed (may be empty)",
    "service_name": "the service's name, in the reader's language",
    "service_notice": "the service's notice to residents, in the reader's language",
    "city": "the city's name",
    "track_url": "the link to the request's public page (required)",
    "unsubscribe_url": "the link that stops emails about this request (required)",
}
EVENT_VARIABLES = {"event.note": "the public note of this change (may be empty)"}
STAFF_VARIABLES = {
    "request.tracking_number": "the tracking number (required)",
    "request.service_type.name": "the service",
    "request.service_type.target_hours": "the performance standard, in hours",
    "request.get_status_display": "the status",
    "request.address": "the address (may be empty)",
    "request.requested_at": "when it was filed",
    "request.assigned_to": "who it is assigned to (may be empty)",
    "request.crew": "the crew it is assigned to (may be empty)",
    "request.crew.name": "the crew's name",
    "request.department.name": "the responsible department",
    "due": "when the standard is (or was) due",
}
RESIDENT_REQUIRED = ("track_url", "unsubscribe_url")


@dataclass(frozen=True)
class EmailSpec:
    variables: dict[str, str]
    # Variables the plain-text body (and the HTML body, when there is one) must show.
    required: tuple[str, ...] = field(default=())


EMAILS: dict[str, EmailSpec] = {
    "request_received": EmailSpec(RESIDENT_VARIABLES, RESIDENT_REQUIRED),
    "request_updated": EmailSpec({**RESIDENT_VARIABLES, **EVENT_VARIABLES}, RESIDENT_REQUIRED),
    "request_closed": EmailSpec({**RESIDENT_VARIABLES, **EVENT_VARIABLES}, RESIDENT_REQUIRED),
    "request_merged": EmailSpec(
        {**RESIDENT_VARIABLES, **EVENT_VARIABLES, "parent.tracking_number": "the request it now follows"},
        RESIDENT_REQUIRED,
    ),
    "request_joined": EmailSpec(RESIDENT_VARIABLES, RESIDENT_REQUIRED),
    "standard_warning": EmailSpec(STAFF_VARIABLES, ("request.tracking_number",)),
    "standard_breach": EmailSpec(STAFF_VARIABLES, ("request.tracking_number",)),
}

# Conditions, loops, translation and formatting; nothing that reads other templates or dumps the context.
ALLOWED_TAGS = frozenset({
    "if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "firstof", "now", "spaceless",
    "endspaceless", "autoescape", "endautoescape", "comment", "endcomment", "load", "translate", "trans",
    "blocktranslate", "blocktrans", "plural", "endblocktranslate", "endblocktrans", "filter", "endfilter", "localize",
    "endlocalize", "localtime", "endlocaltime", "cycle",
})  # fmt: skip
ALLOWED_LIBRARIES = frozenset({"i18n", "l10n", "tz"})
# Residents' text (an address) must stay escaped in the HTML part.
HTML_REFUSED_FILTERS = frozenset({"safe", "safeseq"})
FIELD_NAMES = {"subject": "The subject", "body_text": "The plain-text body", "body_html": "The HTML body"}


def _tag_problems(text: str) -> list[str]:
    problems = []
    for token in Lexer(text).tokenize():
        if token.token_type != TokenType.BLOCK or not token.contents.strip():
            continue
        bits = token.split_contents()
        name = bits[0]
        if name not in ALLOWED_TAGS:
            problems.append(
                f"The tag {{% {name} %}} is not allowed in email text; use {', '.join(sorted(ALLOWED_TAGS))}."
            )
        elif name == "load":
            libraries = bits[-1:] if "from" in bits else bits[1:]
            for library in libraries:
                if library not in ALLOWED_LIBRARIES:
                    loadable = ", ".join(sorted(ALLOWED_LIBRARIES))
                    problems.append(f"{{% load {library} %}} is not allowed; email text may load {loadable}.")
    return problems


@dataclass
class _Names:
    used: set[str] = field(default_factory=set)  # dotted variable paths the template reads
    bound: set[str] = field(default_factory=set)  # names the template itself binds (for, with, as…)
    filters: set[str] = field(default_factory=set)


def _variable(var: Any, names: _Names) -> None:
    if isinstance(var, Variable) and var.lookups is not None:
        names.used.add(".".join(var.lookups))


def _walk(value: Any, names: _Names, seen: set[int]) -> None:
    if value is None or isinstance(value, str | int | float | bool) or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, FilterExpression):
        _variable(value.var, names)
        for function, arguments in value.filters:
            names.filters.add(getattr(function, "_filter_name", function.__name__))
            for _, argument in arguments:
                _variable(argument, names)
    elif isinstance(value, Variable):
        _variable(value, names)
    elif isinstance(value, Node | TokenBase):
        if isinstance(value, ForNode):
            names.bound.update([*value.loopvars, "forloop"])
        elif isinstance(value, WithNode):
            names.bound.update(value.extra_context)
        elif isinstance(value, BlockTranslateNode):
            names.bound.update(value.extra_context)
            if value.countervar:
                names.bound.add(value.countervar)
            for token in [*value.singular, *value.plural]:
                if token.token_type == TokenType.VAR:
                    names.used.add(token.contents.strip())
        for key, attribute in vars(value).items():
            if key in {"asvar", "variable_name"} and isinstance(attribute, str):
                names.bound.add(attribute)
            elif key not in {"token", "origin", "singular", "plural"}:
                _walk(attribute, names, seen)
    elif isinstance(value, list | tuple | NodeList):
        for item in value:
            _walk(item, names, seen)
    elif isinstance(value, dict):
        for item in value.values():
            _walk(item, names, seen)


def sample_context(template: str) -> dict[str, Any]:
    """The context an email is rendered with, filled with made-up values (for checks and previews)."""
    from civic311.catalog.models import Crew, Department, ServiceType
    from civic311.service_requests.models import ServiceRequest, ServiceRequestEvent

    zone = ZoneInfo(settings.TIME_ZONE)
    department = Department(name="Public Works")
    service = ServiceType(service_code="POTHOLE", name="Pothole", target_hours=48, department=department)
    request = ServiceRequest(
        pk=12345, service_type=service, department=department, status="in_progress", address="12 Main St",
        status_notes="A crew is scheduled.", requested_at=datetime(2026, 3, 2, 9, 30, tzinfo=zone),
        expected_at=datetime(2026, 3, 4, 9, 30, tzinfo=zone), crew=Crew(name="Hot patch 2", department=department),
    )  # fmt: skip
    event = ServiceRequestEvent(note="A crew is scheduled for Tuesday.", at=request.requested_at)
    track = f"{settings.CIVIC311_PUBLIC_URL}{reverse('portal:track', args=[request.tracking_number])}"
    context: dict[str, Any] = {
        "request": request, "event": event, "track_url": track, "city": settings.CIVIC311_CITY_NAME,
        "service_name": "Pothole", "service_notice": "Most potholes are filled within two days.",
        "unsubscribe_url": f"{settings.CIVIC311_PUBLIC_URL}{reverse('notifications:unsubscribe', args=['SAMPLE'])}",
    }  # fmt: skip
    if template == "request_merged":
        context["parent"] = ServiceRequest(pk=12000, requested_at=request.requested_at)
    if template.startswith("standard_"):
        context = {"request": request, "due": request.expected_at}
    return context


def problems(template: str, field_name: str, text: str) -> list[str]:
    """What is wrong with ``text`` as the ``field_name`` of email ``template`` (empty: nothing)."""
    spec = EMAILS.get(template)
    if spec is None or (field_name == "body_html" and not text.strip()):
        return []
    found = _tag_problems(text)
    if found:
        return found
    try:
        parsed = Template(text)
    except TemplateSyntaxError as error:
        return [f"Not a valid template: {error}"]
    names = _Names()
    _walk(parsed.nodelist, names, set())
    allowed = ", ".join(sorted(spec.variables))
    for used in sorted(names.used):
        if used.split(".")[0] not in names.bound and used not in spec.variables:
            found.append(f"Unknown variable {{{{ {used} }}}}: this email has {allowed}.")
    if field_name == "body_html":
        found += [
            f"The filter |{name} is not allowed in the HTML body: what residents typed must stay escaped."
            for name in sorted(names.filters & HTML_REFUSED_FILTERS)
        ]
    if field_name == "subject" or found:
        return found
    context = sample_context(template)
    try:
        rendered = parsed.render(Context(context, autoescape=field_name == "body_html"))
    except Exception as error:  # any failure to render is the text's problem, said plainly
        return [f"Could not be rendered: {type(error).__name__}: {error}"]
    where = FIELD_NAMES[field_name]
    for variable in spec.required:
        description = spec.variables[variable].removesuffix(" (required)")
        if variable not in names.used:
            found.append(f"{where} must contain {{{{ {variable} }}}} ({description}); it is missing.")
        elif str(Variable(variable).resolve(context)) not in rendered:
            found.append(
                f"{where} names {{{{ {variable} }}}} ({description}) but does not show it when rendered; "
                "take it out of the condition or comment around it."
            )
    return found


def usable(template: str, subject: str, body_text: str, body_html: str) -> bool:
    """The stored wording passes every check (else the email's template files are used)."""
    return not any(
        problems(template, name, text)
        for name, text in (("subject", subject), ("body_text", body_text), ("body_html", body_html))
    )


def variables_help(template: str | None = None) -> str:
    """The variables of one email (or of every email), as plain lines for the admin's help text."""
    chosen = [template] if template in EMAILS else list(EMAILS)
    lines = []
    for name in chosen:
        spec = EMAILS[name]
        listed = "; ".join(f"{{{{ {var} }}}}: {text}" for var, text in spec.variables.items())
        lines.append(f"{name}: {listed}." if len(chosen) > 1 else f"{listed}.")
    return "\n".join(lines)
