// quotes serve: the little script the pages use. Everything works without it;
// it adds the chart's reading panel, delete confirmation and "tick all".
(function () {
  "use strict";

  // Timeline charts: pointing at, focusing or tapping a quote shows it below the chart.
  function showQuote(point) {
    var chart = point.closest(".chart");
    if (!chart) { return; }
    var panel = chart.querySelector(".detail");
    if (!panel) { return; }
    var d = point.dataset;
    // Only a verbatim quote goes inside quotation marks (a paraphrase never does).
    var verbatim = d.kind === "quote";
    panel.querySelector(".text").textContent = verbatim ? "\u201c" + d.text + "\u201d" : d.text;
    panel.querySelector(".meta").textContent =
      d.speaker + " \u00b7 " + d.date + " \u00b7 " + d.label + " (" +
      (d.method === "manual" ? "person's label" : "estimate") + ", score " + d.score + ")" +
      (d.source ? " \u00b7 source: " + d.source : "");
    var link = panel.querySelector("a.open");
    if (link && /^\d+$/.test(d.id || "")) {
      link.href = "/quotes/" + d.id;
      link.hidden = false;
    }
    chart.querySelectorAll(".quote.active").forEach(function (el) { el.classList.remove("active"); });
    point.classList.add("active");
  }
  document.querySelectorAll(".chart .quote").forEach(function (point) {
    ["mouseenter", "focus", "click"].forEach(function (name) {
      point.addEventListener(name, function () { showQuote(point); });
    });
  });

  // Forms that destroy something ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // Extraction: tick all / none.
  document.querySelectorAll("button[data-tick]").forEach(function (button) {
    button.addEventListener("click", function () {
      var on = button.dataset.tick === "all";
      var form = button.closest("form");
      form.querySelectorAll("input[name=pick]").forEach(function (box) { box.checked = on; });
    });
  });
})();
