"""Knowledge-base search latency on one database: 5,000 articles in English and Spanish.

Beside it, in the same run, a plain indexed lookup (an article by its slug) as the baseline.
"""

from __future__ import annotations

import argparse
import random
import time

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
    run(parser.parse_args())


if __name__ == "__main__":
    main()
