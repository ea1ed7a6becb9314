"""datapackage/ + docs/pages + docs/assets in, docs/_build out: pages (each ending in "Cite this"),
figures and their downloads, press kits, chart-only embed pages, the package at stable links, the
data dictionary, and the self-hosted Vega bundle."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import vl_convert as vlc

from . import data_pages, pages
from .changes_page import previous_diff, what_changed_page
from .citation import citation_parts
from .dataset_jsonld import dataset_json
from .embeds import embed_page, embed_snippet
from .errors import FigureUnknown
from .feed import FEED_PATH, atom_feed
from .figure_files import drawing_jobs, figure_csv, rows_by_key, static_images, svg_size, write_figure
from .figures import Catalogue
from .link_previews import DEFAULT_IMAGE, page_description, preview_image, with_preview
from .image_credit import credit_lines
from .image_drawing import Drawing
from .markers import MarkerResolver
from .press_kit import SHAPES, press_image_spec, write_press_kit
from .publish import staged_folder
from .published import published_corrections, read_published, read_text
from .palette import use_cohort_colours
from .site_address import link_to, site_address
from .release_facts import release_facts_html
from .question_pages import question_figure_specs, question_page, questions_index
from .stable_links import publish_links

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


def copy_tree(src: Path, dst: Path) -> None:
    if src.exists():
        shutil.copytree(src, dst, dirs_exist_ok=True)


def draw_press_images(figure, cache_dir: Path, credit: list[str]) -> None:
    """A press kit's images (press_kit.press_files draws the same), drawn into the cache ahead of the kit; their
    specs, fitted to the canvas by Vega runs, are kept by image_credit.fitted for this render."""
    spec = figure.chart.to_dict()
    for _, width, height in SHAPES:
        static_images(press_image_spec(spec, width, height, figure.kind, list(credit)), cache_dir)


def page_path(page: str) -> str:
    """'findings/main-contact.md' -> 'findings/main-contact/'; 'questions/index.md' -> 'questions/'."""
    stem = page[:-3]
    return stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"


class Renderer:
    """Everything one render shares: the package, its figures, and where each figure was placed."""

    def __init__(self, config, stage: Path):
        self.config, self.stage = config, stage
        use_cohort_colours(config.registry.cohorts)
        self.package = config.root / "datapackage"
        self.texts = {}     # resource name -> its text, as published (every cell a string): read once, typed from it
        self.descriptor, self.tables = read_published(self.package, self.texts)
        self.corrections = published_corrections(self.package, self.tables)
        self.catalogue = Catalogue(self.descriptor, self.tables, config.site)
        self.notice = config.site["illustrative_notice"] if self.descriptor.get("is_illustrative") else None
        self.base = int(config.site["low_reliability_base"])
        self.address = site_address(config.site)     # '' for a local build: links are then relative
        self.resources = {r["name"]: r for r in self.descriptor["resources"]}
        self.cache = config.root / ".cache" / "figures"
        self.figures, self.files, self.placed, self.keyed = {}, {}, {}, {}
        self.jobs, self.csv_of = {}, {}     # figure id -> its drawing jobs, its CSV download
        self.pages_with_figures = set()
        self.key_charts: dict[str, str] = {}     # page -> its first chart with a PNG: the page's preview image
        self.default_alt: str | None = None

    def text_of(self, resource: str):
        if resource not in self.texts:
            self.texts[resource] = read_text(self.package, self.resources[resource])
        return self.texts[resource]

    def figure_csv(self, figure) -> bytes:
        """The figure's CSV download, its rows looked up in its resource's text by primary key (indexed once)."""
        text, key = self.text_of(figure.resource), self.resources[figure.resource]["schema"]["primaryKey"]
        if figure.resource not in self.keyed:
            self.keyed[figure.resource] = rows_by_key(text, key)
        return figure_csv(figure, text, key, self.keyed[figure.resource])

    def cite(self, title: str | None, path: str, page: str) -> dict:
        """Citation parts for a site path, linked absolutely, or relative to the page it is shown on."""
        return citation_parts(self.config.site, self.descriptor, title, link_to(self.address, path, page))

    def finish_page(self, markdown: str, page: str) -> str:
        """The link preview's front matter, the notice after the title, and "Cite this page" at the end."""
        title = pages.page_title(markdown) or self.config.site["package"]["title"]
        key = self.key_charts.get(page)
        image = preview_image(page, self.figures[key].slug if key else None)
        alt = self.figures[key].headline if image != DEFAULT_IMAGE else self.default_alt
        image = image if alt else None     # no chart at all: no preview image
        description = page_description(markdown, self.config.site["package"]["description"], bool(self.notice))
        markdown = pages.with_notice(markdown, self.notice)
        markdown = pages.with_page_cite(markdown, self.cite(title, page_path(page), page))
        return with_preview(markdown, page, title=title, description=description, image=image, image_alt=alt,
                            address=self.address)

    def write_default_preview(self) -> None:
        """preview.png, the preview image of pages without a key chart: the first key finding's chart
        (figures.yml key_finding), else the first chart drawn."""
        drawn = [fid for fid, figure in self.figures.items() if figure.is_drawn and self.files[fid].get(".png")]
        chosen = next((fid for fid in drawn if (self.config.figures.get(fid) or {}).get("key_finding")), drawn[0] if drawn else None)
        self.default_alt = self.figures[chosen].headline if chosen else None
        if chosen:
            shutil.copyfile(self.stage / "figures" / f"{self.figures[chosen].slug}.png", self.stage / DEFAULT_IMAGE)

    def write_feed(self) -> None:
        corrections = self.tables["corrections"].to_dict("records") if "corrections" in self.tables else self.config.corrections
        (self.stage / FEED_PATH).write_bytes(atom_feed(self.descriptor, corrections, self.address))

    def write_page(self, page: str, markdown: str) -> None:
        target = self.stage / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.finish_page(markdown, page), encoding="utf-8")

    # ---- figures ---------------------------------------------------------------------------

    def plan_figures(self, specs: dict, drawing: Drawing) -> None:
        """Every figure's data and specs, each figure's images handed to the pool to draw as soon as it is built."""
        (self.stage / "figures").mkdir()
        for fid, spec in specs.items():
            figure = self.figures[fid] = self.catalogue.build(fid, spec)
            self.jobs[fid] = drawing_jobs(figure, self.cache, self.credit(figure))
            drawing.add(self.jobs[fid])

    def prepare_while_drawing(self) -> None:
        """What needs no chart image, done while the pool draws them: each figure's CSV, the press kits' images
        (drawn here into the cache: write_press_kit later reads them), every resource's text (data pages) and the
        Vega bundle (built into .cache once per vl-convert version)."""
        for fid, figure in self.figures.items():
            self.csv_of[fid] = self.figure_csv(figure)
        for figure in self.figures.values():
            if figure.is_press_kit and figure.is_drawn:
                draw_press_images(figure, self.cache, self.credit(figure))
        for resource in self.resources:
            self.text_of(resource)
        vega_bundle(self.config.root / ".cache")

    def write_figures(self, drawing: Drawing) -> None:
        """Each figure's files, as soon as the pool has drawn its images."""
        for fid, figure in self.figures.items():
            drawing.wait_for(self.jobs[fid])
            files = write_figure(figure, self.stage / "figures", self.cache, self.csv_of[fid], self.credit(figure))
            self.files[fid] = {**{k: len(v) for k, v in files.items()}, "csv_data": self.csv_of[fid]}
            if figure.is_drawn:
                self.files[fid]["svg_size"] = svg_size(files[".svg"].decode("utf-8"))
                self.files[fid]["phone_svg_size"] = svg_size(files["-phone.svg"].decode("utf-8"))

    def build_figures(self) -> None:
        """Every figure's data and specs, its images drawn in a pool of worker processes (image_drawing.Drawing)
        while this process builds the next figures and prepares what needs no image; then each figure's files,
        written from its drawn images."""
        specs = {**self.config.figures, **question_figure_specs(self.config.questions, self.config.figures,
                                                                     self.config.site["question_pages"])}
        with Drawing(expected=2 * len(specs)) as drawing:     # two layouts a figure: desktop, phone
            self.plan_figures(specs, drawing)
            self.prepare_while_drawing()
            self.write_figures(drawing)

    def credit(self, figure) -> list[str]:
        """The lines drawn under a figure's PNGs: its source, the package's licence and notice."""
        return credit_lines(figure.source, self.descriptor)

    def figure_html(self, figure_id: str, page: str) -> str:
        if figure_id not in self.figures:
            raise FigureUnknown(f"{figure_id!r} is not in figures.yml.", file=f"docs/pages/{page}",
                                fix="Declare the figure in build_data/metadata/figures.yml or fix the id.")
        figure, files = self.figures[figure_id], self.files[figure_id]
        anchor = f"{page_path(page)}#fig-{figure_id}"
        cite = self.cite(figure.headline, anchor, page)
        if figure.is_drawn and self.files[figure_id].get(".png"):
            self.key_charts.setdefault(page, figure_id)
        if figure_id not in self.placed:
            self.placed[figure_id] = anchor
            if figure.is_press_kit and figure.is_drawn:
                files["press"] = write_press_kit(figure, self.stage / "press", files["csv_data"], cite,
                                                 self.notice, self.cache, self.credit(figure))
        embed = embed_snippet(figure, link_to(self.address, "", page), files["svg_size"], bool(self.notice)) if figure.is_drawn else ""
        is_first = page not in self.pages_with_figures
        self.pages_with_figures.add(page)
        return pages.figure_block(figure, page, files, self.base, cite, embed, self.corrections_of(figure), is_first)

    def corrections_of(self, figure) -> list[dict]:
        """The package's corrections for a release the figure shows (and its question, where the entry names one)."""
        shown = set(figure.data["question_id"]) if "question_id" in figure.data.columns else set()
        return [c for c in self.corrections if c.get("release_id") in figure.release_ids
                and (not c.get("question_id") or c["question_id"] in shown)]

    def write_embed_pages(self) -> None:
        folder = self.stage / "embed"
        folder.mkdir()
        attribution = self.config.site["licence"]["attribution"]
        for fid, figure in self.figures.items():
            if not figure.is_drawn:
                continue    # nothing to embed: its page says why in one sentence
            page_url = f"../{self.placed[fid]}" if fid in self.placed else None
            html = embed_page(figure, self.files[fid]["svg_size"], self.base, self.notice, attribution, page_url)
            (folder / f"{figure.slug}.html").write_text(html, encoding="utf-8")

    # ---- pages -----------------------------------------------------------------------------

    def render_pages(self) -> None:
        src = self.config.root / "docs" / "pages"
        resolver = MarkerResolver(self.catalogue, self.figure_html, self.config)
        for path in sorted(src.rglob("*")):
            rel = path.relative_to(src).as_posix()
            if path.suffix == ".md":
                self.write_page(rel, resolver.resolve(path.read_text(encoding="utf-8"), rel, path))
            elif path.is_file():
                (self.stage / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, self.stage / rel)

    def write_question_pages(self) -> None:
        self.write_page("questions/index.md", questions_index(self.tables))
        for _, q in self.tables["questions"].iterrows():
            page = f"questions/{q['question_id']}.md"
            facts = release_facts_html(self.descriptor, pages.root_of(page))
            self.write_page(page, question_page(q["question_id"], q, self.tables, self.figure_html, facts))

    def write_data_pages(self) -> None:
        name = self.config.site["package"]["name"]
        links = publish_links(self.package, self.stage / "data", self.descriptor, name)
        sizes = {f: (self.package / f).stat().st_size for f in ("datapackage.json", f"{name}.zip", f"{name}.xlsx")
                 if (self.package / f).is_file()}
        rows = {r: len(t) for r, t in self.tables.items()}
        dataset = dataset_json(self.descriptor, sizes, self.tables, self.address)
        self.write_page("data/index.md", data_pages.data_page(self.descriptor, links, sizes, rows, self.address,
                                                                self.notice, dataset))
        for res_name, resource in self.resources.items():
            declared = {f["name"]: f.get("unit") for f in self.config.fields.get(res_name, {}).get("fields", [])}
            units = {k: v for k, v in declared.items() if v}
            self.write_page(f"data/{res_name}.md", data_pages.dictionary_page(resource, self.text_of(res_name), units))


    def write_changes_page(self) -> None:
        name = self.config.site["package"]["name"]
        diff = previous_diff(self.config.root, name)
        changelog, link = self.config.root / "CHANGELOG.md", None
        if changelog.is_file():
            (self.stage / "data").mkdir(exist_ok=True)
            shutil.copyfile(changelog, self.stage / "data" / "changelog.txt")
            link = ("data/changelog.txt", pages.human_size(changelog.stat().st_size))
        self.write_page("what-changed.md", what_changed_page(self.descriptor, diff, self.corrections, self.tables, link))


def render_docs(config) -> None:
    with staged_folder(config.root / "docs" / "_build") as stage:
        renderer = Renderer(config, stage)
        renderer.build_figures()
        renderer.write_default_preview()
        renderer.write_feed()
        renderer.render_pages()
        renderer.write_question_pages()
        renderer.write_embed_pages()
        copy_tree(config.root / "docs" / "assets", stage / "assets")
        (stage / BUNDLE).parent.mkdir(parents=True, exist_ok=True)
        (stage / BUNDLE).write_text(vega_bundle(config.root / ".cache"), encoding="utf-8")
        renderer.write_data_pages()
        renderer.write_changes_page()
    log.info("rendered %d figures into docs/_build", len(renderer.figures))
