/* CNAN portal behaviour: charts from data attributes, tree toggles. No inline scripts in pages. */
(function () {
  "use strict";

  // A form that fails validation answers 422 and a list with bad filters 400, each with the page
  // fragment that explains why: htmx swaps those in; other errors are not swapped.
  if (window.htmx) {
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "422", swap: true, error: false },
      { code: "400", swap: true, error: false },
      { code: "[45]..", swap: false, error: true }
    ];
  }

  function loadEcharts(callback) {
    if (window.echarts) { callback(); return; }
    var src = document.body.getAttribute("data-echarts-src");
    if (!src) { return; }
    var existing = document.querySelector("script[data-echarts]");
    if (existing) { existing.addEventListener("load", callback); return; }
    var script = document.createElement("script");
    script.src = src;
    script.setAttribute("data-echarts", "1");
    script.addEventListener("load", callback);
    document.head.appendChild(script);
  }

  function renderCharts(root) {
    var nodes = (root || document).querySelectorAll(".chart[data-chart]");
    if (!nodes.length) { return; }
    loadEcharts(function () {
      nodes.forEach(function (el) {
        if (el.getAttribute("data-rendered")) { return; }
        var labels = JSON.parse(el.getAttribute("data-labels") || "[]");
        var values = JSON.parse(el.getAttribute("data-values") || "[]");
        var chart = window.echarts.init(el);
        chart.setOption({
          title: { text: el.getAttribute("data-title") || "", textStyle: { fontSize: 13 } },
          tooltip: { trigger: "axis" },
          grid: { left: 40, right: 10, bottom: 70, top: 35 },
          xAxis: { type: "category", data: labels, axisLabel: { rotate: 35, fontSize: 10 } },
          yAxis: { type: "value", minInterval: 1 },
          series: [{ type: el.getAttribute("data-chart"), data: values, itemStyle: { color: "#a32020" } }]
        });
        el.setAttribute("data-rendered", "1");
        window.addEventListener("resize", function () { chart.resize(); });
      });
    });
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".tree-toggle");
    if (!toggle) { return; }
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
    var children = toggle.parentElement.querySelector(".tree-children");
    if (children && toggle.getAttribute("data-loaded")) { children.hidden = open; }
    toggle.setAttribute("data-loaded", "1");
  });

  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { renderCharts(event.target); });
})();
