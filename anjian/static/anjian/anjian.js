// Site-wide behaviour that must not depend on inline scripts (the CSP allows only files from this site).
(function () {
  "use strict";

  // htmx would add its indicator rules as an inline <style>, which the CSP refuses; anjian.css has them.
  if (window.htmx) window.htmx.config.includeIndicatorStyles = false;

  // A partial request that fails must never leave the old rows on screen looking like the answer:
  // replace the target's content with a visible error, so nobody reads or exports stale results.
  function showFailure(event, text) {
    var target = event.detail && event.detail.target;
    if (!target || !target.id) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-testid", "htmx-error");
    alert.textContent = text;
    target.replaceChildren(alert);
    var exportLink = document.getElementById("export-link");
    if (exportLink && target.id === "results") exportLink.classList.add("disabled");
  }

  // Wide tables scroll sideways on a phone: keyboard users must be able to focus and scroll them too.
  function focusableScrollers(root) {
    (root || document).querySelectorAll(".table-responsive:not([tabindex])").forEach(function (el) {
      el.setAttribute("tabindex", "0");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { focusableScrollers(document); });
  document.addEventListener("htmx:afterSettle", function (event) { focusableScrollers(event.detail.elt); });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : "";
    var text = status === 403 ? "您无权查看这些数据（403）。" :
      "查询失败（服务器返回 " + status + "），下方结果已清空。请刷新页面后重试；问题持续请联系系统管理员。";
    // 4xx form answers are swapped by their own views (htmx:beforeSwap); only results areas are cleared here.
    if (event.detail.target && event.detail.target.id === "results") showFailure(event, text);
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (event.detail.target && event.detail.target.id === "results") {
      showFailure(event, "网络连接失败，查询未完成，下方结果已清空。请检查网络后重试。");
    }
  });
})();
