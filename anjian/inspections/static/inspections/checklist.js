/* Checklist rows: show the follow-up fields of an item only when its result is "不符合". */
(function () {
  "use strict";
  function refresh(row) {
    var checked = row.querySelector('input[type="radio"]:checked');
    var failed = checked && checked.value === "fail";
    row.querySelectorAll("[data-when-failed]").forEach(function (el) { el.hidden = !failed; });
    row.classList.toggle("border-danger", !!failed);
  }
  document.querySelectorAll("[data-checklist-row]").forEach(function (row) {
    row.addEventListener("change", function () { refresh(row); });
    refresh(row);
  });
})();
