/* "获取当前位置": fills the inputs marked data-geo="lat" / data-geo="lng" from the browser's geolocation.
   Optional: the record is valid without a position. Static file (the CSP forbids inline scripts). */
(function () {
  "use strict";
  var button = document.querySelector("[data-geolocate]");
  if (!button) return;
  var status = document.querySelector("[data-geolocate-status]");
  function say(text) { if (status) status.textContent = text; }
  if (!("geolocation" in navigator)) { button.disabled = true; say("此浏览器不支持定位。"); return; }
  button.addEventListener("click", function (event) {
    event.preventDefault();
    say("正在定位…");
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = document.querySelector('[data-geo="lat"]'), lng = document.querySelector('[data-geo="lng"]');
      if (lat) lat.value = position.coords.latitude.toFixed(6);
      if (lng) lng.value = position.coords.longitude.toFixed(6);
      say("已定位（精度约 " + Math.round(position.coords.accuracy) + " 米）。");
    }, function (error) {
      say("定位失败：" + (error.code === 1 ? "未授权定位" : "无法获取位置") + "，可手工填写或留空。");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
