/*
 * Upgrade static chart images to interactive Vega-Lite charts, and make wide tables usable
 * from the keyboard. No dependencies; does nothing on pages without figures.
 *
 * Each figure is published as
 *   <figure class="chart" data-spec="…/<figure>.vl.json" [data-spec-dark="…-dark.vl.json"]
 *           data-vega="…/assets/vendor/vega-embed-bundle.js">
 *     <img class="chart-static [chart-static--light]" …>  [<img class="chart-static--dark" …>]
 *     <div class="chart-interactive" aria-hidden="true"></div>
 *   </figure>
 * The page is complete without this script: the static image is the first view, and the
 * description and data table below each chart carry its message. Once the page is idle, this
 * script loads the self-hosted Vega bundle (once), draws the spec for the current palette into
 * .chart-interactive and only then adds `is-interactive` (CSS hides the static image). It
 * redraws when the reader switches palette. On any failure the static image simply stays.
 *
 * A table box that scrolls sideways gets tabindex="0", role="region" and a name, so keyboard
 * users can scroll it (WCAG 2.1.1; axe rule scrollable-region-focusable). The "¶" links after
 * headings are named after their section, so screen readers do not just say "pilcrow".
 */
(function () {
  "use strict";

  var bundles = {}; // absolute bundle URL -> Promise<vegaEmbed>
  var charts = []; // {figure, scheme, result} for every chart drawn
  var hasWarned = false;

  function warnOnce(error) {
    if (hasWarned) return;
    hasWarned = true;
    console.warn("Interactive charts are unavailable; showing static images.", error);
  }

  function whenIdle(callback) {
    if (typeof window.requestIdleCallback === "function") {
      window.requestIdleCallback(callback, { timeout: 2000 });
    } else {
      window.setTimeout(callback, 200);
    }
  }

  function absolute(url) {
    return new URL(url, document.baseURI || window.location.href).href;
  }

  // ---- Loading -------------------------------------------------------------------------------

  function loadBundle(url) {
    if (typeof window.vegaEmbed === "function") return Promise.resolve(window.vegaEmbed);
    if (!bundles[url]) {
      bundles[url] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.async = true;
        script.onload = function () {
          if (typeof window.vegaEmbed === "function") resolve(window.vegaEmbed);
          else reject(new Error("The chart library loaded but did not define vegaEmbed: " + url));
        };
        script.onerror = function () {
          delete bundles[url]; // allow a retry on the next page view
          reject(new Error("Could not load the chart library: " + url));
        };
        document.head.appendChild(script);
      });
    }
    return bundles[url];
  }

  function loadSpec(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("Could not load chart " + url + " (" + response.status + ")");
      return response.json();
    });
  }

  // ---- Drawing -------------------------------------------------------------------------------

  function currentScheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "light";
  }

  function specFor(figure, scheme) {
    var dark = figure.getAttribute("data-spec-dark");
    return scheme === "dark" && dark ? dark : figure.getAttribute("data-spec");
  }

  function forget(figure) {
    charts = charts.filter(function (chart) {
      if (chart.figure !== figure) return true;
      try {
        chart.result.finalize();
      } catch (error) {
        /* already gone */
      }
      return false;
    });
  }

  function draw(figure) {
    var container = figure.querySelector(".chart-interactive");
    if (!container) return Promise.resolve();
    var scheme = currentScheme();
    var specUrl = absolute(specFor(figure, scheme));
    figure.setAttribute("data-chart-state", "loading");

    return Promise.all([loadBundle(absolute(figure.getAttribute("data-vega"))), loadSpec(specUrl)])
      .then(function (loaded) {
        forget(figure);
        container.textContent = "";
        return loaded[0](container, loaded[1], { actions: false, renderer: "svg" });
      })
      .then(function (result) {
        if (!container.querySelector("svg")) throw new Error("Chart did not render: " + specUrl);
        charts.push({ figure: figure, scheme: scheme, result: result });
        figure.classList.add("is-interactive");
        figure.setAttribute("data-chart-state", "interactive");
        figure.setAttribute("data-chart-scheme", scheme);
        if (currentScheme() !== scheme) redraw(figure); // palette switched while drawing
      })
      .catch(function (error) {
        forget(figure);
        container.textContent = "";
        figure.classList.remove("is-interactive");
        figure.setAttribute("data-chart-state", "static");
        warnOnce(error);
      });
  }

  // Swap to the chart for the new palette; until it has drawn, the matching static image shows.
  function redraw(figure) {
    if (figure.getAttribute("data-chart-state") === "loading") return; // draw() re-checks
    figure.classList.remove("is-interactive");
    draw(figure);
  }

  function onSchemeChange() {
    charts.forEach(function (chart) {
      if (chart.figure.hasAttribute("data-spec-dark") && chart.scheme !== currentScheme()) {
        redraw(chart.figure);
      }
    });
  }

  // ---- Wide tables ---------------------------------------------------------------------------

  function updateScrollable(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      var caption = wrap.querySelector("caption");
      var name = caption ? caption.textContent.trim() : "";
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", (name ? "Table: " + name : "Table") + " (scrolls sideways)");
    } else if (!scrolls && wrap.getAttribute("role") === "region") {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }

  var tableObserver = typeof window.ResizeObserver === "function"
    ? new ResizeObserver(function (entries) {
        entries.forEach(function (entry) {
          var wrap = entry.target.closest(".md-typeset__scrollwrap");
          if (wrap) updateScrollable(wrap);
        });
      })
    : null;

  function watchTables() {
    if (tableObserver) tableObserver.disconnect();
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      updateScrollable(wrap);
      if (tableObserver) {
        tableObserver.observe(wrap);
        var table = wrap.querySelector("table");
        if (table) tableObserver.observe(table); // e.g. a closed <details> being opened
      }
    });
  }

  // ---- Section links -------------------------------------------------------------------------

  // The "¶" after each heading is read out as "pilcrow": name it after its section instead.
  function nameSectionLinks() {
    document.querySelectorAll(".md-typeset .headerlink").forEach(function (link) {
      var heading = link.parentNode;
      if (!heading || link.hasAttribute("aria-label")) return;
      var text = Array.prototype.filter
        .call(heading.childNodes, function (node) { return node !== link; })
        .map(function (node) { return node.textContent; })
        .join("")
        .trim();
      if (text) link.setAttribute("aria-label", "Link to this section: " + text);
    });
  }

  // ---- Page views ----------------------------------------------------------------------------

  function onPageView() {
    nameSectionLinks();
    // Free the views of figures no longer in the page (Material's instant navigation).
    charts.slice().forEach(function (chart) {
      if (!document.contains(chart.figure)) forget(chart.figure);
    });
    whenIdle(watchTables); // after Material has wrapped the tables

    var figures = document.querySelectorAll("figure.chart[data-spec][data-vega]");
    if (!figures.length) return; // no figure: fetch nothing
    if (typeof window.fetch !== "function" || typeof window.Promise !== "function") return;
    whenIdle(function () {
      Array.prototype.forEach.call(figures, function (figure) {
        if (!figure.hasAttribute("data-chart-state")) draw(figure);
      });
    });
  }

  if (typeof window.MutationObserver === "function") {
    new MutationObserver(onSchemeChange).observe(document.body, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme"],
    });
  }

  // Material's `document$` emits on every page view, including instant navigation.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPageView);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPageView);
  } else {
    onPageView();
  }
})();
