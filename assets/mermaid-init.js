/*
 * flowscribe: renders the site's ```mermaid fences with the mermaid copied from the `mermaid` npm
 * package (no CDN). The fences use their own class, `flowscribe-mermaid`, because mkdocs-material
 * 8.2.5's built-in integration (class `mermaid`) calls the mermaid 8/9 API and leaves mermaid 11
 * diagrams as code; current mkdocs-material ignores the class too, so this works with both.
 */
(function () {
  "use strict";
  var counter = 0;

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
