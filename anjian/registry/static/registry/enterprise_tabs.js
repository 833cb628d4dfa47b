// 一企一档: the tabs of the enterprise page are links (?tab=…) that htmx turns into pane swaps.
// This file only keeps the tab strip honest; the CSP allows no inline handlers, so it lives here.
(function () {
  "use strict";

  var PANE_ID = "enterprise-tab-pane";

  function tabLinks() {
    return document.querySelectorAll("[data-enterprise-tab]");
  }

  function markActive(link) {
    tabLinks().forEach(function (other) {
      var active = other === link;
      other.classList.toggle("active", active);
      other.setAttribute("aria-selected", active ? "true" : "false");
    });
  }

  // On a phone the strip scrolls sideways: bring the open tab into view.
  function revealActive() {
    var active = document.querySelector("[data-enterprise-tab].active");
    var strip = active && active.closest("[role=tablist]");
    if (!strip) return;
    var left = active.offsetLeft - strip.offsetLeft;
    if (left < strip.scrollLeft || left + active.offsetWidth > strip.scrollLeft + strip.clientWidth) {
      strip.scrollLeft = Math.max(0, left - 16);
    }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var link = event.detail.elt;
    if (link && link.matches && link.matches("[data-enterprise-tab]")) markActive(link);
  });

  // A pane that failed to load must not keep showing the previous tab's records under the new tab's title.
  function showFailure(event, text) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== PANE_ID) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-danger m-2";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-testid", "htmx-error");
    alert.textContent = text;
    target.replaceChildren(alert);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : "";
    showFailure(event, status === 404 || status === 403 ?
      "您无权查看这部分档案，或记录已不在您的数据范围内（" + status + "）。" :
      "加载失败（服务器返回 " + status + "）。请刷新页面后重试。");
  });
  document.addEventListener("htmx:sendError", function (event) {
    showFailure(event, "网络连接失败，档案未加载。请检查网络后重试。");
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", revealActive);
  } else {
    revealActive();
  }
})();
