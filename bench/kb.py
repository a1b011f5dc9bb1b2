"""Knowledge-base search on one database: how often it finds the right answer, and how fast.

Quality: the sample knowledge base, and the questions of ``kb_questions.csv`` (residents' own
wording, in English and Spanish, typos included), each with the article that answers it; prints
the share found first (top-1) and among the first three (top-3), per language.

Latency: 5,000 articles in English and Spanish; beside it, in the same run, a plain indexed lookup
(an article by its slug) as the baseline.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path

from bench.api import PG_ADMIN_URL, print_table, setup_django, time_calls

TOPICS_EN = ["birth certificate", "death certificate", "marriage license", "dog license", "excise tax",
             "property tax", "parking ticket", "trash pickup", "recycling", "snow emergency", "voter registration",
             "building permit", "street light", "pothole", "tree removal", "noise complaint", "water bill",
             "business certificate", "yard waste", "bulky items", "rodent control", "sidewalk repair"]  # fmt: skip
TOPICS_ES = ["acta de nacimiento", "acta de defunción", "licencia de matrimonio", "licencia de perro",
             "impuesto vehicular", "impuesto predial", "multa de estacionamiento", "recogida de basura", "reciclaje",
             "emergencia de nieve", "registro de votantes", "permiso de construcción", "alumbrado público",
             "bache", "poda de árboles", "queja de ruido", "factura de agua"]  # fmt: skip
FILLER_EN = [
    "visit", "city", "hall", "bring", "identification", "office", "hours", "monday", "friday", "fee", "online",
    "form", "mail", "payment",
]  # fmt: skip
FILLER_ES = [
    "visite", "ayuntamiento", "traiga", "identificación", "horario", "oficina", "lunes", "viernes", "tarifa",
    "formulario", "pago",
]  # fmt: skip
QUERIES = {
    "en": ["birth certificate", "excise", "parking tick", "snow emergency rules", "permit", "certficate"],
    "es": ["licencia perro", "basura", "impuesto predial", "multa"],
}


QUESTIONS = Path(__file__).resolve().parent / "kb_questions.csv"
# The first three answers to each question, as both databases must give them (the test suite checks
# each database against this file; regenerate it with --write-expected after changing the ranking
# or the sample knowledge base, and read its diff).
EXPECTED = Path(__file__).resolve().parent / "kb_expected_top3.csv"


def read_questions(path: Path = QUESTIONS) -> list[tuple[str, str, set[str]]]:
    """(language, question, acceptable slugs) for each row; ``a|b`` accepts either article."""
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["language"], r["question"], set(r["expected"].split("|"))) for r in csv.DictReader(f)]


def write_expected(path: Path = EXPECTED) -> None:
    from civic311.knowledge.search import search

    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["language", "question", "top3"])
        for language, question, _ in read_questions():
            writer.writerow([language, question, " ".join(h.text.article.slug for h in search(question, language)[:3])])
    print(f"wrote {path}")


def quality(db: str, show_misses: bool) -> None:
    """Top-1 and top-3 hit rates of the question set over the sample knowledge base, per language."""
    from civic311.catalog.sample import load_catalog
    from civic311.knowledge.folder import SAMPLE_FOLDER, import_folder
    from civic311.knowledge.search import search

    load_catalog()
    import_folder(SAMPLE_FOLDER)
    counts: dict[str, list[int]] = {}
    misses = []
    for language, question, expected in read_questions():
        found = [h.text.article.slug for h in search(question, language)[:3]]
        tally = counts.setdefault(language, [0, 0, 0])
        tally[0] += 1
        tally[1] += bool(found[:1]) and found[0] in expected
        tally[2] += bool(expected & set(found))
        if not expected & set(found):
            misses.append((language, question, "|".join(sorted(expected)), ", ".join(found) or "(nothing)"))
    print(f"\n{db}: {sum(c[0] for c in counts.values())} residents' questions over the sample knowledge base")
    rows = [(lang, str(n), f"{top1 / n:.0%} ({top1})", f"{top3 / n:.0%} ({top3})")
            for lang, (n, top1, top3) in sorted(counts.items())]  # fmt: skip
    print_table(("language", "questions", "top-1", "top-3"), rows)
    if show_misses and misses:
        print(f"\n{db}: not in the top 3")
        print_table(("language", "question", "expected", "found"), misses)


def clear() -> None:
    from civic311.knowledge.models import Article

    Article.objects.all().delete()


def seed(count: int) -> None:
    from civic311.knowledge.actions import save_text
    from civic311.knowledge.models import Article

    rng = random.Random(5)
    for n in range(count):
        article = Article.objects.create(slug=f"article-{n}")
        topic = rng.choice(TOPICS_EN)
        words = " ".join(rng.choices(FILLER_EN, k=40))
        save_text(article, "en", title=f"How do I handle {topic} case {n}?", answer=f"For {topic}: {words}.",
                  keywords=f"{topic}, help {n}")  # fmt: skip
        topic_es = rng.choice(TOPICS_ES)
        words_es = " ".join(rng.choices(FILLER_ES, k=40))
        save_text(article, "es", title=f"¿Cómo resuelvo {topic_es} caso {n}?", answer=f"Para {topic_es}: {words_es}.",
                  keywords=topic_es)  # fmt: skip


def run(args: argparse.Namespace) -> None:
    setup_django(args.db, args.pg_url, "civic311-kb-bench-")
    from django.core.management import call_command
    from django.db import connection

    from civic311.knowledge.models import Article
    from civic311.knowledge.search import search

    call_command("migrate", verbosity=0)
    if args.part in {"quality", "both"}:
        quality(args.db, args.misses)
        if args.write_expected:
            write_expected()
        clear()
    if args.part == "quality":
        return
    print(f"\n== {args.db}: seeding {args.articles:,} articles in two languages ...", flush=True)
    start = time.perf_counter()
    seed(args.articles)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seeded = time.perf_counter() - start
    rng = random.Random(9)

    def timed(call) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        return time_calls(call, args.samples)

    base = timed(lambda: Article.objects.get(slug=f"article-{rng.randrange(args.articles)}"))
    rows = [("seed through save_text", f"{seeded:.1f} s", ""), ("baseline: article by slug (indexed)",
            f"{base[0]:.2f} / {base[1]:.2f}", "")]  # fmt: skip
    for language, queries in QUERIES.items():
        for query in queries:
            found = len(search(query, language))
            p50, p95 = timed(lambda q=query, lang=language: search(q, lang))
            rows.append((f"search [{language}] {query!r} ({found} hits)", f"{p50:.2f} / {p95:.2f}",
                         f"{p50 / base[0]:.0f}x baseline"))  # fmt: skip
    print(f"\n{args.db}: {args.articles:,} articles ({2 * args.articles:,} texts), {args.samples} calls each")
    print_table(("measure", "p50 / p95 ms", "compared"), rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--pg-url", default=PG_ADMIN_URL)
    parser.add_argument("--part", choices=["quality", "latency", "both"], default="both")
    parser.add_argument("--misses", action="store_true", help="list the questions not answered in the top 3")
    parser.add_argument(
        "--write-expected", action="store_true", help=f"write the top 3 of each question to {EXPECTED.name}"
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
