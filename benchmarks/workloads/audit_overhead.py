"""audit_overhead: the same audited writes with and without the audit record (goal: ≤ 1.15×)."""

from __future__ import annotations

from contextlib import contextmanager

from ..setup import Timer

GOAL = 1.15


@contextmanager
def _without_audit():
    from cnan.core import audit

    saved = audit.record, audit.snapshot
    audit.record = lambda **kwargs: None
    audit.snapshot = lambda instance, **kwargs: {}
    try:
        yield
    finally:
        audit.record, audit.snapshot = saved


def run(*, scale: str, log=print) -> dict:
    from cnan.organizations import services
    from cnan.organizations.models import Facility

    facilities = list(Facility.objects.filter(code__startswith="BENCH-F-").order_by("pk"))
    writes = {"smoke": 600, "national": 3000, "10x": 3000}[scale]
    counter = {"n": 0}

    def batch():
        for i in range(writes):
            counter["n"] += 1
            facility = facilities[i % len(facilities)]
            services.facility_update(actor=None, instance=facility, data={"capacity": f"{counter['n']} sản phẩm/năm"})

    timings = {"with": [], "without": []}
    for round_ in range(5):  # alternate to spread machine noise over both; the best of each is kept
        with Timer() as t:
            batch()
        timings["with"].append(t.seconds)
        with _without_audit(), Timer() as t:
            batch()
        timings["without"].append(t.seconds)
        log(f"  round {round_ + 1}: with {timings['with'][-1]:.2f}s, without {timings['without'][-1]:.2f}s")
    with_s, without_s = min(timings["with"]), min(timings["without"])
    ratio = with_s / without_s
    return {
        "n": {"writes": writes, "facilities": len(facilities)},
        "seconds": {"with_audit": round(with_s, 3), "without_audit": round(without_s, 3)},
        "ratio": {"with_over_without": round(ratio, 3), "goal": GOAL},
        "ok": ratio <= GOAL,
    }
