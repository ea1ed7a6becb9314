"""Write deterministic, made-up (ILLUSTRATIVE) publisher-style raw files for the default build."""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import io
import zipfile
from pathlib import Path

import os

# openpyxl writes different (equally valid) xlsx bytes with and without lxml: pin one writer.
os.environ.setdefault("OPENPYXL_LXML", "False")

import numpy as np  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd
from openpyxl.writer.excel import ExcelWriter

from illustrative_frequencies import HEADER as FREQUENCY_HEADER  # noqa: E402
from illustrative_frequencies import aggregate_frequencies, frequency_rows, simulate_frequencies  # noqa: E402

SEED = 20261126
YEARS = [2021, 2022, 2023, 2024]
ENGLAND = ("E92000001", "England")
GROUPS = ["breast_primary", "breast_secondary", "other_cancers"]
COHORTS = ["all_cancers", "breast", "breast_primary", "breast_secondary"]
LEVELS = ["national", "alliance", "trust"]
# Each atomic group is counted in every published cohort it belongs to.
GROUP_COHORTS = {
    "breast_primary": ["all_cancers", "breast", "breast_primary"],
    "breast_secondary": ["all_cancers", "breast", "breast_secondary"],
    "other_cancers": ["all_cancers"],
}
# Publishers withhold (`*`) any score based on fewer respondents than this.
MIN_N = 10
NOTE = "ILLUSTRATIVE DATA - NOT REAL SURVEY RESULTS. Organisations and numbers are made up."

# question id: (share of the cohort who answer, national % positive for all cancers in 2022;
# None marks the 0-10 rating, which is published as a mean rather than a percentage).
QUESTIONS = {
    "main_contact": (0.95, 91.5),
    "contact_ease": (0.80, 80.0),
    "recurrence_info": (0.75, 62.4),
    "overall_rating": (0.97, None),
    "involved_decisions": (0.90, 79.3),
    "needs_discussion": (0.85, 71.1),
    "side_effects_explained": (0.80, 59.0),
    "gp_support": (0.55, 44.6),
    "someone_at_diagnosis": (0.90, 75.9),
    "confidence_trust": (0.95, 78.5),
}
# Publisher question numbers for 2021..2024: they move as the questionnaire is re-ordered,
# which is why the pipeline keys on our stable ids through crosswalk.csv.
QUESTION_NUMBERS = {
    "someone_at_diagnosis": (10, 10, 11, 11),
    "needs_discussion": (13, 14, 14, 15),
    "involved_decisions": (16, 16, 17, 17),
    "main_contact": (17, 18, 20, 21),
    "contact_ease": (18, 19, 21, 22),
    "side_effects_explained": (22, 23, 24, 24),
    "gp_support": (45, 46, 49, 50),
    "recurrence_info": (52, 53, 56, 57),
    "confidence_trust": (58, 59, 60, 62),
    "overall_rating": (61, 62, 64, 65),
}
WORDING = {
    "main_contact": "Did you have a main contact person within the care team who would support "
    "you through your treatment?",
    "contact_ease": "How easy or difficult was it to contact your main contact person?",
    "recurrence_info": "Were you given enough information about the possibility and signs of "
    "cancer coming back or spreading?",
    "overall_rating": "Overall, how would you rate your care? (0 very poor to 10 very good)",
    "involved_decisions": "Were you involved as much as you wanted to be in decisions about "
    "your treatment?",
    "needs_discussion": "Before your treatment started, did anyone discuss your needs or "
    "concerns with you?",
    "side_effects_explained": "Were the possible long-term side effects of treatment explained "
    "in a way you could understand?",
    "gp_support": "Did you get the right amount of information and support from your GP "
    "practice during your treatment?",
    "someone_at_diagnosis": "Were you told that you could have a family member, carer or friend "
    "with you when you were told you had cancer?",
    "confidence_trust": "Did you have confidence and trust in all of the team looking after you?",
}
# The one wording change in the series: from 2023 the GP question drops "information and".
GP_WORDING_FROM_2023 = WORDING["gp_support"].replace("information and ", "")
# Logit shifts: secondary breast cancer is worse on care coordination and recurrence information.
SECONDARY_SHIFT = {"main_contact": -0.5, "contact_ease": -0.35, "recurrence_info": -0.45}
PRIMARY_SHIFT = 0.1
OTHER_SECONDARY_SHIFT = -0.15
YEAR_DRIFT = 0.03

# Invented place names (no real English place or Cancer Alliance is meant or resembled).
ALLIANCE_PLACES = [
    "Brindlecombe", "Fennowmarsh", "Zarrowdale", "Yarnelholt", "Orrinmere", "Thrumbleigh",
    "Vantrywick", "Glissenford", "Mirrowgate", "Tamselby", "Drosselcombe", "Ombervale",
    "Pellisham", "Quaverstead", "Wendlemoor", "Corrowfield", "Skivvendale", "Haverlune",
    "Nettlewyn", "Kestrowmere",
]
TRUST_PREFIXES = [
    "Quillow", "Brossen", "Dabbow", "Elsper", "Grivvel", "Ibbert", "Jessel", "Korvel", "Lorrin",
    "Vossel", "Nimmer", "Pruddle", "Tuppel",
]
TRUST_SUFFIXES = [
    "bourne", "marsh", "ham", "ley", "wick", "ford", "thorpe", "stow", "field", "hythe",
]
MERGED_AWAY = ("ZZT017", "ZZT018")
MERGED_INTO = "ZZT121"

# Publisher layouts: the labels each year's file uses for levels and cancer groups.
XLSX_LEVELS = {"national": "National", "alliance": "Cancer Alliance", "trust": "Trust"}
XLSX_COHORTS = {
    "all_cancers": "All cancers", "breast": "Breast",
    "breast_primary": "Breast - primary only", "breast_secondary": "Breast - secondary (spread)",
}
CSV_COHORTS = {
    "all_cancers": "All Cancers", "breast": "Breast",
    "breast_primary": "Breast (primary only)", "breast_secondary": "Breast (secondary)",
}
XLSX_HEADER = [
    "Question number", "Question text", "Organisation code", "Organisation name",
    "Organisation level", "Cancer group", "Number of respondents", "Score",
]
CSV_HEADER = [
    "Survey Year", "Question No.", "Question Text", "Org Code", "Org Name", "Org Level",
    "Tumour Group", "Respondents", "Percentage Positive (%)", "Mean Score",
]
AUDIT_HEADER = [
    "Indicator", "Diagnosis year", "Area code", "Area name", "Area type", "Numerator",
    "Denominator", "Percentage",
]
AUDIT_LABELS = {
    "de_novo": "Metastatic at first diagnosis (de novo)",
    "mdt_discussion": "Discussed at MDT meeting",
    "cns_contact": "CNS contact recorded",
    "stage_recorded": "Stage at diagnosis recorded",
    "one_year_survival": "One-year survival (de novo)",
}
AUDIT_YEARS = [2020, 2021, 2022]
# A fixed timestamp keeps the .xlsx byte-identical between runs.
FIXED_TIME = datetime.datetime(2026, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def logit(p):
    return np.log(p / (1 - p))


def expit(x):
    return 1 / (1 + np.exp(-x))


def trust_places(rng: np.random.Generator) -> list[str]:
    """120 unique invented trust place names, shuffled so neighbours do not look alike."""
    combos = [p + s for p in TRUST_PREFIXES for s in TRUST_SUFFIXES]
    order = rng.permutation(len(combos))
    return [combos[i] for i in order[:120]]


def alliance_of(trust_number: int) -> str:
    """Six trusts per alliance: ZZT001-006 in ZCA01, ZZT007-012 in ZCA02, ..."""
    return f"ZCA{(trust_number - 1) // 6 + 1:02d}"


def build_geographies(rng: np.random.Generator) -> pd.DataFrame:
    """England, 20 alliances and 121 trusts (ZZT017 + ZZT018 merge into ZZT121 in 2023)."""
    # England and the alliances predate the audit's first diagnosis year (2020).
    rows = [(*ENGLAND, "country", "", 2019, "")]
    for a, place in enumerate(ALLIANCE_PLACES, start=1):
        rows.append((f"ZCA{a:02d}", f"{place} Cancer Alliance (illustrative)",
                     "cancer_alliance", ENGLAND[0], 2019, ""))
    places = trust_places(rng)
    for t, place in enumerate(places, start=1):
        code = f"ZZT{t:03d}"
        valid_to = 2022 if code in MERGED_AWAY else ""
        rows.append((code, f"{place} Hospitals Trust (illustrative)", "trust",
                     alliance_of(t), 2021, valid_to))
    # The merged trust takes both predecessors' names, as real mergers often do.
    merged = f"{places[16]} and {places[17]} Hospitals Trust (illustrative, merged)"
    rows.append((MERGED_INTO, merged, "trust", alliance_of(17), 2023, ""))
    cols = ["geography_code", "geography_name", "geography_type", "parent_code",
            "valid_from", "valid_to"]
    return pd.DataFrame(rows, columns=cols)


def active_trusts(geo: pd.DataFrame, year: int) -> pd.DataFrame:
    """Trusts that exist in a survey year (valid_from/valid_to are survey years)."""
    trusts = geo[geo.geography_type == "trust"]
    to = pd.to_numeric(trusts.valid_to, errors="coerce").fillna(9999)
    return trusts[(trusts.valid_from <= year) & (to >= year)]


def trust_base_sizes(geo: pd.DataFrame, rng: np.random.Generator) -> dict[str, float]:
    """Typical all-cancer respondents per trust: about 500, between 150 and 1,100."""
    codes = [c for c in geo.geography_code if c.startswith("ZZT") and c != MERGED_INTO]
    sizes = np.clip(rng.lognormal(np.log(500), 0.45, len(codes)), 150, 1100)
    base = dict(zip(codes, sizes))
    # The merged trust serves both predecessors' patients.
    base[MERGED_INTO] = base[MERGED_AWAY[0]] + base[MERGED_AWAY[1]]
    return base


def simulate_cohort_sizes(geo: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Respondents per trust x year x atomic group (breast ~15%, of which secondary ~8%)."""
    base = trust_base_sizes(geo, rng)
    rows = []
    for year in YEARS:
        for code, parent in active_trusts(geo, year)[["geography_code", "parent_code"]].values:
            total = int(round(base[code] * rng.uniform(0.9, 1.1)))
            breast = rng.binomial(total, 0.15)
            secondary = rng.binomial(breast, 0.08)
            sizes = (breast - secondary, secondary, total - breast)
            rows += [(year, code, parent, g, s) for g, s in zip(GROUPS, sizes)]
    return pd.DataFrame(rows, columns=["year", "trust", "alliance", "group", "respondents"])


def trust_effects(geo: pd.DataFrame, rng: np.random.Generator) -> dict[tuple, float]:
    """A fixed effect per trust and question: logit sd 0.15, or sd 0.1 points for the rating."""
    effects = {}
    for code in geo.geography_code[geo.geography_type == "trust"]:
        for q, (_, base) in QUESTIONS.items():
            effects[(code, q)] = rng.normal(0, 0.1 if base is None else 0.15)
    return effects


def percent_logit(question: str, group: str, year: int, effect: float) -> float:
    """Logistic model for the chance of a positive answer in one atomic cell."""
    x = logit(QUESTIONS[question][1] / 100) + effect + YEAR_DRIFT * (year - 2022)
    if group == "breast_primary":
        x += PRIMARY_SHIFT
    elif group == "breast_secondary":
        x += SECONDARY_SHIFT.get(question, OTHER_SECONDARY_SHIFT)
    return x


def rating_total(n: int, group: str, effect: float, rng: np.random.Generator) -> float:
    """Sum of 0-10 ratings for n people, kept as a sum so aggregates weight means by n."""
    if n == 0:
        return 0.0
    centre = (8.6 if group == "breast_secondary" else 8.9) + effect
    # Sampling noise (person-level sd about 1.6) so small cells wobble as real ones do.
    mean = float(np.clip(centre + rng.normal(0, 1.6 / np.sqrt(n)), 0, 10))
    return mean * n


def simulate_answers(sizes: pd.DataFrame, effects: dict, rng) -> pd.DataFrame:
    """Atomic rows: n answering each question and their total (positive count or rating sum)."""
    rows = []
    for year, trust, alliance, group, respondents in sizes.values:
        for q, (answer_rate, base) in QUESTIONS.items():
            n = int(rng.binomial(respondents, answer_rate))
            effect = effects[(trust, q)]
            if base is None:
                total = rating_total(n, group, effect, rng)
            else:
                total = float(rng.binomial(n, expit(percent_logit(q, group, year, effect))))
            rows.append((year, trust, alliance, group, q, n, total))
    cols = ["year", "trust", "alliance", "group", "question", "n", "total"]
    return pd.DataFrame(rows, columns=cols)


def aggregate(atomic: pd.DataFrame) -> pd.DataFrame:
    """Sum atomic cells into published cohorts at trust, alliance and national level."""
    df = atomic.assign(cohort=atomic.group.map(GROUP_COHORTS)).explode("cohort")
    df["national"] = ENGLAND[0]
    keys = ["year", "question", "cohort"]
    parts = []
    for level, column in [("national", "national"), ("alliance", "alliance"), ("trust", "trust")]:
        summed = df.groupby(keys + [column], as_index=False)[["n", "total"]].sum()
        parts.append(summed.rename(columns={column: "code"}).assign(level=level))
    out = pd.concat(parts, ignore_index=True)
    # Publishers leave out cells nobody answered.
    return out[out.n > 0].reset_index(drop=True)


def sort_for_year(results: pd.DataFrame, year: int) -> pd.DataFrame:
    """One year's rows in publisher order: question number, level, code, cancer group."""
    idx = YEARS.index(year)
    df = results[results.year == year].copy()
    df["qnum"] = df.question.map(lambda q: QUESTION_NUMBERS[q][idx])
    df["level_order"] = df.level.map(LEVELS.index)
    df["cohort_order"] = df.cohort.map(COHORTS.index)
    df = df.sort_values(["qnum", "level_order", "code", "cohort_order"])
    return df.drop(columns=["level_order", "cohort_order"]).reset_index(drop=True)


def add_quirks(df: pd.DataFrame, names: dict, year: int, rng) -> pd.DataFrame:
    """Publisher quirks: names in upper case or with a trailing space; a few withheld scores."""
    df = df.copy()
    name = df.code.map(names)
    if year == 2021:
        name = name.where(df.code != ENGLAND[0], "ENGLAND")
    upper = rng.random(len(df)) < 0.10
    trailing = rng.random(len(df)) < 0.10
    name = name.where(~upper, name.str.upper())
    df["name"] = name.where(~trailing, name + " ")
    # Publishers also withhold a few scores for reasons other than small numbers.
    eligible = np.flatnonzero(((df.level == "trust") & (df.n >= MIN_N)).to_numpy())
    df["withheld"] = False
    df.loc[rng.choice(eligible, size=3, replace=False), "withheld"] = True
    df["suppressed"] = df.n < MIN_N
    return df


def question_text(question: str, year: int) -> str:
    if question == "gp_support" and year >= 2023:
        return GP_WORDING_FROM_2023
    return WORDING[question]


def xlsx_score(row, year: int):
    """Score cell: `*` when withheld; 2021 proportions 0-1, 2022 percentages; means 2 dp."""
    if row.suppressed or row.withheld:
        return "*"
    if QUESTIONS[row.question][1] is None:
        return round(row.total / row.n, 2)
    if year == 2021:
        return round(row.total / row.n, 3)
    return round(100 * row.total / row.n, 1)


def xlsx_rows(df: pd.DataFrame, year: int) -> list[list]:
    return [
        [f"Q{row.qnum}", question_text(row.question, year), row.code, row.name,
         XLSX_LEVELS[row.level], XLSX_COHORTS[row.cohort], int(row.n), xlsx_score(row, year)]
        for row in df.itertuples()
    ]


def csv_values(row) -> tuple[str, str]:
    """(Percentage Positive, Mean Score): `*` if too few answered, empty if withheld."""
    is_mean = QUESTIONS[row.question][1] is None
    if row.suppressed:
        value = "*"
    elif row.withheld:
        value = ""
    elif is_mean:
        value = f"{row.total / row.n:.2f}"
    else:
        value = f"{100 * row.total / row.n:.1f}"
    return ("", value) if is_mean else (value, "")


def csv_rows(df: pd.DataFrame, year: int) -> list[list]:
    return [
        [str(year), f"Q{row.qnum}", question_text(row.question, year), row.code, row.name,
         XLSX_LEVELS[row.level], CSV_COHORTS[row.cohort], f"{int(row.n):,}", *csv_values(row)]
        for row in df.itertuples()
    ]


def write_csv(path: Path, header: list, rows: list, encoding: str = "utf-8") -> None:
    """Minimal quoting and LF line endings, as the readers expect."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def workbook_for(year: int, rows: list[list]) -> openpyxl.Workbook:
    """One sheet with four metadata rows above the header, as the publisher's workbook has."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Scores by organisation"
    ws.append([f"National Cancer Patient Experience Survey {year}: "
               "scores by organisation and cancer group"])
    ws.append([NOTE])
    ws.append(["Generated by scripts/make_illustrative_data.py"])
    ws.append([])
    ws.append(XLSX_HEADER)
    for row in rows:
        ws.append(row)
    wb.properties.creator = "scripts/make_illustrative_data.py"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


def write_xlsx(path: Path, wb: openpyxl.Workbook) -> None:
    """Save without any clock: Workbook.save() stamps 'modified' now, and zip entries carry
    the time of writing, so write with ExcelWriter and re-zip with fixed entry metadata."""
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for entry in src.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(entry.filename), compresslevel=6)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def cpes_path(root: Path, year: int) -> Path:
    ext = "xlsx" if year <= 2022 else "csv"
    return root / f"build_data/sources/cpes-{year}/cpes-{year}-results-illustrative.{ext}"


def write_cpes(root: Path, results: pd.DataFrame, names: dict, rng) -> tuple[dict[Path, int], dict]:
    """Write each survey year in that year's publisher layout; return data rows per file and
    each year's rows with their quirks (which scores were withheld)."""
    counts, quirked = {}, {}
    for year in YEARS:
        df = add_quirks(sort_for_year(results, year), names, year, rng)
        quirked[year] = df
        path = cpes_path(root, year)
        if year <= 2022:
            rows = xlsx_rows(df, year)
            write_xlsx(path, workbook_for(year, rows))
        else:
            rows = csv_rows(df, year)
            # The 2024 file starts with a byte-order mark, as some publisher exports do.
            write_csv(path, CSV_HEADER, rows, "utf-8-sig" if year == 2024 else "utf-8")
        counts[path] = len(rows)
    return counts, quirked


def write_frequencies(root: Path, atomic: pd.DataFrame, quirked: dict, rng) -> dict[Path, int]:
    """Write each survey year's response frequencies (one csv layout for every year)."""
    counts = aggregate_frequencies(simulate_frequencies(atomic, rng), GROUP_COHORTS, ENGLAND[0])
    written = {}
    for year in YEARS:
        cohorts = XLSX_COHORTS if year <= 2022 else CSV_COHORTS
        rows = frequency_rows(quirked[year], counts, year, XLSX_LEVELS, cohorts)
        path = root / f"build_data/sources/cpes-{year}/cpes-{year}-frequencies-illustrative.csv"
        write_csv(path, FREQUENCY_HEADER, rows)
        written[path] = len(rows)
    return written


def binomial_logit(rng, n: int, p: float, effect: float) -> int:
    return int(rng.binomial(n, expit(logit(p) + effect)))


def alliance_year_counts(rng, people: int, year: int, effect: dict) -> dict:
    """(numerator, denominator) of each audit indicator for one alliance and diagnosis year."""
    de_novo = binomial_logit(rng, people, 0.45, effect["de_novo"])
    # Stage recording improves about 3 points a year from 40% in 2020.
    stage_p = 0.40 + 0.03 * (year - 2020)
    return {
        "de_novo": (de_novo, people),
        "mdt_discussion": (binomial_logit(rng, people, 0.59, effect["mdt_discussion"]), people),
        "cns_contact": (binomial_logit(rng, people, 0.70, effect["cns_contact"]), people),
        "stage_recorded": (binomial_logit(rng, people, stage_p, effect["stage_recorded"]), people),
        # Survival is reported for the de novo group only.
        "one_year_survival": (
            binomial_logit(rng, de_novo, 0.65, effect["one_year_survival"]), de_novo),
    }


def audit_alliance_counts(rng: np.random.Generator) -> pd.DataFrame:
    """Numerators and denominators per alliance, diagnosis year and audit indicator."""
    n_all = len(ALLIANCE_PLACES)
    # People with metastatic breast cancer per alliance-year: about 350, 150 to 700.
    size = rng.lognormal(np.log(350), 0.4, n_all)
    # Alliance effects (logit) are fixed across years: practice differs between places.
    sds = {"de_novo": 0.1, "mdt_discussion": 0.3, "cns_contact": 0.2,
           "stage_recorded": 0.2, "one_year_survival": 0.15}
    eff = {k: rng.normal(0, sd, n_all) for k, sd in sds.items()}
    rows = []
    for year in AUDIT_YEARS:
        for a in range(n_all):
            people = int(np.clip(round(size[a] * rng.uniform(0.9, 1.1)), 150, 700))
            counts = alliance_year_counts(rng, people, year, {k: v[a] for k, v in eff.items()})
            rows += [(k, year, f"ZCA{a + 1:02d}", num, den) for k, (num, den) in counts.items()]
    return pd.DataFrame(rows, columns=["indicator", "year", "code", "num", "den"])


def audit_rows(alliances: pd.DataFrame, names: dict) -> list[list]:
    """Add England (sum of alliances) and format rows in indicator, year, area order."""
    england = alliances.groupby(["indicator", "year"], as_index=False)[["num", "den"]].sum()
    df = pd.concat([england.assign(code=ENGLAND[0]), alliances], ignore_index=True)
    df["ind_order"] = df.indicator.map(list(AUDIT_LABELS).index)
    df["is_alliance"] = df.code != ENGLAND[0]
    df = df.sort_values(["ind_order", "year", "is_alliance", "code"])
    return [
        [AUDIT_LABELS[r.indicator], r.year, r.code, names[r.code],
         "Cancer Alliance" if r.is_alliance else "Country", int(r.num), int(r.den),
         f"{100 * r.num / r.den:.1f}"]
        for r in df.itertuples()
    ]


def crosswalk_rows() -> list[list]:
    """Publisher code -> stable question id per release, sorted by release then question."""
    rows = []
    for idx, year in enumerate(YEARS):
        for q in sorted(QUESTIONS):
            if year == 2021:
                comparability = "new"
            elif q == "gp_support" and year == 2023:
                comparability = "wording_changed"
            else:
                comparability = "same"
            rows.append([f"cpes-{year}", f"Q{QUESTION_NUMBERS[q][idx]}", q,
                         question_text(q, year), comparability])
    return rows


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out-root", type=Path, default=Path(__file__).resolve().parents[1],
                        help="folder to write build_data/... under (default: the repo root)")
    root = parser.parse_args(argv).out_root
    # Independent streams per stage, so changing one stage does not reshuffle the others
    # (spawn(7) gives the same first six streams as spawn(6): the frequencies came later).
    geo_rng, size_rng, effect_rng, answer_rng, quirk_rng, audit_rng, frequency_rng = (
        np.random.default_rng(SEED).spawn(7))
    geo = build_geographies(geo_rng)
    names = dict(zip(geo.geography_code, geo.geography_name))
    atomic = simulate_answers(simulate_cohort_sizes(geo, size_rng),
                              trust_effects(geo, effect_rng), answer_rng)
    counts, quirked = write_cpes(root, aggregate(atomic), names, quirk_rng)
    counts.update(write_frequencies(root, atomic, quirked, frequency_rng))
    audit_path = root / "build_data/sources/naome-2025/naome-2025-indicators-illustrative.csv"
    rows = audit_rows(audit_alliance_counts(audit_rng), names)
    write_csv(audit_path, AUDIT_HEADER, rows)
    counts[audit_path] = len(rows)
    write_csv(root / "build_data/metadata/geographies.csv", list(geo.columns), geo.values.tolist())
    write_csv(root / "build_data/metadata/crosswalk.csv",
              ["release_id", "publisher_code", "question_id", "wording", "comparability"],
              crosswalk_rows())
    for path, n in counts.items():
        print(f"{path.relative_to(root)}: {n} data rows, sha256 {sha256(path)}")


if __name__ == "__main__":
    main()
