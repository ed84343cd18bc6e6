/* The reading edition's one script (loaded with `defer`; see sphinxext.py).
   Everything here improves what already works without it:

   - Source markers: the phrase of a marker shows on hover and on keyboard
     focus by CSS alone, and a click follows the marker to the section's list
     of sources. On a touch screen the first tap shows the phrase instead (a
     second tap follows the link); Escape or a tap elsewhere hides it.
   - Following a link to a source in a closed "Sources for this section"
     list opens the list.
   - A tooltip near the right edge of a wide screen is moved back inside it.
   - On a phone, a link in the page-contents dialog closes the dialog, so the
     section it leads to is not left hidden behind it.
   - A table, output or code block wider than its box gets a line of text
     saying it scrolls sideways.
*/
(function () {
  "use strict";

  var lastPointer = "mouse";
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
  }, true);
  document.addEventListener("keydown", function () { lastPointer = "keyboard"; }, true);

  function refOf(el) {
    return el && el.closest ? el.closest(".source-ref") : null;
  }

  function closeAll(except) {
    document.querySelectorAll(".source-ref.open").forEach(function (ref) {
      if (ref !== except) { ref.classList.remove("open"); }
    });
  }

  function keepInside(ref) {
    var tip = ref.querySelector(".source-tip");
    if (!tip || window.getComputedStyle(tip).position !== "absolute") { return; }
    tip.style.left = "";
    var box = tip.getBoundingClientRect();
    var over = box.right - (document.documentElement.clientWidth - 8);
    if (over > 0) { tip.style.left = -over + "px"; }
  }

  function openList(hash) {
    if (!hash || hash.length < 2) { return; }
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    var details = target && target.closest("details");
    if (details && !details.open) { details.open = true; }
  }

  document.addEventListener("click", function (event) {
    var marker = event.target.closest ? event.target.closest("a.source-marker") : null;
    var ref = refOf(marker);
    if (marker && ref) {
      var touch = lastPointer === "touch" || lastPointer === "pen";
      if (touch && !ref.classList.contains("open")) {
        event.preventDefault();
        closeAll(ref);
        ref.classList.remove("dismissed");
        ref.classList.add("open");
        keepInside(ref);
        return;
      }
      closeAll();
      openList(marker.getAttribute("href"));
      return;
    }
    if (!refOf(event.target)) { closeAll(); }
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (link) {
      openList(link.getAttribute("href"));
      // A link to this page in the theme's sidebar dialog (phones, tablets)
      // scrolls the page behind the dialog; close the dialog so it shows.
      var dialog = link.closest("dialog[open]");
      if (dialog) { dialog.close(); }
    }
  });

  ["mouseover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var ref = refOf(event.target);
      if (ref) { keepInside(ref); }
    });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var ref = refOf(event.target);
      if (ref && !ref.contains(event.relatedTarget)) { ref.classList.remove("dismissed"); }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll(".source-ref.open").forEach(function (ref) {
      ref.classList.remove("open");
    });
    var ref = refOf(document.activeElement);
    if (ref) { ref.classList.add("dismissed"); }
    document.querySelectorAll(".source-ref:hover").forEach(function (r) {
      r.classList.add("dismissed");
    });
  });

  window.addEventListener("hashchange", function () { openList(window.location.hash); });
  // A printed page shows every section's sources.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.source-list").forEach(function (d) { d.open = true; });
  });
  openList(window.location.hash);

  // Outputs, tables and code wider than their box scroll inside it; say so
  // in words above them (CSS: .scrolls-sideways), as well as by the shadow.
  var BOXES = "div.cell_output, div.cell_output div.output, " +
    ".pst-scrollable-table-container, div.highlight pre";
  function markScrollables() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(BOXES));
    var wide = boxes.filter(function (box) { return box.scrollWidth > box.clientWidth + 1; });
    boxes.forEach(function (box) {
      // the innermost box that scrolls carries the note
      var inner = wide.some(function (other) { return other !== box && box.contains(other); });
      box.classList.toggle("scrolls-sideways", wide.indexOf(box) >= 0 && !inner);
    });
  }
  var pending = null;
  function later() {
    if (pending) { return; }
    pending = window.setTimeout(function () { pending = null; markScrollables(); }, 150);
  }
  window.addEventListener("resize", later);
  window.addEventListener("load", function () {
    markScrollables();
    // charts are drawn after load; look again when they appear
    new MutationObserver(later).observe(document.querySelector("article") || document.body,
                                        { childList: true, subtree: true });
  });
})();
