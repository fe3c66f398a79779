/* Copy controls for leader messages.
 *
 * Bound through Material's document$ observable so that the controls keep working
 * with instant navigation, where pages are swapped without a full reload. */
(function () {
  "use strict";

  function writeRichText(html, text) {
    if (window.ClipboardItem && navigator.clipboard && navigator.clipboard.write) {
      var item = new ClipboardItem({
        "text/html": new Blob([html], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" })
      });
      return navigator.clipboard.write([item]);
    }
    return copyWithSelection(html, text);
  }

  function writePlainText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text);
    }
    return copyWithSelection(null, text);
  }

  /* Fallback for browsers without the async clipboard (for example plain http on an intranet). */
  function copyWithSelection(html, text) {
    return new Promise(function (resolve, reject) {
      function onCopy(event) {
        event.clipboardData.setData("text/plain", text);
        if (html !== null) {
          event.clipboardData.setData("text/html", html);
        }
        event.preventDefault();
      }
      document.addEventListener("copy", onCopy);
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } finally {
        document.removeEventListener("copy", onCopy);
      }
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function announce(button, message) {
    var label = button.querySelector(".portal-copy__label");
    var original = button.getAttribute("data-label") || (label ? label.textContent : "");
    button.setAttribute("data-label", original);
    if (label) { label.textContent = message; }
    button.classList.add("portal-copy--done");
    var status = document.getElementById("portal-copy-status");
    if (status) { status.textContent = message; }
    window.setTimeout(function () {
      if (label) { label.textContent = original; }
      button.classList.remove("portal-copy--done");
    }, 2000);
  }

  function onClick(event) {
    var button = event.target.closest ? event.target.closest(".portal-copy") : null;
    if (!button) { return; }
    var text = button.getAttribute("data-copy-text") || "";
    var htmlFrom = button.getAttribute("data-copy-html-from");
    var source = htmlFrom ? document.querySelector(htmlFrom) : null;
    var done = source ? writeRichText(source.innerHTML, text) : writePlainText(text);
    done.then(
      function () { announce(button, "Copied"); },
      function () { announce(button, "Copy failed: select the text and copy it"); }
    );
  }

  function ensureStatusRegion() {
    if (document.getElementById("portal-copy-status")) { return; }
    var status = document.createElement("div");
    status.id = "portal-copy-status";
    status.className = "portal-visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    document.body.appendChild(status);
  }

  /* One delegated listener on the document survives instant navigation. */
  if (!window.__portalCopyBound) {
    window.__portalCopyBound = true;
    document.addEventListener("click", onClick);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(ensureStatusRegion);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ensureStatusRegion);
  } else {
    ensureStatusRegion();
  }
})();
