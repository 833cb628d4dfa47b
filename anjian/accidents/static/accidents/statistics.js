// Accident statistics chart: reads the series from data-chart (CSP forbids inline scripts).
(function () {
  "use strict";
  var node = document.getElementById("accident-chart");
  if (!node || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(node.getAttribute("data-chart"));
  var chart = echarts.init(node);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 20, top: 40, bottom: 40 },
    xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map(function (s) {
      return { name: s.name, type: "bar", data: s.data };
    }),
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
