"""Run the benchmarks on each database, one child process per database (each needs its own settings).

python -m bench                      # SQLite and PostgreSQL, 100,000 seeded requests
python -m bench --n 1000000          # a million
python -m bench --db sqlite --n 20000
python -m bench --suite kb           # knowledge-base search only (5,000 articles, two languages)
python -m bench --suite console      # call statistics over a million contacts (New York's ten days)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from bench.api import PG_ADMIN_URL, postgres_reachable


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--n", type=int, default=int(os.environ.get("BENCH_N", "100000")), help="requests to seed (default 100000)"
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for throughput (default 8)")
    parser.add_argument("--posts", type=int, default=2000, help="POST /requests calls to time (default 2000)")
    parser.add_argument("--samples", type=int, default=60, help="calls per latency figure (default 60)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_ADMIN_URL))
    parser.add_argument(
        "--suite", choices=["api", "kb", "console", "all"], default="all", help="which benchmarks (default all)"
    )
    parser.add_argument("--articles", type=int, default=5000, help="knowledge-base articles for the kb suite")
    parser.add_argument("--contacts", type=int, default=1_000_000, help="contacts for the console suite")
    args = parser.parse_args()
    if args.n < 1000:
        parser.error("--n must be at least 1000")
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in databases and not postgres_reachable(args.pg_url):
        print(f"PostgreSQL at {args.pg_url} is not reachable; skipping it.")
        databases.remove("postgres")
    status = 0
    for db in databases:
        if args.suite in {"kb", "all"}:
            kb = [
                sys.executable,
                "-m",
                "bench.kb",
                "--db",
                db,
                "--articles",
                str(args.articles),
                "--pg-url",
                args.pg_url,
            ]
            status |= subprocess.run(kb, check=False).returncode
        if args.suite in {"console", "all"}:
            console = [sys.executable, "-m", "bench.console", "--db", db, "--contacts", str(args.contacts),
                       "--pg-url", args.pg_url]  # fmt: skip
            status |= subprocess.run(console, check=False).returncode
        if args.suite in {"kb", "console"}:
            continue
        child = [sys.executable, "-m", "bench.api", "--db", db, "--n", str(args.n), "--clients", str(args.clients),
                 "--posts", str(args.posts), "--samples", str(args.samples), "--pg-url", args.pg_url]  # fmt: skip
        status |= subprocess.run(child, check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
