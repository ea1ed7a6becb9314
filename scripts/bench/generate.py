"""Write an ILLUSTRATIVE project copy at a given scale into a temporary folder.

The copy has the repo's build_data/ (code and metadata), docs/pages, docs/assets, docs/overrides
and mkdocs.yml, with scaled raw files and the metadata that describes them:
releases.yml (with sha256), crosswalk.csv, questions.yml and geographies.csv.

Every CPES year is written in the `cpes_csv_2023` publisher layout (headings, level and group
labels are taken from the copied layouts.yml and cohorts.yml, so the files follow the layout
the copied code expects), with the publishers' quirks: thousands separators in counts, `*` for
fewer than 10 respondents, a few withheld (blank) scores, shouted or space-padded names, and a
byte-order mark in the last year's file. When the copied pipeline publishes response_frequencies
(fields.yml, and a layout read by `cpes_frequencies`), each year also gets a frequencies file in
that layout: the option counts are simulated first and the scores derived from them, so the
frequencies always add up to the scores (about a million frequency rows at national scale).
The audit is regenerated for the scaled Cancer Alliances; the transcribed published figures are
copied unchanged.

Nothing here names a real organisation: places are invented, as in make_illustrative_data.py.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import json
import math
import re
import shutil
from pathlib import Path

import numpy as np
import yaml

SEED = 20260426
ENGLAND = ("E92000001", "England")
GROUPS = ("breast_primary", "breast_secondary", "other_cancers")
COHORTS = ("all_cancers", "breast", "breast_primary", "breast_secondary")
# Which atomic groups make up each published cohort (rows: groups, columns: cohorts).
MEMBERSHIP = np.array([[1, 1, 1, 0],    # breast_primary
                       [1, 1, 0, 1],    # breast_secondary
                       [1, 0, 0, 0]])   # other_cancers
MIN_N = 10
TRUSTS_PER_ALLIANCE = 6
FIRST_YEAR = 2021
CPES_LAYOUT = "cpes_csv_2023"
AUDIT_LAYOUT = "naome_csv_2025"
AUDIT_YEARS = (2020, 2021, 2022)
NEXT_RELEASE = ".bench-next-release"   # held-back survey years, under the project copy

# The questions the committed pages and figures.yml name (kept so every marker resolves):
# id -> (share who answer, national % positive; None = 0-10 mean rating).
KNOWN_QUESTIONS = {
    "main_contact": (0.95, 91.5), "contact_ease": (0.80, 80.0), "recurrence_info": (0.75, 62.4),
    "overall_rating": (0.97, None), "involved_decisions": (0.90, 79.3), "needs_discussion": (0.85, 71.1),
    "side_effects_explained": (0.80, 59.0), "gp_support": (0.55, 44.6), "someone_at_diagnosis": (0.90, 75.9),
    "confidence_trust": (0.95, 78.5),
}
TOPICS = ("diagnosis", "care_planning", "information", "support", "care_coordination", "decisions",
          "treatment", "hospital_care", "home_care", "overall_care")
# Answers of the known questions (used when the copied questions.yml has no response_options),
# and of the made-up ones: (id, label, is_positive). Ratings 0-10 are used for every mean question.
YES_NO = [("yes", "Yes", True), ("no", "No", False)]
DEFINITELY = [("yes_definitely", "Yes, definitely", True), ("yes_to_some_extent", "Yes, to some extent", False),
              ("no", "No", False)]
KNOWN_OPTIONS = {
    "main_contact": YES_NO, "needs_discussion": YES_NO, "someone_at_diagnosis": YES_NO,
    "contact_ease": [("very_easy", "Very easy", True), ("quite_easy", "Quite easy", True),
                     ("quite_difficult", "Quite difficult", False), ("very_difficult", "Very difficult", False)],
    "recurrence_info": DEFINITELY, "involved_decisions": DEFINITELY, "side_effects_explained": DEFINITELY,
    "gp_support": DEFINITELY,
    "confidence_trust": [("yes_all_of_team", "Yes, in all of the team", True),
                         ("yes_some_of_team", "Yes, in some of the team", False),
                         ("no_none_of_team", "No, in none of the team", False)],
}
# Five answers for each made-up percentage question: with 11 for each rating question this gives
# about 5.3 frequency rows per scores row (about a million at national scale).
FIVE_POINT = [("very_good", "Very good", True), ("good", "Good", True), ("neither", "Neither good nor poor", False),
              ("poor", "Poor", False), ("very_poor", "Very poor", False)]
RATING_LABELS = ["0 - Very poor", *(str(i) for i in range(1, 10)), "10 - Very good"]


def rating_options() -> list[dict]:
    return [{"id": f"rating_{i}", "label": label, "rating": i} for i, label in enumerate(RATING_LABELS)]


def as_options(triples) -> list[dict]:
    return [{"id": i, "label": label, **({"is_positive": True} if positive else {})} for i, label, positive in triples]


# Invented syllables for place names (no real English place or organisation is meant).
SYLLABLES_A = ("Brin", "Fen", "Zar", "Yar", "Orr", "Thrum", "Van", "Glis", "Mir", "Tam", "Dross", "Omb",
               "Pell", "Quav", "Wend", "Corr", "Skiv", "Hav", "Nett", "Kes", "Quill", "Bross", "Dab", "Els")
SYLLABLES_B = ("dle", "now", "row", "nel", "rin", "ble", "try", "sen", "row", "sel", "sel", "ber",
               "lis", "er", "dle", "ow", "ven", "lune", "le", "trow")
SUFFIXES = ("combe", "marsh", "dale", "holt", "mere", "leigh", "wick", "ford", "gate", "by", "ham",
            "stead", "moor", "field", "bourne", "ley", "thorpe", "stow", "hythe", "wyn")


@dataclasses.dataclass(frozen=True)
class Scale:
    name: str
    trusts: int
    questions: int
    years: int = 5
    frequency_options: int = 5   # response options per question, when frequencies are published

    @property
    def alliances(self) -> int:
        return -(-self.trusts // TRUSTS_PER_ALLIANCE)

    @property
    def geographies(self) -> int:
        return 1 + self.alliances + self.trusts

    @property
    def nominal_rows(self) -> int:
        """Experience rows before empty cells are dropped: places x groups x questions x years."""
        return self.geographies * len(COHORTS) * self.questions * self.years

    def describe(self) -> str:
        return (f"{self.trusts} trusts ({self.alliances} alliances) x {self.questions} questions x "
                f"{self.years} years x {len(COHORTS)} groups")


def logit(p):
    return np.log(p / (1 - p))


def expit(x):
    return 1 / (1 + np.exp(-x))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_csv(path: Path, header: list, rows, encoding: str = "utf-8") -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


# ---- copy of the project ------------------------------------------------------------------------

ROOT_FILE_SUFFIXES = (".yml", ".yaml", ".md", ".cff", ".toml", ".txt")


def copy_project(repo: Path, root: Path) -> None:
    """The code, metadata and site sources; raw sources are written fresh by the generator."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "sources")
    shutil.copytree(repo / "build_data", root / "build_data", ignore=ignore)
    for sub in ("pages", "assets", "overrides"):
        if (repo / "docs" / sub).exists():
            shutil.copytree(repo / "docs" / sub, root / "docs" / sub, ignore=shutil.ignore_patterns("__pycache__"))
    # Top-level files the pipeline may read (mkdocs.yml, CHANGELOG.md for the package zip, CITATION.cff ...).
    for extra in sorted(repo.iterdir()):
        if extra.is_file() and extra.suffix in ROOT_FILE_SUFFIXES:
            shutil.copy2(extra, root / extra.name)


# ---- metadata ---------------------------------------------------------------------------------

def question_table(scale: Scale, known_meta: dict, rng) -> dict:
    """Question id -> (meta for questions.yml incl. response_options, answer rate, base %, or None for a mean)."""
    out = {}
    for qid, (rate, base) in KNOWN_QUESTIONS.items():
        if len(out) == scale.questions:
            break
        meta = dict(known_meta.get(qid) or {
            "topic": "overall_care", "short_label": qid.replace("_", " ").capitalize(),
            "measure": "mean_0_10" if base is None else "percent_positive",
            "positive_answers": "" if base is None else "Yes", "explanation": "Illustrative question."})
        if not meta.get("response_options"):
            meta["response_options"] = rating_options() if base is None else as_options(KNOWN_OPTIONS[qid])
        out[qid] = (meta, rate, base)
    i = len(out)
    while len(out) < scale.questions:
        i += 1
        is_mean = i % 10 == 4
        base = None if is_mean else float(np.round(rng.uniform(45, 93), 1))
        meta = {
            "topic": TOPICS[i % len(TOPICS)],
            "short_label": f"Illustrative question {i}" + (" (rating 0 to 10)" if is_mean else ""),
            "measure": "mean_0_10" if is_mean else "percent_positive",
            "positive_answers": "" if is_mean else "Very good; Good",
            "explanation": (f"A made-up question number {i}, added so the benchmark has as many questions as "
                            "the national survey. Illustrative data."),
            "response_options": rating_options() if is_mean else as_options(FIVE_POINT),
        }
        out[f"illustrative_q{i:02d}"] = (meta, float(rng.uniform(0.55, 0.97)), base)
    return out


def place_names(count: int, rng, suffix: str) -> list[str]:
    combos = [a + b + s for a in SYLLABLES_A for b in SYLLABLES_B for s in SUFFIXES]
    picked = rng.choice(len(combos), size=count, replace=False)
    return [f"{combos[i]} {suffix}" for i in picked]


def geographies(scale: Scale, rng) -> list[dict]:
    rows = [dict(geography_code=ENGLAND[0], geography_name=ENGLAND[1], geography_type="country",
                 parent_code="", valid_from=2019, valid_to="")]
    for a, name in enumerate(place_names(scale.alliances, rng, "Cancer Alliance (illustrative)"), start=1):
        rows.append(dict(geography_code=f"ZCA{a:02d}", geography_name=name, geography_type="cancer_alliance",
                         parent_code=ENGLAND[0], valid_from=2019, valid_to=""))
    for t, name in enumerate(place_names(scale.trusts, rng, "Hospitals Trust (illustrative)"), start=1):
        rows.append(dict(geography_code=f"ZZT{t:03d}", geography_name=name, geography_type="trust",
                         parent_code=f"ZCA{(t - 1) // TRUSTS_PER_ALLIANCE + 1:02d}", valid_from=FIRST_YEAR,
                         valid_to=""))
    return rows


# ---- CPES results -----------------------------------------------------------------------------

def shares(count: int, rng) -> np.ndarray:
    w = np.sort(rng.uniform(0.3, 1.0, count))[::-1]
    return w / w.sum()


def simulate_results(scale: Scale, questions: dict, rng):
    """Option counts per year x place x cohort for each question, and from them n and the total
    (positive answers, or the sum of 0-10 ratings), so scores and frequencies always agree."""
    Y, T = scale.years, scale.trusts
    base_size = np.clip(rng.lognormal(np.log(500), 0.45, T), 150, 1100)
    total = np.rint(base_size[None, :] * rng.uniform(0.9, 1.1, (Y, T))).astype(np.int64)
    breast = rng.binomial(total, 0.15)
    secondary = rng.binomial(breast, 0.08)
    sizes = np.stack([breast - secondary, secondary, total - breast], axis=2)          # Y, T, G
    drift = 0.03 * (np.arange(Y) - 1)
    group_shift = np.array([0.1, -0.3, 0.0])
    alliance_of = np.arange(T) // TRUSTS_PER_ALLIANCE
    out = {}
    for qid, (meta, rate, base) in questions.items():
        options = meta["response_options"]
        n = rng.binomial(sizes, rate)                                                    # Y, T, G
        if base is None:
            # Ratings 0-10: beta-binomial (people differ), centred near 8.9 (8.6 for secondary breast
            # cancer), as scripts/illustrative_frequencies.py spreads them.
            effect = rng.normal(0, 0.1, T)
            centre = np.where(np.arange(3) == 1, 8.6, 8.9)[None, None, :] + effect[None, :, None]
            p = np.clip(centre / 10, 0.01, 0.99)
            ratings = np.array([o["rating"] for o in options])
            pvals = beta_binomial_pmf(ratings, 10, 4 * p, 4 * (1 - p))
            weights = ratings.astype(float)
        else:
            effect = rng.normal(0, 0.15, T)
            x = (logit(base / 100) + effect[None, :, None] + drift[:, None, None] + group_shift[None, None, :])
            p_pos = expit(x)
            positive = np.array([bool(o.get("is_positive")) for o in options])
            share = np.zeros(len(options))
            share[positive] = shares(int(positive.sum()), rng)
            share[~positive] = shares(int((~positive).sum()), rng)
            pvals = np.where(positive, p_pos[..., None] * share, (1 - p_pos)[..., None] * share)
            weights = positive.astype(float)
        counts = rng.multinomial(n, pvals)                                               # Y, T, G, O
        by_cohort = np.einsum("ytgo,gc->ytco", counts, MEMBERSHIP)                      # Y, T, C, O
        by_alliance = np.zeros((Y, scale.alliances) + by_cohort.shape[2:], dtype=by_cohort.dtype)
        np.add.at(by_alliance, (slice(None), alliance_of), by_cohort)
        places = np.concatenate([by_cohort.sum(axis=1, keepdims=True), by_alliance, by_cohort], axis=1)
        out[qid] = {"counts": places, "n": places.sum(axis=-1), "total": places @ weights, "is_mean": base is None}
    return out


def beta_binomial_pmf(ks: np.ndarray, n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """P(k) for each k (last axis) of a beta-binomial(n, a, b), normalised over the given ks."""
    lgamma = np.frompyfunc(math.lgamma, 1, 1)

    def lbeta(x, y):
        return (lgamma(x) + lgamma(y) - lgamma(x + y)).astype(float)

    a, b = a[..., None], b[..., None]
    log_p = np.array([math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) for k in ks]) \
        + lbeta(ks + a, n - ks + b) - lbeta(a, b)
    pmf = np.exp(log_p)
    return pmf / pmf.sum(axis=-1, keepdims=True)


def cpes_year(year_index: int, year: int, geo: list[dict], questions: dict, numbers: list[int], sim: dict,
              labels: dict, rng):
    """One year's scores rows and frequency rows, in publisher order: question number, level, code, cohort.

    Where the scores show `*` (fewer than 10 answered) the frequencies do too; where a score is
    withheld for another reason the frequencies are blank, as scripts/illustrative_frequencies.py does.
    """
    level_label, cohort_label = labels["levels"], labels["cohorts"]
    qids = list(questions)
    order = sorted(range(len(qids)), key=lambda q: numbers[q])
    types = [g["geography_type"] for g in geo]
    trust_rows = [p for p, t in enumerate(types) if t == "trust"]
    withheld = {(int(rng.integers(len(qids))), int(rng.choice(trust_rows)), int(rng.integers(len(COHORTS))))
                for _ in range(3)}   # publishers withhold a few scores for reasons other than small numbers
    quirks = rng.random((len(geo), 2))
    names = []
    for p, g in enumerate(geo):
        name = g["geography_name"]
        name = name.upper() if quirks[p, 0] < 0.10 else name
        names.append(name + " " if quirks[p, 1] < 0.10 else name)
    scores, frequencies = [], []
    for q in order:
        qid, qnum = qids[q], f"Q{numbers[q]}"
        meta, s = questions[qid][0], sim[qid]
        wording = meta.get("wording") or meta["explanation"]
        option_labels = [o["label"] for o in meta["response_options"]]
        n_all, tot_all, counts_all = s["n"][year_index], s["total"][year_index], s["counts"][year_index]
        for p, g in enumerate(geo):
            code, level = g["geography_code"], level_label[types[p]]
            for c, cohort in enumerate(COHORTS):
                n = int(n_all[p, c])
                if n == 0:
                    continue    # publishers leave out cells nobody answered
                if n < MIN_N:
                    value = cell = "*"
                elif (q, p, c) in withheld:
                    value = cell = ""
                else:
                    value = f"{tot_all[p, c] / n:.2f}" if s["is_mean"] else f"{100 * tot_all[p, c] / n:.1f}"
                    cell = None
                scores.append([str(year), qnum, wording, code, names[p], level, cohort_label[cohort], f"{n:,}",
                               "" if s["is_mean"] else value, value if s["is_mean"] else ""])
                for label, count in zip(option_labels, counts_all[p, c]):
                    frequencies.append((qnum, code, level, cohort_label[cohort], label,
                                        cell if cell is not None else f"{int(count):,}",
                                        cell if cell is not None else f"{100 * count / n:.1f}"))
    return scores, frequencies


FREQUENCY_COLUMNS = ("publisher_code", "geography_code", "level", "cohort_label", "option_label", "n_respondents",
                     "percent")


# ---- audit ------------------------------------------------------------------------------------

def audit_rows(scale: Scale, geo: list[dict], indicators: dict, labels: dict, rng):
    ids = list(indicators)
    alliance_geo = [g for g in geo if g["geography_type"] == "cancer_alliance"]
    A = len(alliance_geo)
    size = rng.lognormal(np.log(350), 0.4, A)
    p_base = {"de_novo": 0.45, "mdt_discussion": 0.59, "cns_contact": 0.70, "stage_recorded": 0.40,
              "one_year_survival": 0.65}
    rows = []
    for year in AUDIT_YEARS:
        people = np.clip(np.rint(size * rng.uniform(0.9, 1.1, A)), 150, 700).astype(int)
        counts = {}
        for iid in ids:
            den = counts["de_novo"][0] if iid == "one_year_survival" and "de_novo" in counts else people
            p = p_base.get(iid, 0.5) + (0.03 * (year - 2020) if iid == "stage_recorded" else 0)
            num = rng.binomial(den, expit(logit(p) + rng.normal(0, 0.2, A)))
            counts[iid] = (num, den)
        for iid in ids:
            num, den = counts[iid]
            label = indicators[iid]["publisher_labels"][0]
            rows.append([label, year, ENGLAND[0], ENGLAND[1], labels["audit_levels"]["country"],
                         int(num.sum()), int(den.sum()), f"{100 * num.sum() / den.sum():.1f}"])
            for a, g in enumerate(alliance_geo):
                rows.append([label, year, g["geography_code"], g["geography_name"],
                             labels["audit_levels"]["cancer_alliance"], int(num[a]), int(den[a]),
                             f"{100 * num[a] / den[a]:.1f}"])
    return rows


# ---- the whole project ------------------------------------------------------------------------

def invert(mapping: dict) -> dict:
    return {v: k for k, v in mapping.items()}


def frequencies_supported(meta: Path, layouts: dict) -> str | None:
    """The frequencies layout id if the copied pipeline publishes response_frequencies, else None."""
    fields = yaml.safe_load((meta / "fields.yml").read_text(encoding="utf-8")) or {}
    if "response_frequencies" not in fields:
        return None
    return next((lid for lid, layout in layouts.items() if layout.get("reader") == "cpes_frequencies"), None)


def write_project(repo: Path, root: Path, scale: Scale, frequencies: bool = True, next_releases: int = 0) -> dict:
    """Copy the project into root and write scaled raw files and metadata; return what was written.

    Response frequency files are written when `frequencies` is true and the copied pipeline
    publishes a response_frequencies resource (fields.yml) read by a `cpes_frequencies` layout.
    next_releases: that many more survey years are simulated with the others (the same places and
    questions) but held back in root/.bench-next-release/, for add_next_release() to publish later.
    """
    rng_geo, rng_q, rng_sim, rng_rows, rng_audit, rng_num = np.random.default_rng(SEED).spawn(6)
    copy_project(repo, root)
    meta = root / "build_data" / "metadata"
    sources = root / "build_data" / "sources"
    layouts = yaml.safe_load((meta / "layouts.yml").read_text(encoding="utf-8"))
    cohorts = yaml.safe_load((meta / "cohorts.yml").read_text(encoding="utf-8"))
    indicators = yaml.safe_load((meta / "indicators.yml").read_text(encoding="utf-8"))
    known_meta = yaml.safe_load((meta / "questions.yml").read_text(encoding="utf-8")) or {}
    freq_layout = frequencies_supported(meta, layouts) if frequencies else None
    cpes_layout, audit_layout = layouts[CPES_LAYOUT], layouts[AUDIT_LAYOUT]
    labels = {"levels": invert(cpes_layout["levels"]),
              "cohorts": {cid: cohorts[cid]["publisher_labels"][-1] for cid in COHORTS},
              "audit_levels": invert(audit_layout["levels"])}

    questions = question_table(scale, known_meta, rng_q)
    geo = geographies(scale, rng_geo)
    years = [FIRST_YEAR + i for i in range(scale.years + next_releases)]
    sim = simulate_results(scale, questions, rng_sim)
    # Held-back years from their own generator: the published years are the same with or without them.
    later = simulate_results(dataclasses.replace(scale, years=next_releases), questions,
                             np.random.default_rng(SEED + 1)) if next_releases else None

    releases, crosswalk, written = [], [], {}
    header = list(cpes_layout["columns"])
    if freq_layout:
        freq_columns = layouts[freq_layout]["columns"]
        freq_header = list(freq_columns)
        freq_index = [FREQUENCY_COLUMNS.index(freq_columns[h]) for h in freq_header]
    for i, year in enumerate(years):
        rid = f"cpes-{year}"
        # Publisher question numbers move as the questionnaire is re-ordered.
        numbers = list(rng_num.permutation(len(questions)) + 10)
        held_back = i >= scale.years
        folder = root / NEXT_RELEASE if held_back else sources
        rel = f"{rid}/{rid}-results-illustrative.csv"
        encoding = "utf-8-sig" if i == scale.years - 1 else "utf-8"
        score_rows, freq_rows = (cpes_year(i - scale.years, year, geo, questions, numbers, later, labels, rng_rows)
                                 if held_back else cpes_year(i, year, geo, questions, numbers, sim, labels, rng_rows))
        rows = write_csv(folder / rel, header, score_rows, encoding)
        written[rel] = 0 if held_back else rows
        files = [{"path": rel, "sha256": sha256(folder / rel)}]
        if freq_layout:
            freq_rel = f"{rid}/{rid}-frequencies-illustrative.csv"
            rows = write_csv(folder / freq_rel, freq_header, ([r[j] for j in freq_index] for r in freq_rows))
            written[freq_rel] = 0 if held_back else rows
            files.append({"path": freq_rel, "sha256": sha256(folder / freq_rel), "layout": freq_layout,
                          "encoding": "utf-8"})
        del score_rows, freq_rows
        for q, qid in enumerate(questions):
            q_meta = questions[qid][0]
            crosswalk.append([rid, f"Q{numbers[q]}", qid, q_meta.get("wording") or q_meta["explanation"],
                              "new" if i == 0 else "same"])
        releases.append({
            "id": rid, "survey": "cpes", "survey_year": year,
            "title": f"National Cancer Patient Experience Survey {year} (illustrative benchmark data)",
            "publisher": "Illustrative data made by scripts/benchmark.py, in the layout of the NHS England survey",
            "published": dt.date(year + 1, 7, 10), "url": "", "licence": "OGL-UK-3.0", "layout": CPES_LAYOUT,
            "encoding": encoding, "files": files,
            "disclosure_policy": "cpes-publisher-10", "is_illustrative": True,
            "notes": f"Made-up numbers for made-up organisations ({scale.name} benchmark scale)."})

    written = {k: v for k, v in written.items() if v or not k.startswith(tuple(f"cpes-{y}/" for y in years[scale.years:]))}
    held = {"releases": releases[scale.years:], "crosswalk": [row for row in crosswalk
                                                               if row[0] in {r["id"] for r in releases[scale.years:]}]}
    releases = releases[:scale.years]
    crosswalk = [row for row in crosswalk if row[0] in {r["id"] for r in releases}]
    if held["releases"]:
        (root / NEXT_RELEASE / "next.json").write_text(json.dumps(held, default=str, indent=1), encoding="utf-8")

    audit_rel = "naome-2025/naome-2025-indicators-illustrative.csv"
    written[audit_rel] = write_csv(sources / audit_rel, list(audit_layout["columns"]),
                                   audit_rows(scale, geo, indicators, labels, rng_audit))
    releases.append({
        "id": "naome-2025", "survey": "naome", "survey_year": 2025,
        "title": "National Audit of Metastatic Breast Cancer indicators (illustrative benchmark data)",
        "publisher": "Illustrative data made by scripts/benchmark.py, in the layout of an audit indicator table",
        "published": dt.date(2025, 9, 11), "url": "", "licence": "OGL-UK-3.0", "layout": AUDIT_LAYOUT,
        "encoding": "utf-8", "files": [{"path": audit_rel, "sha256": sha256(sources / audit_rel)}],
        "disclosure_policy": "naome-audit-5", "is_illustrative": True, "notes": "Made-up numbers for made-up Cancer Alliances."})

    # The transcribed real figures are copied as they are (small, not scaled).
    original = yaml.safe_load((repo / "build_data/metadata/releases.yml").read_text(encoding="utf-8"))
    for entry in original:
        if entry.get("survey") == "published_figures":
            for f in entry["files"]:
                src = repo / "build_data/sources" / f["path"]
                (sources / f["path"]).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, sources / f["path"])
                written[f["path"]] = sum(1 for _ in open(src, encoding="utf-8")) - 1
            releases.append(entry)

    question_meta = {}
    for qid, q in questions.items():
        question_meta[qid] = dict(q[0])
        if not freq_layout:
            question_meta[qid].pop("response_options", None)
    header_note = "# Written by scripts/benchmark.py (illustrative benchmark data).\n"
    (meta / "releases.yml").write_text(
        header_note + yaml.safe_dump(releases, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")
    (meta / "questions.yml").write_text(
        header_note + yaml.safe_dump(question_meta, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")
    write_csv(meta / "crosswalk.csv", ["release_id", "publisher_code", "question_id", "wording", "comparability"],
              crosswalk)
    write_csv(meta / "geographies.csv", list(geo[0]), [list(g.values()) for g in geo])
    # Corrections name rows of the committed files, which the benchmark does not use.
    (meta / "corrections.yml").write_text("# No corrections for the benchmark's generated files.\n",
                                          encoding="utf-8")
    score_rows_total = sum(v for k, v in written.items() if k.startswith("cpes-") and "-results-" in k)
    freq_rows_total = sum(v for k, v in written.items() if "-frequencies-" in k)
    return {"scale": scale.name, "dimensions": scale.describe(), "trusts": scale.trusts,
            "alliances": scale.alliances, "questions": scale.questions, "years": scale.years,
            "cohorts": len(COHORTS), "raw_files": written, "raw_rows": sum(written.values()),
            "score_rows": score_rows_total, "frequency_rows": freq_rows_total,
            "frequencies": bool(freq_layout),
            "frequencies_note": ("response frequencies written in layout " + freq_layout) if freq_layout else
            ("frequencies not written: the copied fields.yml has no response_frequencies resource "
             "(or layouts.yml no cpes_frequencies layout)" if frequencies else "frequencies turned off")}


def add_next_release(root: Path) -> str:
    """Publish the first held-back survey year as a data manager would: its files under build_data/sources,
    its entry in releases.yml and crosswalk.csv, a MINOR version bump in site.yml and a CHANGELOG.md entry.
    Returns the release id."""
    held_path = root / NEXT_RELEASE / "next.json"
    held = json.loads(held_path.read_text(encoding="utf-8"))
    release = held["releases"].pop(0)
    release["published"] = dt.date.fromisoformat(release["published"])
    for f in release["files"]:
        (root / "build_data" / "sources" / f["path"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(root / NEXT_RELEASE / f["path"], root / "build_data" / "sources" / f["path"])
    meta = root / "build_data" / "metadata"
    releases = yaml.safe_load((meta / "releases.yml").read_text(encoding="utf-8"))
    cpes = [i for i, r in enumerate(releases) if r.get("survey") == release["survey"]]
    releases.insert(cpes[-1] + 1 if cpes else len(releases), release)
    (meta / "releases.yml").write_text("# Written by scripts/benchmark.py (illustrative benchmark data).\n"
                                       + yaml.safe_dump(releases, sort_keys=False, allow_unicode=True, width=200),
                                       encoding="utf-8")
    with open(meta / "crosswalk.csv", "a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for row in held["crosswalk"]:
            if row[0] == release["id"]:
                writer.writerow(row)
    site = (meta / "site.yml").read_text(encoding="utf-8")
    old = re.search(r"^  version: (\d+)\.(\d+)\.(\d+)$", site, re.M)
    new = f"{old.group(1)}.{int(old.group(2)) + 1}.0"
    (meta / "site.yml").write_text(site[:old.start()] + f"  version: {new}" + site[old.end():], encoding="utf-8")
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = f"## {new} — {release['published']}\n\n- {release['title']} (illustrative benchmark data).\n\n"
    first = changelog.find("\n## ")
    (root / "CHANGELOG.md").write_text(changelog[:first + 1] + entry + changelog[first + 1:] if first >= 0
                                       else changelog + "\n" + entry, encoding="utf-8")
    held_path.write_text(json.dumps(held, default=str, indent=1), encoding="utf-8")
    return release["id"]
