// Charts of the leaders' dashboard. CSP forbids inline scripts: the data comes from the json_script element
// "dashboard-data" rendered by dashboard/views.py; a click on a chart element opens the records behind it.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var months = [];
  for (var m = 1; m <= 12; m++) { months.push(m + "月"); }

  function chart(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var c = echarts.init(el);
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }

  var trend = chart("chart-trend");
  if (trend && data.trend.length) {
    trend.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { data: ["整改率", "销号率", "发现隐患"] },
      grid: { left: 40, right: 40, top: 40, bottom: 30 },
      xAxis: { type: "category", data: months },
      yAxis: [{ type: "value", max: 100, axisLabel: { formatter: "{value}%" } }, { type: "value", name: "项" }],
      series: [
        { name: "整改率", type: "line", connectNulls: true, data: data.trend.map(function (r) { return r.rectification_rate; }) },
        { name: "销号率", type: "line", connectNulls: true, data: data.trend.map(function (r) { return r.closure_rate; }) },
        { name: "发现隐患", type: "bar", yAxisIndex: 1, barWidth: 8, itemStyle: { opacity: 0.35 }, data: data.trend.map(function (r) { return r.found; }) }
      ]
    });
  }

  var accidents = chart("chart-accidents");
  if (accidents && data.accidents.length) {
    accidents.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [data.year + "年事故", (data.year - 1) + "年事故", data.year + "年死亡", (data.year - 1) + "年死亡"] },
      grid: { left: 40, right: 20, top: 50, bottom: 30 },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.year + "年事故", type: "bar", data: data.accidents.map(function (r) { return r.accidents; }) },
        { name: (data.year - 1) + "年事故", type: "bar", data: data.accidents.map(function (r) { return r.accidents_prev; }) },
        { name: data.year + "年死亡", type: "line", data: data.accidents.map(function (r) { return r.deaths; }) },
        { name: (data.year - 1) + "年死亡", type: "line", lineStyle: { type: "dashed" }, data: data.accidents.map(function (r) { return r.deaths_prev; }) }
      ]
    });
  }

  var colours = chart("chart-colours");
  if (colours) {
    colours.setOption({
      tooltip: { trigger: "item" },
      series: [{
        type: "pie", radius: ["40%", "70%"],
        data: data.colours.map(function (c) { return { name: c.name, value: c.value, url: c.url, itemStyle: { color: c.colour } }; })
      }]
    });
    colours.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
  }
})();
