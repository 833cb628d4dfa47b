// Risk map: the county's GeoJSON boundaries (shipped as a static file, no internet tiles) registered with
// ECharts, units as points coloured by risk level, units with open hazards as diamonds. Data from
// /dashboard/map/data.json (scoped to the user). A click on a unit opens its record.
(function () {
  "use strict";
  var el = document.getElementById("risk-map");
  if (!el || typeof echarts === "undefined") { return; }
  var chart = echarts.init(el);
  window.addEventListener("resize", function () { chart.resize(); });
  var mapName = "anjian-" + el.dataset.mapName;

  Promise.all([
    fetch(el.dataset.geojson, { credentials: "same-origin" }).then(function (r) { return r.json(); }),
    fetch(el.dataset.points, { credentials: "same-origin" }).then(function (r) { return r.json(); })
  ]).then(function (results) {
    var geo = results[0], data = results[1];
    echarts.registerMap(mapName, geo);
    var centres = {};
    geo.features.forEach(function (f) { centres[f.properties.code] = f.properties.cp; });
    function position(u) {
      if (u.lon != null && u.lat != null) { return [u.lon, u.lat]; }
      var c = centres[u.town];
      return c ? [c[0] + u.jitter[0], c[1] + u.jitter[1]] : null;
    }
    var units = [], hazards = [];
    data.units.forEach(function (u) {
      var p = position(u);
      if (!p) { return; }
      units.push({ name: u.name, value: p.concat([u.open]), url: u.url, risk: u.risk, itemStyle: { color: u.colour, borderColor: "#333", borderWidth: 0.5 } });
      if (u.open) {
        hazards.push({ name: u.name, value: p.concat([u.open, u.major, u.overdue]), url: u.url,
          itemStyle: { color: u.major ? "#E60012" : "#212529", borderColor: "#fff", borderWidth: 1 } });
      }
    });
    var highlight = el.dataset.highlight;
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.seriesName === "单位") { return p.name + "<br>" + p.data.risk + "<br>未销号隐患 " + p.value[2] + " 项"; }
          if (p.seriesName === "隐患") { return p.name + "<br>未销号隐患 " + p.value[2] + " 项（重大 " + p.value[3] + "，逾期 " + p.value[4] + "）"; }
          return p.name;
        }
      },
      geo: {
        map: mapName, roam: true, label: { show: true, fontSize: 11 },
        itemStyle: { areaColor: "#eef2f7", borderColor: "#8899aa" },
        emphasis: { itemStyle: { areaColor: "#dde6f0" } },
        regions: highlight ? [{ name: highlight, itemStyle: { areaColor: "#d7e9ff" } }] : []
      },
      series: [
        { name: "单位", type: "scatter", coordinateSystem: "geo", symbolSize: 7, data: units, zlevel: 1 },
        { name: "隐患", type: "scatter", coordinateSystem: "geo", symbol: "diamond",
          symbolSize: function (v) { return Math.min(22, 6 + v[2] * 2); }, data: hazards, zlevel: 2 }
      ]
    });
    chart.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
    el.dataset.ready = "1";
  });
})();
