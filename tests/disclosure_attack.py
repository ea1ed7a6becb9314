"""An outsider's attack on everything the site serves: the current package and every archived zip together.

Written for the tests, independently of build_data's protection code: it reads only the published CSVs
(and cohorts.yml's "includes", which the cohort descriptions state in words), writes down every linear
fact an outsider knows, and bounds each protected count by linear programming (scipy, HiGHS):

- a published row has n >= 1 respondents; a row that is not published means nobody answered (0);
- a shown n is exact; a shown percentage v of n respondents puts the positive answers k within
  (v - 0.05)% and (v + 0.05)% of n; 0 <= k <= n (a mean rating is not used: see add_version);
- a group's parts add up to it (cohorts.csv parts), a place's children add up to it (geographies.csv);
  a group that includes another is at least as large;
- a shown answer count is exact; the answer counts add up to n, the positive ones to k;
- the same row in two versions is the same number (the newest version's shown value wins).

A protected count is the n, k or n - k of a suppressed row, or a suppressed answer count: it leaks when its
bounds are both within 1..threshold-1 (worked out exactly, or narrowed). A score the publisher withheld
leaks when its k is worked out exactly.
"""
from __future__ import annotations

import dataclasses
import io
import math
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

try:    # scipy's own binding of HiGHS (the solver linprog runs): keeps a program between objectives
    from scipy.optimize._highspy import _core as highs_core
except ImportError:
    highs_core = None

HIDDEN = ("[c]", "[x]", "", "[z]")
EPS = 1e-6


def read_version(source: Path) -> dict[str, pd.DataFrame]:
    """A package folder or zip in, its data/*.csv tables (as text) out."""
    source = Path(source)
    tables = {}
    if source.suffix == ".zip":
        with zipfile.ZipFile(source) as z:
            for name in z.namelist():
                if name.startswith("data/") and name.endswith(".csv"):
                    tables[name[5:-4]] = pd.read_csv(io.BytesIO(z.read(name)), dtype=str, keep_default_na=False)
    else:
        for path in (source / "data").glob("*.csv"):
            tables[path.stem] = pd.read_csv(path, dtype=str, keep_default_na=False)
    return tables


@dataclasses.dataclass
class Finding:
    what: str
    target: tuple
    low: int
    high: int


@dataclasses.dataclass
class Attack:
    protected: int
    withheld: int
    leaks: list
    withheld_found: list
    lps: int


class Facts:
    """Variables (tuples), exact values, bounds and linear constraints lo <= sum(coef x var) <= hi."""

    def __init__(self):
        self.lb, self.ub, self.rows = defaultdict(float), defaultdict(lambda: math.inf), []

    def bound(self, var, lo=-math.inf, hi=math.inf):
        self.lb[var] = max(self.lb[var], lo)
        self.ub[var] = min(self.ub[var], hi)

    def add(self, coefs: dict, lo: float, hi: float):
        for v in coefs:
            self.lb[v]   # every variable is non-negative (a count) unless bounded otherwise
        self.rows.append((coefs, lo, hi))


def is_number(text: str) -> bool:
    return text not in HIDDEN


def add_version(facts: Facts, tables: dict, seen: set, positive: dict, ratings: dict) -> None:
    """One version's published rows in, their facts added (a value an earlier-added version showed is kept)."""
    res = tables["experience_results"]
    for rel, q, g, c, measure, n, v in zip(res["release_id"], res["question_id"], res["geography_code"],
                                           res["cohort_id"], res["measure"], res["n_respondents"], res["value"]):
        key = (rel, q, g, c)
        nv = ("n", *key)
        facts.bound(nv, lo=1)
        if is_number(n) and nv not in seen:
            seen.add(nv)
            facts.bound(nv, float(n), float(n))
        if is_number(v) and ("v", *key) not in seen:
            seen.add(("v", *key))
            value = float(v)
            if measure == "percent_positive":
                k = ("k", *key)
                facts.add({k: 1, nv: -(value - 0.05) / 100}, 0, math.inf)
                facts.add({k: 1, nv: -(value + 0.05) / 100}, -math.inf, 0)
            # A mean rating is not used: the publisher's means are weighted, so they need not equal the
            # answers' own mean (the illustrative files differ by more than rounding).
        if measure == "percent_positive":
            facts.add({nv: 1, ("k", *key): -1}, 0, math.inf)
    freq = tables.get("response_frequencies")
    if freq is None:
        return
    for rel, q, g, c, o, n in zip(freq["release_id"], freq["question_id"], freq["geography_code"],
                                  freq["cohort_id"], freq["option_id"], freq["n_respondents"]):
        f = ("f", rel, q, g, c, o)
        if f not in seen and is_number(n):
            seen.add(f)
            facts.bound(f, float(n), float(n))
        facts.lb[f]


def answer_equations(facts: Facts, positive: dict, ratings: dict) -> None:
    """The answers of a row add up to its n, the positive ones to k, ratings x counts to its rating total."""
    options = defaultdict(set)
    for var in list(facts.lb):
        if var[0] == "f":
            options[var[1:5]].add(var[5])
    for key, opts in options.items():
        facts.add({("n", *key): 1, **{("f", *key, o): -1 for o in opts}}, 0, 0)
        q = key[1]
        if ("k", *key) in facts.lb:
            facts.add({("k", *key): 1, **{("f", *key, o): -1 for o in opts if positive.get((q, o))}}, 0, 0)
        if ("t", *key) in facts.lb:
            facts.add({("t", *key): 1, **{("f", *key, o): -ratings.get((q, o), 0) for o in opts}}, 0, 0)


def sum_equations(facts: Facts, geographies: pd.DataFrame, years: dict, parts: dict, includes: dict) -> None:
    """Parts add up to their whole, in every layer (n, k, t and each answer), for places and for groups."""
    by_layer = defaultdict(set)   # (layer, release, question, option) -> {(geography, cohort)}
    for var in list(facts.lb):
        by_layer[(var[0], var[1], var[2], var[5] if var[0] == "f" else None)].add(var[3:5])
    geo = geographies.assign(to=geographies["valid_to"].where(geographies["valid_to"].map(is_number), "9999"))
    kids_of = {}
    for year in set(years.values()):
        valid = geo[(geo["valid_from"].astype(int) <= year) & (geo["to"].astype(int) >= year)]
        kids = defaultdict(list)
        for code, parent in zip(valid["geography_code"], valid["parent_code"]):
            if parent:
                kids[parent].append(code)
        kids_of[year] = kids
    for (layer, rel, q, o), keys in by_layer.items():
        kids = kids_of[years[rel]]
        tail = (o,) if layer == "f" else ()
        for g, c in keys:
            whole = (layer, rel, q, g, c, *tail)
            present = [k for k in kids.get(g, []) if (k, c) in keys]
            if present:
                facts.add({whole: 1, **{(layer, rel, q, k, c, *tail): -1 for k in present}}, 0, 0)
            members = [p for p in parts.get(c, []) if (g, p) in keys]
            if members:
                facts.add({whole: 1, **{(layer, rel, q, g, p, *tail): -1 for p in members}}, 0, 0)
            for inner in includes.get(c, []):
                if (g, inner) in keys:
                    facts.add({whole: 1, (layer, rel, q, g, inner, *tail): -1}, 0, math.inf)


def settle(facts: Facts) -> dict:
    """Fold constraints with one unknown left into bounds (integers: counts), until nothing changes; the
    variables pinned to one value out."""
    fixed = {}
    changed = True
    while changed:
        changed = False
        for var in list(facts.lb):
            if var not in fixed and facts.ub[var] - facts.lb[var] < 1 - EPS and var[0] != "t":
                lo = math.ceil(facts.lb[var] - EPS)
                if lo <= facts.ub[var] + EPS:
                    fixed[var] = lo
                    changed = True
        rows = []
        for coefs, lo, hi in facts.rows:
            const = sum(a * fixed[v] for v, a in coefs.items() if v in fixed)
            free = {v: a for v, a in coefs.items() if v not in fixed}
            if len(free) == 1 and free:
                (v, a), = free.items()
                low, high = (lo - const) / a, (hi - const) / a
                new_lo, new_hi = (low, high) if a > 0 else (high, low)
                if v[0] != "t":
                    new_lo = math.ceil(new_lo - EPS) if math.isfinite(new_lo) else new_lo
                    new_hi = math.floor(new_hi + EPS) if math.isfinite(new_hi) else new_hi
                if new_lo > facts.lb[v] + EPS or new_hi < facts.ub[v] - EPS:
                    facts.bound(v, new_lo, new_hi)
                    changed = True
            elif free:
                rows.append((free, lo - const, hi - const))
        facts.rows = rows
    return fixed


def components(facts: Facts, fixed: dict) -> list[tuple[list, list]]:
    """The free variables split into groups no constraint links, each with its constraints."""
    parent = {}

    def find(v):
        while parent.setdefault(v, v) != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v
    for coefs, _, _ in facts.rows:
        first, *others = coefs
        for v in others:
            parent[find(v)] = find(first)
    groups = defaultdict(lambda: ([], []))
    for var in facts.lb:
        if var not in fixed:
            groups[find(var)][0].append(var)
    for row in facts.rows:
        groups[find(next(iter(row[0])))][1].append(row)
    return list(groups.values())


class Bounder:
    """One component's linear program: bounds of any linear objective, with a pool of feasible points that
    settles most questions without solving.

    The program is handed to HiGHS once and kept: each new objective changes only the costs, so HiGHS starts
    from the last optimal basis (a few pivots) instead of solving from scratch. The optimum is the same as a
    fresh solve's (scipy's linprog with HiGHS is used where scipy's HiGHS binding is not available)."""

    def __init__(self, variables: list, rows: list, facts: Facts):
        self.index = {v: i for i, v in enumerate(variables)}
        data, r, cols, lo, hi = [], [], [], [], []
        for i, (coefs, low, high) in enumerate(rows):
            for v, a in coefs.items():
                r.append(i)
                cols.append(self.index[v])
                data.append(a)
            lo.append(low)
            hi.append(high)
        self.matrix = csr_matrix((data, (r, cols)), shape=(len(rows), len(variables)))
        self.row_lo, self.row_hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
        self.bounds = [(facts.lb[v], None if math.isinf(facts.ub[v]) else facts.ub[v]) for v in variables]
        self.pool, self.points, self.solved = [], None, 0
        self.highs, self.costed = (self.kept_program() if highs_core else None), np.zeros(0, dtype=np.int32)

    def kept_program(self):
        lp = highs_core.HighsLp()
        lp.num_col_, lp.num_row_ = len(self.index), self.matrix.shape[0]
        lp.col_cost_ = np.zeros(len(self.index))
        lp.col_lower_ = np.array([lo for lo, _ in self.bounds], dtype=float)
        lp.col_upper_ = np.array([math.inf if hi is None else hi for _, hi in self.bounds], dtype=float)
        lp.row_lower_, lp.row_upper_ = self.row_lo, self.row_hi
        lp.a_matrix_.format_ = highs_core.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
        lp.a_matrix_.start_, lp.a_matrix_.index_ = self.matrix.indptr, self.matrix.indices
        lp.a_matrix_.value_ = self.matrix.data
        highs = highs_core._Highs()
        highs.setOptionValue("output_flag", False)
        highs.passModel(lp)
        return highs

    def solve(self, c: np.ndarray, columns: np.ndarray) -> tuple[float, np.ndarray]:
        """min c.x over the component's facts (c is zero outside columns): the optimum and an optimal point."""
        if self.highs is None:
            eq = np.isclose(self.row_lo, self.row_hi)
            up, down = ~eq & np.isfinite(self.row_hi), ~eq & np.isfinite(self.row_lo)
            a_ub = vstack([self.matrix[up], -self.matrix[down]]) if (up.any() or down.any()) else None
            out = linprog(c, A_ub=a_ub, b_ub=np.concatenate([self.row_hi[up], -self.row_lo[down]]) if a_ub is not None
                          else None, A_eq=self.matrix[eq] if eq.any() else None, b_eq=self.row_lo[eq] if eq.any() else None,
                          bounds=self.bounds, method="highs")
            if out.status != 0:
                raise AssertionError(f"the published facts are inconsistent or unbounded: {out.message}")
            return float(out.fun), out.x
        clear = np.setdiff1d(self.costed, columns).astype(np.int32)
        if len(clear):
            self.highs.changeColsCost(len(clear), clear, np.zeros(len(clear)))
        self.highs.changeColsCost(len(columns), columns, c[columns])
        self.costed = columns
        self.highs.run()
        status = self.highs.getModelStatus()
        if status != highs_core.HighsModelStatus.kOptimal:
            raise AssertionError("the published facts are inconsistent or unbounded: "
                                 f"{self.highs.modelStatusToString(status)}")
        return float(self.highs.getInfo().objective_function_value), np.array(self.highs.getSolution().col_value)

    def optimum(self, objective: dict, sign: int) -> float:
        c = np.zeros(len(self.index))
        columns = np.array(sorted(self.index[v] for v in objective), dtype=np.int32)
        for v, a in objective.items():
            c[self.index[v]] = sign * a
        fun, x = self.solve(c, columns)
        self.solved += 1
        self.pool.append(x)
        self.points = None
        return sign * fun

    def values(self, objective: dict) -> list[float]:
        if not self.pool:
            return []
        if self.points is None:
            self.points = np.vstack(self.pool)
        columns = [self.index[v] for v in objective]
        return (self.points[:, columns] @ np.array(list(objective.values()), dtype=float)).tolist()

    def range_of(self, objective: dict, threshold: int) -> tuple[int, int] | None:
        """None when the count can be 0 or can reach the threshold (safe); else its integer bounds."""
        seen = self.values(objective)
        if any(s <= EPS for s in seen) or any(s >= threshold - EPS for s in seen):
            return None
        high = self.optimum(objective, -1)
        if high >= threshold - EPS:
            return None
        low = self.optimum(objective, 1)
        if low <= EPS:
            return None
        return math.ceil(low - EPS), math.floor(high + EPS)

    def is_determined(self, objective: dict) -> int | None:
        seen = self.values(objective)
        if seen and max(seen) - min(seen) >= 1 - EPS:
            return None
        low, high = self.optimum(objective, 1), self.optimum(objective, -1)
        return math.ceil(low - EPS) if math.ceil(low - EPS) == math.floor(high + EPS) else None


def targets(newest: dict) -> tuple[list, list]:
    """(what, objective) for every protected count of the newest version, and for every withheld score."""
    protected, withheld = [], []
    res = newest["experience_results"]
    for rel, q, g, c, measure, n, v, status in zip(*(res[k] for k in (
            "release_id", "question_id", "geography_code", "cohort_id", "measure", "n_respondents", "value", "status"))):
        key = (rel, q, g, c)
        if status == "suppressed":
            protected.append((f"n {key}", key, {("n", *key): 1}))
            if measure == "percent_positive":
                protected.append((f"k {key}", key, {("k", *key): 1}))
                protected.append((f"n-k {key}", key, {("n", *key): 1, ("k", *key): -1}))
        elif v == "[x]" and is_number(n) and measure == "percent_positive":
            withheld.append((f"k {key} (withheld)", key, {("k", *key): 1}))
    freq = newest.get("response_frequencies")
    if freq is not None:
        hidden = freq[freq["n_respondents"] == "[c]"]
        for rel, q, g, c, o in zip(*(hidden[k] for k in ("release_id", "question_id", "geography_code", "cohort_id",
                                                           "option_id"))):
            protected.append((f"answer {o} {(rel, q, g, c)}", (rel, q, g, c), {("f", rel, q, g, c, o): 1}))
    return protected, withheld


def attack(versions: list[dict], includes: dict) -> Attack:
    """Published versions (newest first) in, every protected count bounded out."""
    newest = versions[0]
    facts, seen = Facts(), set()
    options = newest.get("response_options", pd.DataFrame(columns=["question_id", "option_id", "is_positive", "rating"]))
    positive = {(q, o): p == "true" for q, o, p in zip(options["question_id"], options["option_id"], options["is_positive"])}
    ratings = {(q, o): int(r) for q, o, r in zip(options["question_id"], options["option_id"], options["rating"])
               if r.isdigit()}
    for tables in versions:
        add_version(facts, tables, seen, positive, ratings)
    answer_equations(facts, positive, ratings)
    releases = pd.concat([v["releases"] for v in versions]).drop_duplicates("release_id")
    years = dict(zip(releases["release_id"], releases["survey_year"].astype(int)))
    threshold = dict(zip(releases["release_id"], releases["suppression_threshold"].astype(int)))
    cohorts = newest["cohorts"]
    parts = {c: p.split() for c, p in zip(cohorts["cohort_id"], cohorts["parts"]) if p}
    sum_equations(facts, newest["geographies"], years, parts, includes)
    fixed = settle(facts)
    protected, withheld = targets(newest)
    where = {}
    for variables, rows in components(facts, fixed):
        bounder = Bounder(variables, rows, facts) if rows or variables else None
        for v in variables:
            where[v] = bounder
    leaks, found, lps = [], [], set()

    def value_of(objective):
        if all(v in fixed for v in objective):
            return sum(a * fixed[v] for v, a in objective.items())
        return None
    for what, key, objective in protected:
        t = threshold[key[0]]
        exact = value_of(objective)
        if exact is not None:
            if 0 < exact < t:
                leaks.append(Finding(what, key, exact, exact))
            continue
        bounder = where[next(v for v in objective if v not in fixed)]
        lps.add(id(bounder))
        shape = bounder.range_of({v: a for v, a in objective.items() if v not in fixed}, t) if \
            all(v not in fixed for v in objective) else None
        if shape and shape[0] >= 1 and shape[1] <= t - 1:
            leaks.append(Finding(what, key, *shape))
    for what, key, objective in withheld:
        exact = value_of(objective)
        if exact is None:
            bounder = where[next(iter(objective))]
            exact = bounder.is_determined(objective)
        if exact is not None:
            found.append(Finding(what, key, exact, exact))
    solved = sum(b.solved for b in {id(b): b for b in where.values() if b}.values())
    return Attack(len(protected), len(withheld), leaks, found, solved)


def only_releases(tables: dict, releases: set | None) -> dict:
    """A version's tables cut to some releases (each release's facts are independent of the others')."""
    if not releases:
        return tables
    return {name: (t[t["release_id"].isin(releases)] if name in ("experience_results", "response_frequencies") else t)
            for name, t in tables.items()}


def attack_site(package: Path, archive: list[Path], cohorts_yml: Path, releases: set | None = None) -> Attack:
    """A package folder and archived zips in (everything served), the attack's findings out; releases, if given,
    limits the attack to those releases (to keep a test's time down)."""
    includes = {c: spec.get("includes") or [] for c, spec in yaml.safe_load(cohorts_yml.read_text(encoding="utf-8")).items()}
    versions = [read_version(package), *[read_version(z) for z in archive]]
    return attack([only_releases(v, releases) for v in versions], includes)
