"""The allocation optimiser (issue #7): which domestic enterprise supplies how much of each consolidated
demand line, so that the force's equipment comes from the security industry as much as possible.

The problem, for a year's demand:

* a **line** ``i`` asks for ``q_i`` units of a product group ``g_i``; ``v_i`` is its reference unit value
  (what a unit costs bought in, the basis of the domestic share by value) and its **priority tier** gives a
  weight ``w_i`` (the force types the seeds rank first weigh most);
* an **offer** ``o`` is an enterprise ``e_o`` able to supply line ``i_o`` with a certified product at a unit
  price ``p_o``;
* each enterprise has a **capacity** ``c_{e,g}`` (units a year) per product group, and the orders share a
  **budget** ``B``.

With ``x_o`` the (whole) units ordered through offer ``o``::

    maximise   Σ_o w_{i_o} v_{i_o} x_o   (the weighted domestic value; ties go to the cheaper proposal)
    subject to Σ_{o of line i} x_o ≤ q_i            every line
               Σ_{o of e, line in g} x_o ≤ c_{e,g}  every enterprise and product group
               Σ_o p_o x_o ≤ B                       the budget
               x_o ∈ {0, 1, 2, …}

It is solved exactly by HiGHS (``scipy.optimize.milp``), which proves optimality (the MIP gap is reported).
``greedy`` is the baseline an officer would do by hand: lines by weighted value, each to its cheapest
offer with capacity left. ``explain`` says for every line why it went where it went, or why not.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

# The weight of each priority tier (1 first): special equipment for the security and intelligence forces,
# special forces and rapid-response units comes first (Directive 03/CT-BCA; the seeds).
TIER_WEIGHTS: dict[int, float] = {1: 4.0, 2: 3.0, 3: 2.0, 4: 1.0}
# The cost tie-break: its whole contribution stays below this share of the smallest weighted unit value,
# so it never trades domestic value for money.
TIE_BREAK = 1e-3


@dataclass(frozen=True)
class Line:
    key: Hashable
    group: Hashable
    quantity: int
    value: float  # reference unit value (VND)
    tier: int = 4


@dataclass(frozen=True)
class Offer:
    line: Hashable
    enterprise: Hashable
    unit_price: float  # VND


@dataclass
class Problem:
    lines: list[Line]
    offers: list[Offer]
    capacity: Mapping[tuple[Hashable, Hashable], int]  # (enterprise, group) → units; absent: none
    budget: float | None = None  # None: no budget limit
    tier_weights: Mapping[int, float] = field(default_factory=lambda: dict(TIER_WEIGHTS))

    def __post_init__(self) -> None:
        keys = [line.key for line in self.lines]
        if len(set(keys)) != len(keys):
            raise ValueError("demand line keys must be unique")
        self._line = {line.key: line for line in self.lines}
        for offer in self.offers:
            if offer.line not in self._line:
                raise ValueError(f"offer for an unknown line {offer.line!r}")
            if offer.unit_price < 0:
                raise ValueError("a unit price cannot be negative")
        for line in self.lines:
            if line.quantity < 0 or line.value < 0:
                raise ValueError("quantities and values cannot be negative")
            if line.tier not in self.tier_weights:
                raise ValueError(f"unknown priority tier {line.tier}")
        if any(c < 0 for c in self.capacity.values()):
            raise ValueError("a capacity cannot be negative")
        if self.budget is not None and self.budget < 0:
            raise ValueError("the budget cannot be negative")

    def line(self, key: Hashable) -> Line:
        return self._line[key]

    def weight(self, line: Line) -> float:
        return self.tier_weights[line.tier] * line.value

    def cap(self, offer: Offer) -> int:
        return int(self.capacity.get((offer.enterprise, self.line(offer.line).group), 0))


@dataclass
class Allocation:
    """Units per offer (index into ``problem.offers``), with the figures a page shows."""

    problem: Problem
    units: list[int]
    method: str  # "milp" or "greedy"
    optimal: bool = False
    mip_gap: float | None = None
    status: str = ""
    seconds: float = 0.0

    def supplied(self) -> dict[Hashable, int]:
        out: dict[Hashable, int] = defaultdict(int)
        for offer, n in zip(self.problem.offers, self.units, strict=True):
            if n:
                out[offer.line] += n
        return dict(out)

    @property
    def objective(self) -> float:
        """The weighted domestic value (the quantity maximised)."""
        p = self.problem
        return sum(p.weight(p.line(o.line)) * n for o, n in zip(p.offers, self.units, strict=True))

    @property
    def domestic_value(self) -> float:
        p = self.problem
        return sum(p.line(o.line).value * n for o, n in zip(p.offers, self.units, strict=True))

    @property
    def spend(self) -> float:
        return sum(o.unit_price * n for o, n in zip(self.problem.offers, self.units, strict=True))

    @property
    def share(self) -> float:
        """The domestic share of the demand by value, 0–1."""
        total = sum(line.value * line.quantity for line in self.problem.lines)
        return self.domestic_value / total if total else 0.0

    @property
    def weighted_share(self) -> float:
        total = sum(self.problem.weight(line) * line.quantity for line in self.problem.lines)
        return self.objective / total if total else 0.0

    def violations(self) -> list[str]:
        """What this allocation breaks (empty for a feasible one): for tests and for an officer's edits."""
        p = self.problem
        problems: list[str] = []
        if any(n < 0 for n in self.units):
            problems.append("negative units")
        for key, n in self.supplied().items():
            if n > p.line(key).quantity:
                problems.append(f"line {key}: {n} > {p.line(key).quantity}")
        used: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
        for offer, n in zip(p.offers, self.units, strict=True):
            used[(offer.enterprise, p.line(offer.line).group)] += n
        for key, n in used.items():
            if n > p.capacity.get(key, 0):
                problems.append(f"capacity {key}: {n} > {p.capacity.get(key, 0)}")
        if p.budget is not None and self.spend > p.budget + 1e-6:
            problems.append(f"budget: {self.spend} > {p.budget}")
        return problems


def _matrices(problem: Problem) -> tuple[np.ndarray, list[LinearConstraint], np.ndarray]:
    offers = problem.offers
    n = len(offers)
    line_index = {line.key: k for k, line in enumerate(problem.lines)}
    cap_keys = sorted({(o.enterprise, problem.line(o.line).group) for o in offers}, key=repr)
    cap_index = {key: k for k, key in enumerate(cap_keys)}
    cols = np.arange(n)
    rows_line = np.array([line_index[o.line] for o in offers], dtype=np.int64)
    rows_cap = np.array([cap_index[(o.enterprise, problem.line(o.line).group)] for o in offers], dtype=np.int64)
    ones = np.ones(n)
    constraints = [
        LinearConstraint(
            sparse.csr_array((ones, (rows_line, cols)), shape=(len(problem.lines), n)),
            -np.inf,
            np.array([line.quantity for line in problem.lines], dtype=float),
        ),
        LinearConstraint(
            sparse.csr_array((ones, (rows_cap, cols)), shape=(len(cap_keys), n)),
            -np.inf,
            np.array([problem.capacity.get(key, 0) for key in cap_keys], dtype=float),
        ),
    ]
    prices = np.array([o.unit_price for o in offers], dtype=float)
    if problem.budget is not None:
        constraints.append(LinearConstraint(sparse.csr_array(prices.reshape(1, -1)), -np.inf, problem.budget))
    upper = np.array([min(problem.line(o.line).quantity, problem.cap(o)) for o in offers], dtype=float)
    weights = np.array([problem.weight(problem.line(o.line)) for o in offers], dtype=float)
    # the tie-break costs at most TIE_BREAK × the smallest positive weight over the whole allocation
    positive = weights[weights > 0]
    total_spend = float(prices @ upper) if n else 0.0
    eps = (TIE_BREAK * float(positive.min()) / total_spend) if positive.size and total_spend > 0 else 0.0
    objective = -(weights - eps * prices)  # milp minimises
    return objective, constraints, upper


def solve(problem: Problem, *, time_limit: float = 60.0) -> Allocation:
    """The optimal allocation (HiGHS branch and bound; ``optimal`` says whether it was proven)."""
    import time

    start = time.perf_counter()
    if not problem.offers:
        return Allocation(problem, [], "milp", optimal=True, mip_gap=0.0, status="no offers", seconds=0.0)
    c, constraints, upper = _matrices(problem)
    result = milp(
        c,
        constraints=constraints,
        integrality=np.ones(len(problem.offers)),
        bounds=Bounds(np.zeros(len(problem.offers)), upper),
        options={"time_limit": time_limit, "mip_rel_gap": 0.0, "presolve": True},
    )
    seconds = time.perf_counter() - start
    if result.x is None:  # cannot happen (all zeros is feasible) unless the solver stopped before a solution
        return Allocation(problem, [0] * len(problem.offers), "milp", status=result.message, seconds=seconds)
    units = [int(round(v)) for v in result.x]
    return Allocation(
        problem,
        units,
        "milp",
        optimal=result.status == 0,
        mip_gap=float(getattr(result, "mip_gap", 0.0) or 0.0),
        status=result.message,
        seconds=seconds,
    )


def greedy(problem: Problem) -> Allocation:
    """The baseline: lines by weighted unit value (then larger first), each to its cheapest offers with
    capacity (and budget) left."""
    import time

    start = time.perf_counter()
    by_line: dict[Hashable, list[int]] = defaultdict(list)
    for k, offer in enumerate(problem.offers):
        by_line[offer.line].append(k)
    left = dict(problem.capacity)
    budget = math.inf if problem.budget is None else problem.budget
    units = [0] * len(problem.offers)
    for line in sorted(problem.lines, key=lambda ln: (-problem.weight(ln), -ln.quantity, repr(ln.key))):
        need = line.quantity
        for k in sorted(
            by_line[line.key], key=lambda k: (problem.offers[k].unit_price, repr(problem.offers[k].enterprise))
        ):
            if need <= 0:
                break
            offer = problem.offers[k]
            key = (offer.enterprise, line.group)
            n = min(need, left.get(key, 0))
            if offer.unit_price > 0 and budget != math.inf:
                n = min(n, int(budget // offer.unit_price))
            if n <= 0:
                continue
            units[k] = n
            need -= n
            left[key] = left.get(key, 0) - n
            budget -= n * offer.unit_price
    return Allocation(problem, units, "greedy", status="greedy", seconds=time.perf_counter() - start)


# --- why each line went where it went ---------------------------------------------------------------


@dataclass
class Reason:
    """One line's explanation: a ``code`` the page translates, with its facts."""

    line: Hashable
    # no_offer | full_cheapest | full_not_cheapest | short_capacity | short_budget | none_capacity | none_budget
    code: str
    supplied: int
    quantity: int
    assigned: list[tuple[Hashable, int, float]]  # (enterprise, units, unit price)
    saturated: list[Hashable] = field(default_factory=list)  # offering enterprises with no capacity left
    cheaper_full: list[Hashable] = field(default_factory=list)  # cheaper offerers whose capacity was used elsewhere


def explain(allocation: Allocation) -> list[Reason]:
    """For every line: supplied in full (by the cheapest offer, or not — and then the cheaper ones had no
    capacity left), in part or not at all (every offerer's capacity for the group is used, or the budget
    is spent), or with no domestic offer at all (a candidate for an S&T task)."""
    p = allocation.problem
    used: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    for offer, n in zip(p.offers, allocation.units, strict=True):
        used[(offer.enterprise, p.line(offer.line).group)] += n
    spent = allocation.spend
    by_line: dict[Hashable, list[int]] = defaultdict(list)
    for k, offer in enumerate(p.offers):
        by_line[offer.line].append(k)
    reasons = []
    for line in p.lines:
        ks = by_line[line.key]
        assigned = [
            (p.offers[k].enterprise, allocation.units[k], p.offers[k].unit_price) for k in ks if allocation.units[k] > 0
        ]
        supplied = sum(n for _e, n, _p in assigned)
        saturated = sorted(
            {p.offers[k].enterprise for k in ks if used[(p.offers[k].enterprise, line.group)] >= p.cap(p.offers[k])},
            key=repr,
        )
        if not ks:
            code = "no_offer"
        elif supplied >= line.quantity:
            dearest = max((price for _e, _n, price in assigned), default=0.0)
            cheaper = [k for k in ks if p.offers[k].unit_price < dearest and allocation.units[k] == 0]
            code = "full_not_cheapest" if cheaper else "full_cheapest"
        else:
            cheapest_left = min(
                (p.offers[k].unit_price for k in ks if used[(p.offers[k].enterprise, line.group)] < p.cap(p.offers[k])),
                default=None,
            )
            budget_bound = (
                p.budget is not None and cheapest_left is not None and spent + cheapest_left > p.budget + 1e-6
            )
            if budget_bound:
                code = "short_budget" if supplied else "none_budget"
            else:
                code = "short_capacity" if supplied else "none_capacity"
        dearest_price = max((price for _e, _n, price in assigned), default=math.inf)
        cheaper_full = sorted(
            {
                p.offers[k].enterprise
                for k in ks
                if p.offers[k].unit_price < dearest_price
                and allocation.units[k] == 0
                and p.offers[k].enterprise in saturated
            },
            key=repr,
        )
        reasons.append(
            Reason(
                line=line.key,
                code=code,
                supplied=supplied,
                quantity=line.quantity,
                assigned=assigned,
                saturated=saturated,
                cheaper_full=cheaper_full,
            )
        )
    return reasons
