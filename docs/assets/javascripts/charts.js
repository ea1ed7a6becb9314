/*
 * Interactive charts on request, and wide tables usable from the keyboard. No dependencies; does
 * nothing on pages without figures.
 *
 * Each figure is published as
 *   <figure class="chart" data-spec="…/<figure>.vl.json" data-spec-dark="…-dark.vl.json"
 *           data-spec-phone="…-phone.vl.json" data-spec-phone-dark="…-dark-phone.vl.json"
 *           data-phone-media="(max-width: …)" data-vega="…/assets/vendor/vega-embed-bundle.js">
 *     <picture>…<img class="chart-static chart-static--light" …></picture>
 *     <picture>…<img class="chart-static chart-static--dark" …></picture>
 *     <div class="chart-interactive" aria-hidden="true"></div>
 *     <button class="chart-explore" hidden>Explore this chart</button>
 *   </figure>
 * The page is complete without this script: the static picture (the browser picks the phone or
 * desktop layout) is the view, and the description and data table below each chart carry its
 * message. Nothing more is fetched until the reader asks: this script shows the "Explore this
 * chart" button, and only its press loads the self-hosted Vega bundle (once) and the chart's spec
 * for the current palette and width, draws it into .chart-interactive and adds `is-interactive`
 * (CSS hides the static picture). The same button then goes back to the picture. It redraws when
 * the reader switches palette. On any failure the static picture simply stays.
 * data-chart-state: "static" (the picture), "loading", "interactive".
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

  function isPhone(figure) {
    var media = figure.getAttribute("data-phone-media");
    return !!media && typeof window.matchMedia === "function" && window.matchMedia(media).matches;
  }

  function specFor(figure, scheme) {
    var prefix = isPhone(figure) && figure.hasAttribute("data-spec-phone") ? "data-spec-phone" : "data-spec";
    var dark = figure.getAttribute(prefix + "-dark");
    return scheme === "dark" && dark ? dark : figure.getAttribute(prefix);
  }

  var EXPLORE = "Explore this chart";
  var LOADING = "Loading the interactive chart…";
  var BACK = "Show the chart as a picture";

  function setButton(figure, label, busy) {
    var button = figure.querySelector(".chart-explore");
    if (!button) return;
    button.textContent = label;
    button.disabled = !!busy;
    button.setAttribute("aria-pressed", label === BACK ? "true" : "false");
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
    if (!figure.classList.contains("is-interactive")) setButton(figure, LOADING, true);

    return Promise.all([loadBundle(absolute(figure.getAttribute("data-vega"))), loadSpec(specUrl)])
      .then(function (loaded) {
        forget(figure);
        container.textContent = "";
        return loaded[0](container, loaded[1], { actions: false, renderer: "svg" });
      })
      .then(function (result) {
        if (!container.querySelector("svg")) throw new Error("Chart did not render: " + specUrl);
        charts.push({ figure: figure, scheme: scheme, result: result });
        if (figure.getAttribute("data-chart-state") !== "loading") {  // put back while drawing
          forget(figure);
          container.textContent = "";
          return;
        }
        figure.classList.add("is-interactive");
        setButton(figure, BACK, false);
        figure.setAttribute("data-chart-state", "interactive");
        figure.setAttribute("data-chart-scheme", scheme);
        if (currentScheme() !== scheme) redraw(figure); // palette switched while drawing
      })
      .catch(function (error) {
        forget(figure);
        container.textContent = "";
        figure.classList.remove("is-interactive");
        figure.setAttribute("data-chart-state", "static");
        setButton(figure, EXPLORE, false);
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

  // The reader's request: draw the interactive chart, or go back to the static picture.
  function toggle(figure) {
    var state = figure.getAttribute("data-chart-state");
    if (state === "loading") return;
    if (state === "interactive") {
      forget(figure);
      figure.querySelector(".chart-interactive").textContent = "";
      figure.classList.remove("is-interactive");
      figure.setAttribute("data-chart-state", "static");
      setButton(figure, EXPLORE, false);
      return;
    }
    draw(figure);
  }

  function offerExplore(figure) {
    if (!figure.hasAttribute("data-chart-state")) figure.setAttribute("data-chart-state", "static");
    var button = figure.querySelector(".chart-explore");
    if (!button || button.hasAttribute("data-ready")) return;
    button.setAttribute("data-ready", "");
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () { toggle(figure); });
    button.hidden = false;
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
    if (!figures.length) return; // no figure: nothing to offer
    if (typeof window.fetch !== "function" || typeof window.Promise !== "function") {
      Array.prototype.forEach.call(figures, function (figure) {
        figure.setAttribute("data-chart-state", "static"); // the picture is the chart
      });
      return;
    }
    // Nothing is fetched here: the bundle and spec load only when the reader presses Explore.
    Array.prototype.forEach.call(figures, offerExplore);
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
