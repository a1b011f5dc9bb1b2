"""Hotspots and rising volumes: where and what is clearly above its own normal.

The test. For each service type and map cell, the recent window's count X is compared with the
cell's own baseline: the mean count per window over the preceding ``baseline_windows`` windows,
floored at a small share of the type's citywide rate so that a cell with no history is not
flagged for its first request. Under "nothing has changed", X is Poisson with that mean λ; the
cell is a hotspot when P(X ≥ observed) is below ``alpha`` divided by the number of cells tested
(a Bonferroni correction, so a city of many cells does not flag noise), and X ≥ ``min_count``.
The same test on a service type's citywide counts finds rising types.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from civic311.insights.models import DailyStat, Hotspot
from civic311.service_requests.models import ServiceRequest


def poisson_sf(observed: int, mean: float) -> float:
    """P(X ≥ observed) for X ~ Poisson(mean), summed in log space so large counts stay accurate."""
    if observed <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    below = 0.0
    log_term = -mean  # log P(X = 0)
    for k in range(observed):
        below += math.exp(log_term)
        log_term += math.log(mean) - math.log(k + 1)
    return max(0.0, 1.0 - below)


@dataclass(frozen=True)
class Finding:
    service_type_id: int
    key: str
    recent: int
    expected: float
    p_value: float


def significant(
    recent: dict[tuple[int, str], int], baseline: dict[tuple[int, str], int], windows: int,
    floor: dict[int, float], alpha: float, min_count: int,
) -> list[Finding]:  # fmt: skip
    tested = [key for key, count in recent.items() if count >= min_count]
    threshold = alpha / max(len(tested), 1)
    findings = []
    for key in tested:
        expected = max(baseline.get(key, 0) / windows, floor.get(key[0], 0.0))
        p = poisson_sf(recent[key], expected)
        if p < threshold:
            findings.append(Finding(key[0], key[1], recent[key], expected, p))
    return sorted(findings, key=lambda f: f.p_value)


def find_hotspots(
    now: datetime | None = None, days: int = 7, baseline_windows: int = 8, alpha: float = 0.01, min_count: int = 5
) -> list[Finding]:
    """Cells where a service's last ``days`` days clearly exceed the cell's own previous windows."""
    now = now or timezone.now()
    start = now - timedelta(days=days)
    base_start = start - timedelta(days=days * baseline_windows)
    located = ServiceRequest.objects.exclude(cell="").filter(requested_at__gte=base_start, requested_at__lt=now)
    recent: dict[tuple[int, str], int] = {}
    baseline: dict[tuple[int, str], int] = {}
    cells_per_type: dict[int, set[str]] = defaultdict(set)
    for type_id, cell, is_recent, count in _counts(located, start):
        (recent if is_recent else baseline)[(type_id, cell)] = count
        cells_per_type[type_id].add(cell)
    totals: Counter[int] = Counter()
    for (type_id, _), count in baseline.items():
        totals[type_id] += count
    # The floor: a tenth of the average cell's rate for the type, and never below 0.1 per window.
    floor = {t: max(0.1, 0.1 * totals[t] / baseline_windows / max(len(cells_per_type[t]), 1)) for t in cells_per_type}
    return significant(recent, baseline, baseline_windows, floor, alpha, min_count)


def _counts(qs, start: datetime):  # type: ignore[no-untyped-def]
    for period, is_recent in ((qs.filter(requested_at__lt=start), False), (qs.filter(requested_at__gte=start), True)):
        for row in period.values("service_type_id", "cell").annotate(n=Count("id")):
            yield row["service_type_id"], row["cell"], is_recent, row["n"]


def rising_service_types(
    today: datetime | None = None, days: int = 7, baseline_windows: int = 8, alpha: float = 0.01, min_count: int = 10
) -> list[Finding]:
    """Service types whose citywide volume of the last ``days`` days jumps against their baseline (rollups)."""
    end = timezone.localdate(today) if today else timezone.localdate()
    start = end - timedelta(days=days - 1)
    base_start = start - timedelta(days=days * baseline_windows)
    recent = {
        (row["service_type"], "city"): row["n"]
        for row in DailyStat.objects.filter(day__range=(start, end)).values("service_type").annotate(n=Sum("opened"))
    }
    baseline = {
        (row["service_type"], "city"): row["n"]
        for row in DailyStat.objects.filter(day__range=(base_start, start - timedelta(days=1)))
        .values("service_type")
        .annotate(n=Sum("opened"))
    }
    return significant(recent, baseline, baseline_windows, {}, alpha, min_count)


@transaction.atomic
def refresh_hotspots(now: datetime | None = None) -> int:
    """Replace the stored hotspots with a fresh computation (the periodic job)."""
    now = now or timezone.now()
    findings = find_hotspots(now)
    Hotspot.objects.all().delete()
    Hotspot.objects.bulk_create(
        Hotspot(computed_at=now, service_type_id=f.service_type_id, cell=f.key, recent=f.recent,
                expected=f.expected, p_value=f.p_value)
        for f in findings
    )  # fmt: skip
    return len(findings)
