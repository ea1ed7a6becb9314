"""A Registry in, nothing out: every reference between metadata files checked both ways.

A name that points at nothing stops the build (MetadataReferenceBroken, ReaderUnknown, ...); an entry
that nothing points at is only a warning in the log (it may be there for a release still to come).
"""
from __future__ import annotations

import collections
import logging

from ..errors import DuplicateReleaseId, MetadataInvalid, MetadataReferenceBroken, UnknownQuestionId
from .explain import did_you_mean
from .options import check_response_options

log = logging.getLogger("build_data")


def broken(registry, name: str, loc: tuple, what: str, value, known, defined_in: str, **extra) -> MetadataReferenceBroken:
    return MetadataReferenceBroken(
        f"{what} {value!r}, which is not in {defined_in}.{did_you_mean(value, known)}",
        file=registry.files[name].path, line=registry.line(name, *loc),
        key=next((str(p) for p in reversed(loc) if not isinstance(p, int)), None),
        fix=f"Correct the name in {name}, or add it to {defined_in}.", **extra)


def check_releases(registry) -> None:
    """Release ids are unique; every layout a release or file names is in layouts.yml."""
    seen = {}
    for i, r in enumerate(registry.releases):
        if r.id in seen:
            raise DuplicateReleaseId(f"Entries {seen[r.id] + 1} and {i + 1} both have the id {r.id!r}.",
                                     file=registry.files["releases.yml"].path, row=f"entry {i + 1}", column="id",
                                     line=registry.line("releases.yml", i, "id"),
                                     fix="Give every release in releases.yml its own id (the id is also its "
                                         "folder under build_data/sources/).")
        seen[r.id] = i
        if r.layout not in registry.layouts:
            raise broken(registry, "releases.yml", (i, "layout"), f"Release {r.id} names the layout", r.layout,
                         registry.layouts, "layouts.yml")
        if r.disclosure_policy not in registry.disclosure_policies:
            raise broken(registry, "releases.yml", (i, "disclosure_policy"), f"Release {r.id} names the disclosure "
                         "policy", r.disclosure_policy, registry.disclosure_policies, "disclosure.yml")
        for j, f in enumerate(r.files):
            if f.layout is not None and f.layout not in registry.layouts:
                raise broken(registry, "releases.yml", (i, "files", j, "layout"), f"File {f.path} names the layout",
                             f.layout, registry.layouts, "layouts.yml")


def warn_unused_policies(registry) -> None:
    """A disclosure policy no release names is a warning."""
    used = {r.disclosure_policy for r in registry.releases}
    for pid in registry.disclosure_policies:
        if pid not in used:
            log.warning("disclosure.yml: policy %r is not used by any release in releases.yml", pid)


def check_layouts(registry) -> None:
    """Every layout's reader is one the build has; a layout no release uses is a warning."""
    from ..readers.layout import check_reader
    path = registry.files["layouts.yml"].path
    for lid, layout in registry.layouts.items():
        check_reader(layout, path, line=registry.line("layouts.yml", lid, "reader"))
    used = {r.layout for r in registry.releases} | {f.layout for r in registry.releases for f in r.files if f.layout}
    for lid in registry.layouts:
        if lid not in used:
            log.warning("layouts.yml: layout %r is not used by any release in releases.yml", lid)


def check_crosswalk(registry) -> None:
    """Every crosswalk row names a release and a question that exist, once per release and code, with wording."""
    path = registry.files["crosswalk.csv"].path
    releases = {r.id for r in registry.releases}
    seen = set()
    for index, row in enumerate(registry.crosswalk):
        line = registry.line("crosswalk.csv", index)
        where = dict(file=path, row=line)
        if row.question_id not in registry.questions:
            raise UnknownQuestionId(f"crosswalk.csv maps {row.release_id} {row.publisher_code} to question_id "
                                    f"{row.question_id!r}, which is not in questions.yml."
                                    f"{did_you_mean(row.question_id, registry.questions)}", **where,
                                    column="question_id", fix="Add the question to build_data/metadata/questions.yml, "
                                                              "or correct the question_id in crosswalk.csv.")
        if row.release_id not in releases:
            raise MetadataReferenceBroken(f"release_id {row.release_id!r} is not in releases.yml."
                                          f"{did_you_mean(row.release_id, releases)}", **where, column="release_id",
                                          fix="Add the release to releases.yml or correct crosswalk.csv.")
        if not row.wording.strip():
            raise MetadataInvalid(f"{row.release_id} {row.publisher_code} ({row.question_id}) has no wording.",
                                  **where, column="wording", fix="Write the question as that release asked it in "
                                                                 "crosswalk.csv.")
        if (row.release_id, row.publisher_code) in seen:
            raise MetadataInvalid(f"{row.release_id} {row.publisher_code} is mapped more than once.", **where,
                                  column="publisher_code", fix="Keep one row per release and publisher code in "
                                                               "crosswalk.csv.")
        seen.add((row.release_id, row.publisher_code))
    mapped = {row.question_id for row in registry.crosswalk}
    for qid in registry.questions:
        if qid not in mapped:
            log.warning("questions.yml: question %r is not mapped by any row of crosswalk.csv", qid)


def check_geographies(registry) -> None:
    """Codes are unique, every parent is a code in the file, and valid_from is not after valid_to."""
    path = registry.files["geographies.csv"].path
    codes = collections.Counter(g.geography_code for g in registry.geographies)
    for index, g in enumerate(registry.geographies):
        where = dict(file=path, row=registry.line("geographies.csv", index))
        if codes[g.geography_code] > 1:
            raise MetadataInvalid(f"Code {g.geography_code!r} appears twice.", **where, column="geography_code",
                                  fix="Keep one row per code in geographies.csv.")
        if g.parent_code and g.parent_code not in codes:
            raise MetadataReferenceBroken(f"parent_code {g.parent_code!r} is not a code in the file."
                                          f"{did_you_mean(g.parent_code, codes)}", **where, column="parent_code",
                                          fix="Correct the parent_code, or add the parent's row, in geographies.csv.")
        if g.valid_to is not None and g.valid_to < g.valid_from:
            raise MetadataInvalid(f"{g.geography_code} is valid from {g.valid_from} to {g.valid_to}.", **where,
                                  column="valid_to", fix="Correct valid_from or valid_to in geographies.csv.")


def check_cohorts(registry) -> None:
    """Every cohort a cohort is made of (parts) or includes is a cohort, and not itself."""
    for cid, c in registry.cohorts.items():
        for key in ("parts", "includes"):
            for i, other in enumerate(getattr(c, key)):
                if other not in registry.cohorts or other == cid:
                    raise broken(registry, "cohorts.yml", (cid, key, i), f"Cohort {cid!r} lists under {key}",
                                 other, [k for k in registry.cohorts if k != cid], "cohorts.yml (another cohort)")


QUESTION_KINDS = {"cohorts_latest", "trend", "alliances"}
NEEDS = {"cohorts_latest": ("question_id",), "trend": ("question_id", "cohorts"),
         "alliances": ("question_id", "cohort_id"), "audit_latest": (), "audit_alliances": ("indicator_id",)}


def check_figures(registry) -> None:
    """Every figure has the keys its kind needs and names questions, indicators and cohorts that exist."""
    path = registry.files["figures.yml"].path
    for fid, f in registry.figures.items():
        for key in NEEDS[f.kind] + (("question_id", "compare") if f.key_finding else ()):
            if not getattr(f, key):
                raise MetadataInvalid(f"Figure {fid!r} is a {f.kind} figure but has no {key}.", file=path,
                                      line=registry.line("figures.yml", fid), key=key,
                                      fix=f"Add {key} to the figure in figures.yml.")
        for key, known, defined_in in (("question_id", registry.questions, "questions.yml"),
                                       ("indicator_id", registry.indicators, "indicators.yml")):
            value = getattr(f, key)
            if value is not None and value not in known:
                raise broken(registry, "figures.yml", (fid, key), f"Figure {fid!r} uses {key}", value, known, defined_in)
        for key in ("cohorts", "compare", "cohort_id"):
            value = getattr(f, key)
            for i, cohort in enumerate((value,) if isinstance(value, str) else value or ()):
                if cohort not in registry.cohorts:
                    loc = (fid, key) if isinstance(value, str) else (fid, key, i)
                    raise broken(registry, "figures.yml", loc, f"Figure {fid!r} uses the cohort", cohort,
                                 registry.cohorts, "cohorts.yml")


def check_question_pages(registry) -> None:
    """The cohorts site.yml gives question pages' charts are cohorts."""
    pages = registry.site.question_pages
    for key in ("trend_cohorts", "alliance_cohort", "compare"):
        value = getattr(pages, key)
        for i, cohort in enumerate((value,) if isinstance(value, str) else value):
            if cohort not in registry.cohorts:
                loc = ("question_pages", key) if isinstance(value, str) else ("question_pages", key, i)
                raise broken(registry, "site.yml", loc, "Question pages use the cohort", cohort, registry.cohorts,
                             "cohorts.yml")


def check_corrections(registry) -> None:
    """Every correction names a release and one of its files, as releases.yml lists them."""
    files = {r.id: {f.path for f in r.files} for r in registry.releases}
    path = registry.files["corrections.yml"].path
    for i, c in enumerate(registry.corrections):
        if c.release_id not in files or c.file not in files[c.release_id]:
            raise MetadataReferenceBroken(f"{c.release_id} has no file {c.file!r}.", file=path, row=f"entry {i + 1}",
                                          column="file", line=registry.line("corrections.yml", i, "file"),
                                          fix="Use the release id and file path exactly as releases.yml has them.")
        if c.question_id is not None and c.question_id not in registry.questions:
            raise broken(registry, "corrections.yml", (i, "question_id"), "The correction names the question",
                         c.question_id, registry.questions, "questions.yml")


def check_fields(registry) -> None:
    """Every table's primary key is among its fields; every foreign key points at a declared table."""
    for name, table in registry.fields.items():
        names = {f.name for f in table.fields}
        for key in table.primary_key:
            if key not in names:
                raise broken(registry, "fields.yml", (name, "primary_key"), f"Table {name!r} has the primary key",
                             key, names, "its fields")
        for i, fk in enumerate(table.foreign_keys):
            if fk.resource and fk.resource not in registry.fields:
                raise broken(registry, "fields.yml", (name, "foreign_keys", i, "resource"),
                             f"Table {name!r} has a foreign key to", fk.resource, registry.fields, "fields.yml")


def check_references(registry) -> None:
    """Every cross-file check, stopping at the first failure."""
    for check in (check_releases, warn_unused_policies, check_layouts, check_response_options, check_crosswalk, check_geographies,
                  check_cohorts, check_figures, check_question_pages, check_corrections, check_fields):
        check(registry)
