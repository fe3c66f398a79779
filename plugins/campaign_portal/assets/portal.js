/* The portal's progressive enhancements: copy buttons on leader pages, the topic filter on the
 * campaigns page, the filters of the events list, each event time also in the reader's own zone,
 * and an accessible name for Material's search dialog.
 *
 * Material's instant navigation swaps pages without reloading this script, so clicks go through
 * one delegated listener on the document, and per-page set-up runs on every page Material
 * emits through its document$ observable. Without JavaScript every page still works: the copy
 * buttons' text is on the page and the topics are links to their tag pages. */
(function () {
  "use strict";

  /* Outlook's editor shows unstyled pasted HTML in Times New Roman; give the fragment the
     usual email face and size so that a pasted message looks typed. */
  var RICH_TEXT_STYLE = "font-family: Aptos, Calibri, Arial, Helvetica, sans-serif; font-size: 11pt;";

  function richHtml(fragment) {
    return '<div style="' + RICH_TEXT_STYLE + '">' + fragment + "</div>";
  }

  /* Old browsers and plain-http intranet sites (not a secure context) have no async clipboard:
     copy through a copy event instead, which also carries the HTML flavour. */
  function copyWithEvent(html, text) {
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
      } catch (error) {
        ok = false;
      } finally {
        document.removeEventListener("copy", onCopy);
      }
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function writeClipboard(html, text) {
    var clipboard = navigator.clipboard;
    var written;
    if (html !== null && clipboard && clipboard.write && window.ClipboardItem) {
      written = clipboard.write([new ClipboardItem({
        "text/html": new Blob([html], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" })
      })]);
    } else if (html === null && clipboard && clipboard.writeText) {
      written = clipboard.writeText(text);
    } else {
      return copyWithEvent(html, text);
    }
    return written.catch(function () { return copyWithEvent(html, text); });
  }

  function statusRegion() {
    var status = document.getElementById("portal-copy-status");
    if (!status) {
      status = document.createElement("div");
      status.id = "portal-copy-status";
      status.className = "portal-visually-hidden";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      document.body.appendChild(status);
    }
    return status;
  }

  function showResult(button, ok) {
    if (!button.hasAttribute("data-label")) {
      button.setAttribute("data-label", button.textContent);
    }
    var original = button.getAttribute("data-label") || "";
    var message = ok ? "Copied" : "Copy failed: select the text and copy it";
    button.textContent = ok ? "Copied" : "Copy failed";
    button.classList.toggle("portal-copy--done", ok);
    button.classList.toggle("portal-copy--failed", !ok);
    statusRegion().textContent = ok ? original.replace(/^Copy/, "Copied") : message;
    window.clearTimeout(Number(button.getAttribute("data-timer")));
    button.setAttribute("data-timer", String(window.setTimeout(function () {
      button.textContent = original;
      button.classList.remove("portal-copy--done", "portal-copy--failed");
    }, 2000)));
  }

  /* Each text of a message is on the page once (see macros.html): the subject, the chat version
     and the formatted body as shown, and the plain text in the article's data-text. */
  function messagePart(article, selector) {
    var element = article.querySelector(selector);
    return element ? element.textContent : "";
  }

  function plainText(article) {
    return article.getAttribute("data-text") || "";
  }

  /* The same link as writers/eml.py's mailto_link: every character but A-Z a-z 0-9 _ . - ~
     percent-encoded, and line breaks as CRLF. */
  function encodeMailto(value) {
    return encodeURIComponent(value).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function mailtoLink(article) {
    var subject = messagePart(article, ".portal-message__subject");
    var body = plainText(article).replace(/\r?\n/g, "\r\n");
    return "mailto:?subject=" + encodeMailto(subject) + "&body=" + encodeMailto(body);
  }

  function enhanceMailtoLinks() {
    document.querySelectorAll(".portal-message[data-mailto] .portal-mailto[hidden]").forEach(function (link) {
      link.setAttribute("href", mailtoLink(link.closest(".portal-message")));
      link.hidden = false;
    });
  }

  function onCopyClick(button) {
    var article = button.closest(".portal-message");
    var part = button.getAttribute("data-copy");
    var text = "";
    var html = null;
    if (part === "subject") {
      text = messagePart(article, ".portal-message__subject");
    } else if (part === "short") {
      text = messagePart(article, ".portal-message__short");
    } else {
      text = plainText(article);
      if (part === "html") {
        html = richHtml(article.querySelector(".portal-message__body").innerHTML);
      }
    }
    writeClipboard(html, text).then(
      function () { showResult(button, true); },
      function () { showResult(button, false); }
    );
  }

  /* -- Topic filter on the campaigns page ---------------------------------------------------- */

  function applyFilter(filter, slug) {
    var article = filter.closest("article") || document;
    var shown = 0;
    var total = 0;
    article.querySelectorAll(".portal-campaign-card[data-tags]").forEach(function (card) {
      var tags = card.getAttribute("data-tags").split(" ");
      var visible = !slug || tags.indexOf(slug) !== -1;
      card.hidden = !visible;
      total += 1;
      if (visible) { shown += 1; }
    });
    article.querySelectorAll(".portal-campaign-group").forEach(function (group) {
      group.hidden = !group.querySelector(".portal-campaign-card:not([hidden])");
    });
    var name = "";
    filter.querySelectorAll("button[data-tag]").forEach(function (button) {
      var pressed = button.getAttribute("data-tag") === slug;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      if (pressed && slug) { name = button.textContent; }
    });
    var status = filter.querySelector(".portal-filter__status");
    if (status) {
      status.textContent = slug
        ? "Showing " + shown + " of " + total + " campaigns: " + name
        : "Showing all " + total + " campaigns";
    }
  }

  function enhanceFilter() {
    var filter = document.querySelector(".portal-filter[data-portal-filter]:not([data-enhanced])");
    if (!filter) { return; }
    filter.setAttribute("data-enhanced", "");
    var list = filter.querySelector("ul");
    var links = filter.querySelectorAll("a[data-tag]");
    var group = document.createElement("ul");
    group.className = "portal-tags";
    group.setAttribute("aria-label", "Show campaigns about");
    function addButton(slug, text) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "portal-tag portal-filter__button";
      button.setAttribute("data-tag", slug);
      button.setAttribute("aria-pressed", "false");
      button.textContent = text;
      item.appendChild(button);
      group.appendChild(item);
    }
    addButton("", "All topics");
    links.forEach(function (link) { addButton(link.getAttribute("data-tag"), link.textContent); });
    var status = document.createElement("p");
    status.className = "portal-filter__status";
    status.setAttribute("role", "status");
    list.replaceWith(group);
    filter.appendChild(status);
    applyFilter(filter, "");
  }

  /* -- Event filters on the events list ----------------------------------------------------- */

  var EVENT_FILTERS = ["type", "campaign", "where"];

  function eventFilterValues(form) {
    var values = {};
    EVENT_FILTERS.forEach(function (name) {
      var select = form.elements.namedItem(name);
      values[name] = select ? select.value : "";
    });
    return values;
  }

  function applyEventFilter(form) {
    var values = eventFilterValues(form);
    var article = form.closest("article") || document;
    var shown = 0;
    var total = 0;
    article.querySelectorAll(".portal-event-month .portal-event-card").forEach(function (card) {
      var where = (card.getAttribute("data-where") || "").split(" ");
      var visible = (!values.type || card.getAttribute("data-type") === values.type) &&
        (!values.campaign || card.getAttribute("data-campaign") === values.campaign) &&
        (!values.where || where.indexOf(values.where) !== -1);
      card.hidden = !visible;
      total += 1;
      if (visible) { shown += 1; }
    });
    article.querySelectorAll(".portal-event-month").forEach(function (month) {
      month.hidden = !month.querySelector(".portal-event-card:not([hidden])");
    });
    var none = article.querySelector(".portal-event-filter__none");
    if (none) { none.hidden = shown !== 0; }
    var filtered = EVENT_FILTERS.some(function (name) { return values[name]; });
    var paged = !!article.querySelector(".portal-pager");
    var status = form.querySelector(".portal-filter__status");
    if (status) {
      status.textContent = filtered
        ? "Showing " + shown + " of " + total + " events" + (paged ? " on this page" : "")
        : "Showing all " + total + " events" + (paged ? " on this page" : "");
    }
    /* The choice travels with the address, to the other pages of the list and back. */
    var query = new URLSearchParams();
    EVENT_FILTERS.forEach(function (name) { if (values[name]) { query.set(name, values[name]); } });
    var search = query.toString() ? "?" + query.toString() : "";
    if (window.location.search !== search) {
      window.history.replaceState(window.history.state, "", window.location.pathname + search + window.location.hash);
    }
    article.querySelectorAll(".portal-pager a, .portal-switch a").forEach(function (link) {
      var href = link.getAttribute("href").split("?")[0];
      link.setAttribute("href", link.closest(".portal-switch") ? href : href + search);
    });
  }

  function enhanceEventFilter() {
    var form = document.querySelector("form[data-portal-event-filter]:not([data-enhanced])");
    if (!form) { return; }
    form.setAttribute("data-enhanced", "");
    var query = new URLSearchParams(window.location.search);
    EVENT_FILTERS.forEach(function (name) {
      var select = form.elements.namedItem(name);
      var wanted = query.get(name);
      if (select && wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
        select.value = wanted;
      }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    applyEventFilter(form);
  }

  /* -- Event times in the reader's own zone ------------------------------------------------- */

  var formatters = {};

  function formatter(zone, withDay) {
    var key = zone + (withDay ? " day" : "");
    if (!formatters[key]) {
      var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
      if (zone) { options.timeZone = zone; }
      if (withDay) { options.weekday = "short"; options.day = "numeric"; options.month = "short"; }
      formatters[key] = new Intl.DateTimeFormat("en-GB", options);
    }
    return formatters[key];
  }

  function dayOf(moment, zone) {
    var options = { year: "numeric", month: "2-digit", day: "2-digit" };
    if (zone) { options.timeZone = zone; }
    return new Intl.DateTimeFormat("en-GB", options).format(moment);
  }

  /* "01:30–02:30" (with "Thu 21 Jan, " before it when the reader's day is not the event's). */
  function localHours(start, end, eventZone) {
    var sameDay = dayOf(start, "") === dayOf(start, eventZone);
    var first = formatter("", !sameDay).format(start).replace(" at ", ", ");
    var endsSameDay = dayOf(start, "") === dayOf(end, "");
    var last = formatter("", !endsSameDay).format(end).replace(" at ", ", ");
    return first + (endsSameDay ? "\u2013" : " \u2013 ") + last;
  }

  function addLocalTimes() {
    var readerZone;
    try {
      readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    document.querySelectorAll("time.portal-when[data-ends]:not([data-local])").forEach(function (time) {
      time.setAttribute("data-local", "");
      var zone = time.getAttribute("data-zone");
      var start = new Date(time.getAttribute("datetime"));
      var end = new Date(time.getAttribute("data-ends"));
      if (!zone || zone === readerZone || isNaN(start.getTime()) || isNaN(end.getTime())) { return; }
      try {
        var theirs = formatter(zone, true).format(start) + formatter(zone, true).format(end);
        var yours = formatter("", true).format(start) + formatter("", true).format(end);
        if (theirs === yours) { return; }
        var local = document.createElement("span");
        local.className = "portal-local-time";
        var hours = document.createElement("span");
        hours.className = "portal-nowrap";
        /* The dot stays with the hours, so that a line never ends with it; where the reader's time
           has a line of its own (an event page's facts), it needs no dot. */
        var ownLine = !!time.closest(".portal-facts");
        hours.textContent = (ownLine ? "" : "\u00b7 ") + localHours(start, end, zone);
        local.append(ownLine ? "" : " ", hours, " in your time zone");
        local.title = "Your time zone: " + readerZone.replace(/_/g, " ");
        time.after(local);
      } catch (error) {
        /* An unknown zone in an old browser: the event's own time stands alone. */
      }
    });
  }

  /* -- Wiring ------------------------------------------------------------------------------------ */

  function onClick(event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var copy = target.closest(".portal-copy");
    if (copy) {
      onCopyClick(copy);
      return;
    }
    if (target.closest(".portal-print")) {
      window.print();
      return;
    }
    var topic = target.closest(".portal-filter__button");
    if (topic) {
      applyFilter(topic.closest(".portal-filter"), topic.getAttribute("data-tag"));
    }
  }

  /* The brief's "Print or save as PDF" needs script, so it is hidden until now; the campaign
     page's button links to brief/#print, which opens the print dialog once the brief is shown. */
  function enhancePrint() {
    document.querySelectorAll(".portal-print[hidden]").forEach(function (button) { button.hidden = false; });
    if (window.location.hash === "#print" && document.querySelector(".portal-brief")) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      window.setTimeout(function () { window.print(); }, 0);
    }
  }

  function onChange(event) {
    var target = event.target;
    if (target instanceof Element && target.closest("form[data-portal-event-filter]")) {
      applyEventFilter(target.closest("form[data-portal-event-filter]"));
    }
  }

  function setUpPage() {
    statusRegion();
    enhanceFilter();
    enhancePrint();
    enhanceEventFilter();
    addLocalTimes();
    enhanceMailtoLinks();
    /* Material's search overlay is a dialog without a name; screen readers announce it as "dialog". */
    var search = document.querySelector(".md-search[role=dialog]:not([aria-label])");
    if (search) { search.setAttribute("aria-label", "Search"); }
  }

  if (!window.__portalBound) {
    window.__portalBound = true;
    document.addEventListener("click", onClick);
    document.addEventListener("change", onChange);
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(setUpPage);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", setUpPage);
    } else {
      setUpPage();
    }
  }
})();
