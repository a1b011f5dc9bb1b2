"""The knowledge base as a folder of Markdown files, one per article and language.

``<slug>.<language>.md`` holds YAML front matter (title, keywords, audience, department, services,
review_by) and the answer as the body; ``synonyms.csv`` beside them holds the city's vocabulary
(language, phrase, means). A city can keep its knowledge base in a repository, edit it in any editor,
and load it again: the import checks every file before writing anything.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from django.db import transaction

from civic311.catalog.models import Department, ServiceType
from civic311.knowledge.actions import save_synonym, save_text
from civic311.knowledge.models import SEARCH_CONFIGS, Article, Synonym
from civic311.lib.csv_stream import csv_lines

# The sample city's knowledge base, shipped with the package and loaded by ``civic311 load-sample``.
SAMPLE_FOLDER = Path(__file__).resolve().parent / "sample_kb"
NAME_RE = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]{0,119})\.(?P<language>[a-z]{2})\.md$")
SYNONYMS_FILE = "synonyms.csv"
SYNONYM_COLUMNS = ["language", "phrase", "means"]


class FolderError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def export_folder(folder: Path) -> int:
    """Write every article text as a Markdown file; returns how many files were written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for article in Article.objects.prefetch_related("texts", "service_types").select_related("department"):
        for text in article.texts.all():
            meta: dict[str, Any] = {"title": text.title, "keywords": text.keywords, "audience": article.audience}
            if article.department:
                meta["department"] = article.department.slug
            codes = sorted(st.service_code for st in article.service_types.all())
            if codes:
                meta["services"] = codes
            if article.review_by:
                meta["review_by"] = article.review_by.isoformat()
            post = frontmatter.Post(text.answer, **meta)
            (folder / f"{article.slug}.{text.language}.md").write_text(frontmatter.dumps(post) + "\n", encoding="utf-8")
            written += 1
    synonyms = Synonym.objects.order_by("language", "phrase")
    if synonyms.exists():
        with (folder / SYNONYMS_FILE).open("w", encoding="utf-8", newline="") as f:
            f.writelines(csv_lines(SYNONYM_COLUMNS, ([s.language, s.phrase, s.means] for s in synonyms)))
        written += 1
    return written


@dataclass
class Planned:
    slug: str
    language: str
    title: str
    answer: str
    keywords: str
    audience: str
    department: Department | None
    services: list[ServiceType] = field(default_factory=list)
    review_by: date | None = None


def _plan(path: Path, problems: list[str]) -> Planned | None:
    match = NAME_RE.match(path.name)
    if not match or match["language"] not in SEARCH_CONFIGS:
        problems.append(f"{path.name}: name it <slug>.<language>.md with language {' or '.join(SEARCH_CONFIGS)}.")
        return None
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        problems.append(f"{path.name}: unreadable ({type(error).__name__}: {str(error)[:120]}).")
        return None
    meta = post.metadata
    title, answer = str(meta.get("title", "")).strip(), post.content.strip()
    if not title or not answer:
        problems.append(f"{path.name}: needs a title in the front matter and an answer below it.")
        return None
    audience = str(meta.get("audience", Article.Audience.PUBLIC))
    if audience not in Article.Audience.values:
        problems.append(f"{path.name}: audience {audience!r} is not public or internal.")
    department = None
    if meta.get("department"):
        department = Department.objects.filter(slug=str(meta["department"])).first()
        if department is None:
            problems.append(f"{path.name}: no department {meta['department']!r}.")
    listed = meta.get("services") or []
    codes = [str(c) for c in listed] if isinstance(listed, list) else [str(listed)]
    services = list(ServiceType.objects.filter(service_code__in=codes))
    missing = sorted(set(codes) - {st.service_code for st in services})
    if missing:
        problems.append(f"{path.name}: no service {', '.join(missing)}.")
    review_by = meta.get("review_by")
    if review_by is not None and not isinstance(review_by, date):
        try:
            review_by = date.fromisoformat(str(review_by))
        except ValueError:
            problems.append(f"{path.name}: review_by {review_by!r} is not a date (YYYY-MM-DD).")
            review_by = None
    return Planned(match["slug"], match["language"], title, answer, str(meta.get("keywords") or ""), audience,
                   department, services, review_by)  # fmt: skip


def _synonym_rows(folder: Path, problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows of the folder's synonyms.csv (none when there is no such file), numbered as an editor sees them."""
    path = folder / SYNONYMS_FILE
    if not path.exists():
        return []
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames != SYNONYM_COLUMNS:
                problems.append(f"{SYNONYMS_FILE}: the first line must be {','.join(SYNONYM_COLUMNS)}.")
                return []
            return [(n, {k: v or "" for k, v in row.items() if k}) for n, row in enumerate(reader, start=2)]
    except (UnicodeDecodeError, csv.Error) as error:
        problems.append(f"{SYNONYMS_FILE}: unreadable ({type(error).__name__}: {str(error)[:120]}).")
        return []


def _load_synonyms(rows: list[tuple[int, dict[str, str]]]) -> None:
    """Each row replaces the meanings of its phrase, or adds the phrase."""
    from civic311.knowledge.terms import terms_of
    from civic311.service_requests.validators import SubmissionInvalid

    for line, row in rows:
        language = row.get("language", "")
        key = " ".join(terms_of(row.get("phrase", ""), language)) if language in SEARCH_CONFIGS else ""
        existing = Synonym.objects.filter(language=language, phrase_terms=key).first() if key else None
        try:
            save_synonym(language, row.get("phrase", ""), row.get("means", ""), synonym=existing)
        except SubmissionInvalid as invalid:
            raise FolderError([f"{SYNONYMS_FILE} line {line}: {invalid}"]) from None


def import_folder(folder: Path) -> tuple[int, int]:
    """Load every ``*.md`` file of ``folder``, and its synonyms.csv; all or nothing. Returns (articles, texts)."""
    problems: list[str] = []
    plans = [p for p in (_plan(path, problems) for path in sorted(folder.glob("*.md"))) if p is not None]
    synonyms = _synonym_rows(folder, problems)
    if not plans and not problems:
        problems.append(f"{folder}: no .md files.")
    if problems:
        raise FolderError(problems)
    from civic311.service_requests.validators import SubmissionInvalid

    slugs = set()
    try:
        with transaction.atomic():
            for plan in plans:
                article, _ = Article.objects.update_or_create(
                    slug=plan.slug,
                    defaults={"audience": plan.audience, "department": plan.department, "review_by": plan.review_by},
                )
                if plan.services:
                    article.service_types.set(plan.services)
                save_text(article, plan.language, title=plan.title, answer=plan.answer, keywords=plan.keywords)
                slugs.add(plan.slug)
            _load_synonyms(synonyms)
    except SubmissionInvalid as invalid:
        raise FolderError([f"{plan.slug}.{plan.language}.md: {invalid}"]) from None
    return len(slugs), len(plans)
