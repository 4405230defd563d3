/*
 * flowscribe: renders the site's ```mermaid fences with the mermaid copied from the `mermaid` npm
 * package (no CDN). The fences use their own class, `flowscribe-mermaid`, because mkdocs-material
 * 8.2.5's built-in integration (class `mermaid`) calls the mermaid 8/9 API and leaves mermaid 11
 * diagrams as code; current mkdocs-material ignores the class too, so this works with both.
 *
 * A drawn diagram uses the page's whole width, zooms and pans (svg-pan-zoom, copied beside this
 * script and loaded from here so mkdocs.yml needs no extra entry), and each numbered arrow links to
 * its `### (n) …` section.
 */
(function () {
  "use strict";
  var counter = 0;
  var here = document.currentScript && document.currentScript.src;
  var panZoomUrl = here ? here.replace(/[^/]*$/, "svg-pan-zoom.min.js") : null;
  var panZoomLoaded = null;

  var STYLE =
    // The page may use the window's width: a 50-arrow diagram squeezed into 688 px does not read.
    "body.flowscribe-wide .md-grid{max-width:none}" +
    ".flowscribe-mermaid-diagram{position:relative;width:100%;border:1px solid #e0e0e0;border-radius:4px}" +
    ".flowscribe-mermaid-diagram>svg{display:block;max-width:none!important}" +
    ".flowscribe-mermaid-diagram .flowscribe-arrow-link{cursor:pointer}" +
    ".flowscribe-mermaid-diagram .flowscribe-arrow-link:hover{text-decoration:underline}" +
    ".flowscribe-mermaid-hint{font-size:.7rem;color:#757575;margin:.2rem 0 1rem}";

  function addStyle() {
    if (document.getElementById("flowscribe-mermaid-style")) return;
    var style = document.createElement("style");
    style.id = "flowscribe-mermaid-style";
    style.textContent = STYLE;
    document.head.appendChild(style);
  }

  function loadPanZoom() {
    if (window.svgPanZoom) return Promise.resolve(window.svgPanZoom);
    if (!panZoomUrl) return Promise.resolve(null);
    if (!panZoomLoaded) {
      panZoomLoaded = new Promise(function (resolve) {
        var script = document.createElement("script");
        script.src = panZoomUrl;
        script.onload = function () { resolve(window.svgPanZoom || null); };
        // Without it the diagram still draws, full width, just without zoom.
        script.onerror = function () { resolve(null); };
        document.head.appendChild(script);
      });
    }
    return panZoomLoaded;
  }

  /** The `### (n) …` heading of arrow n on this page, or null. */
  function sectionOf(n) {
    var headings = document.querySelectorAll("h3[id]");
    var prefix = "(" + n + ") ";
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].textContent.trim().indexOf(prefix) === 0) return headings[i];
    }
    return null;
  }

  /** Each arrow's number and text jump to its section (a drag to pan is not a click). */
  function linkArrows(host, svg) {
    var numbers = svg.querySelectorAll("text.sequenceNumber");
    var texts = svg.querySelectorAll("text.messageText");
    var down = null;
    host.addEventListener("mousedown", function (e) { down = { x: e.clientX, y: e.clientY }; });
    Array.prototype.forEach.call(numbers, function (number, i) {
      var heading = sectionOf(number.textContent.trim());
      if (!heading) return;
      [number, texts[i]].forEach(function (el) {
        if (!el) return;
        el.classList.add("flowscribe-arrow-link");
        el.setAttribute("data-section", heading.id);
        el.addEventListener("click", function (e) {
          if (down && Math.abs(e.clientX - down.x) + Math.abs(e.clientY - down.y) > 4) return;
          location.hash = heading.id;
        });
      });
    });
  }

  /** Full width, height from the diagram's own proportions, then zoom/pan when the library is there. */
  function fitAndZoom(host, svg) {
    var box = svg.viewBox && svg.viewBox.baseVal;
    var width = host.clientWidth || 800;
    var ratio = box && box.width ? box.height / box.width : 0.75;
    svg.removeAttribute("style");
    svg.setAttribute("width", "100%");
    svg.setAttribute("height", String(Math.round(width * ratio)));
    return loadPanZoom().then(function (svgPanZoom) {
      if (!svgPanZoom) return;
      var zoom = svgPanZoom(svg, {
        controlIconsEnabled: true,
        // The wheel scrolls the page; Ctrl+wheel (or the buttons) zooms.
        mouseWheelZoomEnabled: false,
        dblClickZoomEnabled: false,
        fit: true,
        center: true,
        minZoom: 0.5,
        maxZoom: 20,
      });
      host.addEventListener("wheel", function (e) {
        if (!e.ctrlKey) return;
        e.preventDefault();
        if (e.deltaY < 0) zoom.zoomIn(); else zoom.zoomOut();
      }, { passive: false });
      host.flowscribeZoom = zoom;
    });
  }

  function renderOne(pre) {
    var source = pre.textContent;
    var host = document.createElement("div");
    host.className = "flowscribe-mermaid-diagram";
    pre.parentNode.insertBefore(host, pre);
    pre.hidden = true;
    counter += 1;
    return window.mermaid.render("flowscribe-mermaid-" + counter, source).then(
      function (out) {
        host.innerHTML = out.svg;
        pre.remove();
        var svg = host.querySelector("svg");
        var hint = document.createElement("p");
        hint.className = "flowscribe-mermaid-hint";
        hint.textContent = "Drag to pan, Ctrl+wheel or the buttons to zoom; click an arrow for its section.";
        host.parentNode.insertBefore(hint, host.nextSibling);
        linkArrows(host, svg);
        return fitAndZoom(host, svg);
      },
      function (err) {
        // Keep the source visible under the message so a broken diagram still reads.
        host.className += " flowscribe-mermaid-error";
        host.textContent = "mermaid: " + (err && err.message ? err.message : String(err));
        pre.hidden = false;
      },
    );
  }

  function renderAll() {
    var blocks = document.querySelectorAll("pre.flowscribe-mermaid");
    if (!blocks.length || !window.mermaid) return;
    addStyle();
    document.body.classList.add("flowscribe-wide");
    window.mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      // A capture can hold thousands of exchanges; mermaid's default limit is 50,000 characters.
      maxTextSize: 10000000,
    });
    // One at a time: mermaid's renderer is not re-entrant.
    Array.prototype.reduce.call(
      blocks,
      function (done, pre) {
        return done.then(function () {
          return renderOne(pre);
        });
      },
      Promise.resolve(),
    );
  }

  // mkdocs-material publishes `document$` (also on instant navigation); plain pages use the DOM event.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(renderAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
