// labwatch report: sorting and filtering of the tables and the timeline.
// Runs offline; it reads the page only and fetches nothing.
(function () {
  "use strict";
  function cellValue(row, i, numeric) {
    var c = row.cells[i];
    if (!c) { return numeric ? 0 : ""; }
    var v = c.getAttribute("data-sort");
    if (v === null) { v = c.textContent; }
    return numeric ? Number(v) || 0 : v.toLowerCase();
  }
  function makeSortable(table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, i) {
      th.addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "num";
        var asc = !th.classList.contains("asc");
        Array.prototype.forEach.call(heads, function (h) { h.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, i, numeric), y = cellValue(b, i, numeric);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);

  var devices = document.getElementById("devices");
  var filter = document.getElementById("device-filter");
  var deviceCount = document.getElementById("device-count");
  function filterDevices() {
    var q = filter.value.toLowerCase(), shown = 0;
    Array.prototype.forEach.call(devices.tBodies[0].rows, function (r) {
      var hit = q === "" || r.textContent.toLowerCase().indexOf(q) >= 0;
      r.classList.toggle("hidden", !hit);
      if (hit) { shown++; }
    });
    deviceCount.textContent = String(shown);
  }
  if (devices && filter && deviceCount) { filter.addEventListener("input", filterDevices); }

  var sevs = ["info", "low", "medium", "high", "critical"];
  var typeSel = document.getElementById("alert-type");
  var sevSel = document.getElementById("alert-sev");
  var alertCount = document.getElementById("alert-count");
  function filterAlerts() {
    var t = typeSel.value, min = sevs.indexOf(sevSel.value), shown = 0;
    function keep(el) {
      return (t === "" || el.getAttribute("data-type") === t) &&
        sevs.indexOf(el.getAttribute("data-sev")) >= min;
    }
    Array.prototype.forEach.call(document.querySelectorAll("#alert-table tr.alert"), function (r) {
      var k = keep(r);
      r.classList.toggle("hidden", !k);
      if (k) { shown++; }
    });
    Array.prototype.forEach.call(document.querySelectorAll("#timeline circle.tl"), function (c) {
      c.classList.toggle("hidden", !keep(c));
    });
    alertCount.textContent = String(shown);
  }
  // A link may carry filters: report.html#type=scan&sev=high&q=10.40.2
  var hash = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var i = kv.indexOf("=");
    if (i > 0) { hash[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); }
  });
  if (typeSel && hash.type) { typeSel.value = hash.type; }
  if (sevSel && sevs.indexOf(hash.sev) >= 0) { sevSel.value = hash.sev; }
  if (filter && hash.q) { filter.value = hash.q; }
  if (typeSel && sevSel && alertCount) {
    typeSel.addEventListener("change", filterAlerts);
    sevSel.addEventListener("change", filterAlerts);
    filterAlerts();
  }
  if (devices && filter && deviceCount) { filterDevices(); }

  var status = document.getElementById("js-status");
  status.textContent = "ready: " + (devices ? devices.tBodies[0].rows.length : 0) + " devices, " +
    document.querySelectorAll("#map .node").length + " map nodes, " +
    document.querySelectorAll("#map .edge").length + " map edges, " +
    document.querySelectorAll("#timeline circle.tl").length + " timeline alerts";
  document.body.setAttribute("data-ready", "1");
}());
