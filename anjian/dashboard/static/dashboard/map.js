// Risk map: the boundaries of the children of the user's territory (a province's cities, a city's counties, a
// county's towns; imported with manage.py import_boundaries and served from /dashboard/map/boundaries.geojson,
// no internet tiles) registered with ECharts. Zoomed out, units are gathered into one circle per child area
// (units without one: per grid cell; for a city or province the server counts the circles) so
// the map reads at a glance; zoomed in (or after a click on a circle), each unit is a point coloured by risk
// level and units with open hazards are diamonds. Town names carry a white halo; the towns with the highest
// overdue rate (dashboard/metrics.py worst_towns) are outlined in red with their rank. Data from
// /dashboard/map/data.json (scoped to the user). A click on a unit opens its record.
(function () {
  "use strict";
  var el = document.getElementById("risk-map");
  if (!el || typeof echarts === "undefined") { return; }
  var DETAIL_ZOOM = 2;     // at this zoom and closer: one point per unit
  var GRID = 0.02;         // degrees: cell size for units without a town
  var RED = "#dc3545";
  var esc = echarts.format.encodeHTML;  // tooltips are HTML: unit and town names are data, never markup
  var narrow = el.clientWidth < 600;  // a phone: smaller circles and labels so the eight towns do not collide
  var chart = echarts.init(el);
  window.addEventListener("resize", function () { chart.resize(); });
  var mapName = "anjian-" + el.dataset.mapName;
  var modeText = document.querySelector("[data-testid=map-mode]");
  var childLabel = el.dataset.childLabel || "镇街";

  function worstList(towns) {
    var list = document.querySelector("[data-testid=map-worst-towns]");
    if (!list) { return; }
    var worst = towns.filter(function (t) { return t.worst_rank; })
      .sort(function (a, b) { return a.worst_rank - b.worst_rank; });
    if (!worst.length) { return; }
    list.textContent = "";
    worst.forEach(function (t) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = t.url;
      a.className = "link-danger fw-semibold";
      a.textContent = t.name;
      li.append(a, " 逾期率 " + t.overdue_rate + "（逾期 " + t.overdue + " / 未销号 " + t.open + "）");
      list.appendChild(li);
    });
  }

  Promise.all([
    fetch(el.dataset.geojson, { credentials: "same-origin" }).then(function (r) { return r.json(); }),
    fetch(el.dataset.points, { credentials: "same-origin" }).then(function (r) { return r.json(); })
  ]).then(function (results) {
    var geo = results[0], data = results[1];
    echarts.registerMap(mapName, geo);
    var centres = {}, names = {}, towns = {};
    geo.features.forEach(function (f) { centres[f.properties.code] = f.properties.cp; names[f.properties.code] = f.properties.name; });
    (data.towns || []).forEach(function (t) { towns[t.name] = t; });
    worstList(data.towns || []);

    function position(u) {
      if (u.lon != null && u.lat != null) { return [u.lon, u.lat]; }
      var c = centres[u.town];
      return c ? [c[0] + u.jitter[0], c[1] + u.jitter[1]] : null;
    }

    var units = [], hazards = [], groups = {};
    data.units.forEach(function (u) {
      var p = position(u);
      if (!p) { return; }
      units.push({ name: u.name, value: p.concat([u.open]), url: u.url, risk: u.risk,
        itemStyle: { color: u.colour, borderColor: "#333", borderWidth: 0.5 } });
      if (u.open) {
        hazards.push({ name: u.name, value: p.concat([u.open, u.major, u.overdue]), url: u.url,
          itemStyle: { color: u.major ? "#E60012" : "#212529", borderColor: "#fff", borderWidth: 1 } });
      }
      var key = centres[u.town] ? u.town : "grid:" + Math.floor(p[0] / GRID) + ":" + Math.floor(p[1] / GRID);
      var g = groups[key] || (groups[key] = { key: key, count: 0, open: 0, overdue: 0, lon: 0, lat: 0, risks: {} });
      g.count += 1; g.open += u.open; g.overdue += u.overdue; g.lon += p[0]; g.lat += p[1];
      g.risks[u.risk] = (g.risks[u.risk] || 0) + 1;
    });

    if (data.clusters) {
      // Counted by the server over every unit (a city or province has more units than the points sent).
      groups = {};
      data.clusters.forEach(function (c) {
        if (!centres[c.code]) { return; }
        groups[c.code] = { key: c.code, count: c.count, open: c.open, overdue: c.overdue, lon: 0, lat: 0, risks: c.risks };
      });
    }

    var clusters = Object.keys(groups).map(function (key) {
      var g = groups[key];
      var name = names[key] || "附近单位";
      var at = centres[key] || [g.lon / g.count, g.lat / g.count];
      var town = towns[name] || {};
      var size = narrow ? Math.min(36, 16 + Math.sqrt(g.count) * 2) : Math.min(64, 24 + Math.sqrt(g.count) * 5);
      return {
        name: name, value: at.concat([g.count, g.open, g.overdue]), risks: g.risks, town: town,
        symbolSize: size,
        // Below the town's name (drawn at the same centre), clear of its two label lines.
        symbolOffset: [0, size / 2 + (narrow ? 16 : 22)],
        itemStyle: { color: "rgba(11, 61, 145, .82)", borderColor: town.worst_rank ? RED : "#fff", borderWidth: town.worst_rank ? 3 : 1.5 }
      };
    });

    var highlight = el.dataset.highlight;
    var regions = [];
    (data.towns || []).forEach(function (t) {
      if (t.worst_rank) {
        regions.push({ name: t.name, itemStyle: { areaColor: "#fde8e8", borderColor: RED, borderWidth: 2 } });
      }
    });
    if (highlight && !(towns[highlight] && towns[highlight].worst_rank)) {
      regions.push({ name: highlight, itemStyle: { areaColor: "#d7e9ff" } });
    }

    function townLabel(p) {
      var t = towns[p.name];
      if (!t || !t.worst_rank) { return p.name; }
      return p.name + "\n{bad|" + (narrow ? "逾期第" + t.worst_rank : "逾期率第" + t.worst_rank + " · " + t.overdue_rate) + "}";
    }
    // Town names as their own series above the points (geo labels would sit under them): a white plate with a
    // halo, and for the worst towns a red rank badge.
    var labelStyle = {
      show: true, formatter: townLabel, align: "center", fontSize: narrow ? 11 : 13, fontWeight: "bold", color: "#1f2d3d",
      backgroundColor: "rgba(255, 255, 255, .9)", borderRadius: 4, padding: narrow ? [1, 3] : [3, 6],
      textBorderColor: "#fff", textBorderWidth: 2, lineHeight: 18,
      rich: { bad: { color: "#fff", backgroundColor: RED, borderRadius: 3, padding: [2, 5], fontSize: 11,
        fontWeight: "bold", textBorderColor: "transparent", textBorderWidth: 0, lineHeight: 20 } }
    };
    var townNames = geo.features.filter(function (f) { return f.properties.cp; }).map(function (f) {
      return { name: f.properties.name, value: f.properties.cp };
    });

    function riskText(risks) {
      return Object.keys(risks).map(function (k) { return k + " " + risks[k]; }).join("，");
    }

    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.seriesName === "单位") { return esc(p.name) + "<br>" + esc(p.data.risk) + "<br>未销号隐患 " + p.value[2] + " 项"; }
          if (p.seriesName === "隐患") { return esc(p.name) + "<br>未销号隐患 " + p.value[2] + " 项（重大 " + p.value[3] + "，逾期 " + p.value[4] + "）"; }
          if (p.seriesName === "镇街汇总") {
            var t = p.data.town;
            return "<b>" + esc(p.name) + "</b>" + (t.worst_rank ? " <span class=\"text-danger\">逾期率第" + t.worst_rank + "</span>" : "") +
              "<br>在营单位 " + p.value[2] + " 家（" + esc(riskText(p.data.risks)) + "）" +
              "<br>未销号隐患 " + p.value[3] + " 项，逾期 " + p.value[4] + " 项" +
              (t.overdue_rate ? "（逾期率 " + t.overdue_rate + "）" : "") + "<br><span class=\"text-secondary\">点击放大查看单位</span>";
          }
          var town = towns[p.name];
          return town ? esc(p.name) + "<br>未销号隐患 " + town.open + " 项，逾期 " + town.overdue + " 项" : esc(p.name);
        }
      },
      geo: {
        map: mapName, roam: true, layoutSize: "96%", scaleLimit: { min: 0.8, max: 16 },
        label: { show: false },
        itemStyle: { areaColor: "#eef2f7", borderColor: "#8899aa" },
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#dde6f0" } },
        regions: regions
      },
      series: [
        { name: "镇街汇总", type: "scatter", coordinateSystem: "geo", data: [], zlevel: 1,
          label: { show: true, position: "inside", color: "#fff", fontWeight: "bold", fontSize: narrow ? 11 : 13,
            formatter: function (p) { return p.value[2]; } },
          emphasis: { scale: 1.1 } },
        { name: "单位", type: "scatter", coordinateSystem: "geo", symbolSize: 8, data: [], zlevel: 1 },
        { name: "隐患", type: "scatter", coordinateSystem: "geo", symbol: "diamond",
          symbolSize: function (v) { return Math.min(22, 7 + v[2] * 2); }, data: [], zlevel: 2 },
        { name: "镇街名称", type: "scatter", coordinateSystem: "geo", symbolSize: 0, silent: true, zlevel: 3,
          label: labelStyle, labelLayout: { hideOverlap: false }, data: townNames }
      ]
    });

    var total = clusters.reduce(function (n, c) { return n + c.value[2]; }, 0) || units.length;
    var mode = null;
    function applyMode() {
      var zoom = chart.getOption().geo[0].zoom || 1;
      var next = zoom >= DETAIL_ZOOM ? "detail" : "clusters";
      if (next === mode) { return; }
      mode = next;
      chart.setOption({ series: [
        { name: "镇街汇总", data: mode === "clusters" ? clusters : [] },
        { name: "单位", data: mode === "detail" ? units : [] },
        { name: "隐患", data: mode === "detail" ? hazards : [] }
      ] });
      el.dataset.mode = mode;
      if (modeText) {
        modeText.textContent = mode === "clusters"
          ? "当前按" + childLabel + "汇总显示 " + total + " 家单位；放大或点击圆圈查看每家单位。"
          : "当前显示每家单位" + (data.truncated ? "（仅显示前 " + units.length + " 家）" : "") + "；缩小回到按" + childLabel + "汇总。";
      }
    }
    applyMode();
    chart.on("georoam", applyMode);
    chart.on("click", function (p) {
      if (p.seriesName === "镇街汇总") {
        chart.setOption({ geo: { center: p.value.slice(0, 2), zoom: DETAIL_ZOOM * 1.5 } });
        applyMode();
        return;
      }
      if (p.data && p.data.url) { window.location.href = p.data.url; }
    });
    el.dataset.ready = "1";
  });
})();
