// Four-colour chart of the risk map page (CSP forbids inline scripts: data comes from a json_script element).
(function () {
  "use strict";
  var holder = document.getElementById("risk-chart");
  var source = document.getElementById("risk-chart-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", name: "单位数", minInterval: 1 },
    series: data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "total", data: s.data, itemStyle: { color: s.color } };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
