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

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // A Gantt-like timeline: data-gantt = [{label, start, end, startLabel, endLabel, status, colour, progress}]
  // (ISO dates); one bar per row, from its start to its end, in its status colour.
  function ganttOption(el) {
    var rows = JSON.parse(el.getAttribute("data-gantt") || "[]");
    return {
      title: { text: el.getAttribute("data-title") || "", textStyle: { fontSize: 13 } },
      tooltip: {
        formatter: function (p) {
          var r = rows[p.dataIndex];
          return escapeHtml(r.label) + "<br>" + escapeHtml(r.startLabel) + " → " + escapeHtml(r.endLabel) +
            "<br>" + escapeHtml(r.status) + " · " + r.progress + " %";
        }
      },
      grid: { left: 70, right: 20, top: 35, bottom: 30 },
      xAxis: { type: "time" },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.label; }) },
      series: [{
        type: "custom",
        encode: { x: [1, 2], y: 0 },
        data: rows.map(function (r, i) { return [i, r.start, r.end]; }),
        renderItem: function (params, api) {
          var start = api.coord([api.value(1), api.value(0)]);
          var end = api.coord([api.value(2), api.value(0)]);
          var height = api.size([0, 1])[1] * 0.6;
          return {
            type: "rect",
            shape: { x: start[0], y: start[1] - height / 2, width: Math.max(end[0] - start[0], 2), height: height },
            style: { fill: rows[params.dataIndex].colour }
          };
        }
      }]
    };
  }

  // A task's progress over time: data-points = [[ISO date, percent], …], data-deadline = ISO date (a line).
  function progressOption(el) {
    var points = JSON.parse(el.getAttribute("data-points") || "[]");
    var deadline = el.getAttribute("data-deadline");
    var series = { type: "line", data: points, step: false, itemStyle: { color: "#a32020" } };
    if (deadline) {
      series.markLine = {
        symbol: "none",
        lineStyle: { color: "#dc3545", type: "dashed" },
        label: { formatter: el.getAttribute("data-deadline-label") || "" },
        data: [{ xAxis: deadline }]
      };
    }
    return {
      title: { text: el.getAttribute("data-title") || "", textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 20, top: 35, bottom: 30 },
      xAxis: { type: "time" },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [series]
    };
  }

  function renderCharts(root) {
    var nodes = (root || document).querySelectorAll(".chart[data-chart]");
    if (!nodes.length) { return; }
    loadEcharts(function () {
      nodes.forEach(function (el) {
        if (el.getAttribute("data-rendered")) { return; }
        var kind = el.getAttribute("data-chart");
        var chart = window.echarts.init(el);
        if (kind === "gantt") { chart.setOption(ganttOption(el)); }
        else if (kind === "progress") { chart.setOption(progressOption(el)); }
        else {
        var labels = JSON.parse(el.getAttribute("data-labels") || "[]");
        var values = JSON.parse(el.getAttribute("data-values") || "[]");
        // data-series = [{name, data}, …]: several named series (with a legend) instead of data-values;
        // data-mark-y = a value drawn as a horizontal line (data-mark-label its label), e.g. the 100 % line.
        var named = JSON.parse(el.getAttribute("data-series") || "null");
        var colours = ["#a32020", "#1f5f9e", "#5b8c2a", "#c98a00"];
        var series = named ? named.map(function (s, i) {
          return { type: kind, name: s.name, data: s.data, itemStyle: { color: colours[i % colours.length] } };
        }) : [{ type: kind, data: values, itemStyle: { color: "#a32020" } }];
        var markY = el.getAttribute("data-mark-y");
        if (markY !== null && markY !== "") {
          series[0].markLine = {
            symbol: "none", lineStyle: { type: "dashed", color: "#333" },
            label: { formatter: el.getAttribute("data-mark-label") || "" },
            data: [{ yAxis: parseFloat(markY) }]
          };
        }
        chart.setOption({
          title: { text: el.getAttribute("data-title") || "", textStyle: { fontSize: 13 } },
          tooltip: { trigger: "axis" },
          legend: named ? { bottom: 0 } : undefined,
          grid: { left: 40, right: 10, bottom: 70, top: 35 },
          xAxis: { type: "category", data: labels, axisLabel: { rotate: 35, fontSize: 10 } },
          yAxis: { type: "value", minInterval: 1 },
          series: series
        });
        }
        // data-links = [url, …]: a click on a bar or point opens the list of what it counts.
        var links = JSON.parse(el.getAttribute("data-links") || "[]");
        if (links.length) {
          chart.on("click", function (p) { if (links[p.dataIndex]) { window.location.href = links[p.dataIndex]; } });
        }
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
