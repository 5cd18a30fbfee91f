// Grading screens: keys 1–4 on a row pick that grade and move to the next row; the decision
// screen recounts the grades and the excellent cap as they change. Without it the form still works.
(function () {
  "use strict";
  var table = document.querySelector("[data-grading]");
  if (!table) return;
  var selects = Array.prototype.slice.call(table.querySelectorAll("select[data-grade]"));
  table.addEventListener("keydown", function (event) {
    var row = event.target.closest("tr"), key = event.key;
    if (!row || !/^[1-4]$/.test(key) || event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.target.matches("input[type=text], input:not([type]), textarea")) return;
    var select = row.querySelector("select[data-grade]");
    var option = select && Array.prototype.find.call(select.options, function (o) {
      return o.text.indexOf(key + " ") === 0;
    });
    if (!option) return;
    event.preventDefault();
    select.value = option.value;
    var reason = row.querySelector("select[data-reason]");
    if (reason) reason.value = "";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    var next = selects[selects.indexOf(select) + 1];
    (next || table.closest("form").querySelector("[type=submit]")).focus();
  });
  var counts = document.querySelector("[data-counts]");
  if (!counts) return;
  // Counts as the page prints them (floatformat:"0g"): 1.234, never 1234.
  function vietnamese(n) { return n.toLocaleString("vi-VN"); }
  table.addEventListener("change", function () {
    var tally = {};
    selects.forEach(function (s) { tally[s.value] = (tally[s.value] || 0) + 1; });
    counts.querySelectorAll("[data-count]").forEach(function (el) {
      el.textContent = vietnamese(tally[el.getAttribute("data-count")] || 0);
    });
    var exact = (tally.tot || 0) * Number(counts.getAttribute("data-percent")) / 100;
    var cap = counts.getAttribute("data-round-up") === "1" ? Math.ceil(exact) : Math.floor(exact);
    counts.querySelector("[data-cap]").textContent = vietnamese(cap);
    counts.classList.toggle("grading-over", (tally.xuat_sac || 0) > cap);
  });
})();
