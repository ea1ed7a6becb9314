"""datapackage/ + docs/pages + docs/assets in, docs/_build (pages, figures, downloads, Vega bundle) out."""
from __future__ import annotations

import copy
import hashlib
import json
import logging
import shutil
from pathlib import Path

import pandas as pd
import vl_convert as vlc

from . import pages
from .citation import citation_parts
from .errors import FigureUnknown
from .figures import Catalogue
from .markers import MarkerResolver
from .publish import staged_folder
from .published import read_published
from .question_pages import question_figure_specs, question_page, questions_index

log = logging.getLogger("build_data")
BUNDLE = "assets/vendor/vega-embed-bundle.js"


def vega_bundle(cache_dir: Path) -> str:
    """Vega, Vega-Lite and vega-embed as one self-hosted script; built once per vl-convert version."""
    cached = cache_dir / f"vega-embed-bundle-{vlc.__version__ if hasattr(vlc, '__version__') else 'x'}-{vlc.get_vega_version()}.js"
    if not cached.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        # The bundle declares top-level consts: a function scope keeps them off the page's globals.
        cached.write_text("(function () {\n" + vlc.javascript_bundle() + "\n})();\n", encoding="utf-8")
    return cached.read_text(encoding="utf-8")


def static_images(spec: dict, cache_dir: Path) -> tuple[str, bytes]:
    """SVG and 2x PNG of a spec; cached by the spec's content hash, so unchanged charts are not redrawn."""
    key = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()[:32]
    svg_path, png_path = cache_dir / f"{key}.svg", cache_dir / f"{key}.png"
    if not (svg_path.exists() and png_path.exists()):
        cache_dir.mkdir(parents=True, exist_ok=True)
        svg_path.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
        png_path.write_bytes(vlc.vegalite_to_png(spec, scale=2))
    return svg_path.read_text(encoding="utf-8"), png_path.read_bytes()


def write_figure(figure, folder: Path, cache_dir: Path) -> dict:
    """Static SVG and PNG (data inlined) in light and dark, the specs for the interactive chart, and the CSV."""
    files = {"csv": figure_csv(figure)}
    for suffix, chart in (("", figure.chart), ("-dark", figure.chart_dark)):
        spec = chart.to_dict()
        svg, png = static_images(spec, cache_dir)
        if figure.data["label"].iloc[0].split(" ")[0] not in svg:
            raise FigureUnknown(f"The static image of {figure.id} has no data labels (an empty chart).",
                                fix="Check the figure's data in figures.yml; data must be inlined.")
        files[f"{suffix[1:] or 'light'}_svg"] = svg
        files[f"svg{suffix}"] = svg.encode("utf-8")
        files[f"png{suffix}"] = png
        files[f"vl{suffix}.json"] = (json.dumps(spec, indent=1, sort_keys=True) + "\n").encode("utf-8")
    head = files.pop("light_svg")[:400]
    files.pop("dark_svg")
    for key, data in files.items():
        stem, _, ext = key.partition("-dark") if "-dark" in key else (key, "", "")
        name = f"{figure.slug}-dark.{stem}{ext}" if "-dark" in key else f"{figure.slug}.{key}"
        (folder / name).write_bytes(data)
    sizes = {key: len(data) for key, data in files.items()}
    sizes["svg_size"] = tuple(int(float(head.split(f'{k}="')[1].split('"')[0])) for k in ("width", "height"))
    return sizes


def figure_csv(figure) -> bytes:
    """The plotted rows with the package's columns and shorthand ([c], [x]) for missing numbers."""
    data = figure.data
    keys = [c for c in ("release_id", "survey_year", "period", "geography_code", "cohort_id", "question_id",
                        "indicator_id", "label") if c in data]
    out = data[keys].copy()
    origin = {"n": "n_respondents" if "n_respondents_marker" in data else "denominator"}
    for col in ("n", "numerator", "value", "ci_lower", "ci_upper"):
        if col not in data:
            continue
        marker = data[origin.get(col, col) + "_marker"].replace("", "[x]")
        decimals = 0 if col in ("n", "numerator") else 1
        text = [m if v is None or v is pd.NA or v != v else f"{float(v):.{decimals}f}"
                for v, m in zip(data[col].astype(object), marker)]
        out[origin.get(col, col) if col != "n" else "n_people"] = text
    out["status"] = data["status"]
    out["is_illustrative"] = data["is_illustrative"].map({True: "true", False: "false"})
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def copy_tree(src: Path, dst: Path) -> None:
    if src.exists():
        shutil.copytree(src, dst, dirs_exist_ok=True)


def render_pages(config, stage: Path, resolver: MarkerResolver, notice: str | None) -> None:
    src = config.root / "docs" / "pages"
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src).as_posix()
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            text = resolver.resolve(path.read_text(encoding="utf-8"), rel, path)
            target.write_text(pages.with_notice(text, notice), encoding="utf-8")
        elif path.is_file():
            shutil.copyfile(path, target)


def write_question_pages(stage: Path, tables, figure_html, notice) -> None:
    folder = stage / "questions"
    folder.mkdir(exist_ok=True)
    (folder / "index.md").write_text(pages.with_notice(questions_index(tables), notice), encoding="utf-8")
    for _, q in tables["questions"].iterrows():
        text = question_page(q["question_id"], q, tables, figure_html)
        (folder / f"{q['question_id']}.md").write_text(pages.with_notice(text, notice), encoding="utf-8")


def render_docs(config) -> None:
    descriptor, tables = read_published(config.root / "datapackage")
    catalogue = Catalogue(descriptor, tables, config.site)
    notice = config.site["illustrative_notice"] if descriptor.get("is_illustrative") else None
    base = int(config.site["low_reliability_base"])
    homepage = config.site["package"]["homepage"].rstrip("/") + "/"
    with staged_folder(config.root / "docs" / "_build") as stage:
        (stage / "figures").mkdir()
        figures, sizes = {}, {}
        specs = {**config.figures, **question_figure_specs(config.questions, config.figures)}
        for fid, spec in specs.items():
            figures[fid] = catalogue.build(fid, spec)
            sizes[fid] = write_figure(figures[fid], stage / "figures", config.root / ".cache" / "figures")

        def figure_html(figure_id, page):
            if figure_id not in figures:
                raise FigureUnknown(f"{figure_id!r} is not in figures.yml.", file=f"docs/pages/{page}",
                                    fix="Declare the figure in build_data/metadata/figures.yml or fix the id.")
            figure = figures[figure_id]
            url = f"{homepage}{page[:-3].removesuffix('index')}/#fig-{figure_id}".replace("//#", "/#")
            cite = citation_parts(config.site, descriptor, figure.headline, url)
            return pages.figure_block(figure, page, sizes[figure_id], base, cite)

        render_pages(config, stage, MarkerResolver(catalogue, figure_html), notice)
        write_question_pages(stage, tables, figure_html, notice)
        copy_tree(config.root / "docs" / "assets", stage / "assets")
        (stage / BUNDLE).parent.mkdir(parents=True, exist_ok=True)
        (stage / BUNDLE).write_text(vega_bundle(config.root / ".cache"), encoding="utf-8")
        copy_tree(config.root / "datapackage", stage / "data")
        listed = copy.deepcopy(descriptor)
        for res in listed["resources"]:
            res["rows"] = f"{len(tables[res['name']]):,}"
        (stage / "data" / "index.md").write_text(pages.data_page(listed, notice), encoding="utf-8")
    log.info("rendered %d figures into docs/_build", len(specs))
