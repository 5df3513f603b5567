// factdiff HTML report: optional behaviour. Without scripts the page is complete; this
// adds filtering by rule and severity, sortable event tables, and opens the event view
// a link points to.
(function () {
  "use strict";
  var all = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var form = document.getElementById("filters");
  var status = document.getElementById("filter-status");

  function checkedValues(name) {
    var set = {};
    all("input[name='" + name + "']:checked", form).forEach(function (i) { set[i.value] = true; });
    return set;
  }

  // Whether an element's findings (data-kinds: "rule:severity ...") pass the filters;
  // null when it has none.
  function passes(el, rules, sevs) {
    var kinds = el.getAttribute("data-kinds");
    if (!kinds) { return null; }
    return kinds.split(" ").some(function (k) {
      var p = k.split(":");
      return rules[p[0]] === true && sevs[p[1]] === true;
    });
  }

  function apply() {
    var rules = checkedValues("rule");
    var sevs = checkedValues("severity");
    var opt = checkedValues("option");
    var shown = 0;
    var total = 0;
    all("tr.finding").forEach(function (tr) {
      var on = passes(tr, rules, sevs);
      tr.hidden = !on;
      total += 1;
      if (on) { shown += 1; }
    });
    all("mark.ev").forEach(function (m) { m.classList.toggle("off", !passes(m, rules, sevs)); });
    // A label goes with its finding's row.
    all("a.tag").forEach(function (a) {
      var row = document.getElementById(a.getAttribute("href").slice(1));
      a.classList.toggle("off", !!row && row.hidden);
    });
    var events = all("tr.event-row");
    var eventsShown = 0;
    events.forEach(function (tr) {
      var on = passes(tr, rules, sevs);
      tr.hidden = on === null ? opt.empty !== true : !on;
      if (!tr.hidden) { eventsShown += 1; }
    });
    all("table.sbs tbody tr").forEach(function (tr) {
      tr.hidden = opt.marked === true && !tr.hasAttribute("data-marked");
    });
    if (status) {
      status.textContent = events.length > 0
        ? "Showing " + eventsShown + " of " + events.length + " events."
        : "Showing " + shown + " of " + total + " findings.";
    }
  }

  if (form) {
    form.hidden = false;
    form.addEventListener("change", apply);
    apply();
  }

  // Sortable tables: the headers marked data-sort become buttons.
  all("table.sortable").forEach(function (table) {
    var body = table.tBodies[0];
    all("tr", body).forEach(function (tr, i) { tr.setAttribute("data-order", String(i)); });
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, col) {
      var kind = th.getAttribute("data-sort");
      if (!kind) { return; }
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        // Numbers sort largest first on the first click, text A to Z.
        var current = th.getAttribute("aria-sort");
        var descending = current === "none" ? kind === "num" : current === "ascending";
        var key = function (tr) {
          var cell = tr.cells[col];
          var v = cell.getAttribute("data-v");
          if (v === null) { v = cell.textContent.trim(); }
          return kind === "num" ? parseFloat(v) || 0 : v.toLowerCase();
        };
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a);
          var y = key(b);
          var c = x < y ? -1 : x > y ? 1 : 0;
          if (descending) { c = -c; }
          return c || Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
        });
        rows.forEach(function (tr) { body.appendChild(tr); });
        heads.forEach(function (h) { if (h.hasAttribute("aria-sort")) { h.setAttribute("aria-sort", "none"); } });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      });
    });
  });

  // Open the <details> holding what the address points to (an event view, a finding).
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    for (var d = target; d; d = d.parentElement) {
      if (d.tagName === "DETAILS") { d.open = true; }
    }
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Printing shows every event view.
  window.addEventListener("beforeprint", function () {
    all("details").forEach(function (d) { d.open = true; });
  });
}());
