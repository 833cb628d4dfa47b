// Print buttons of the committee pages (no inline scripts: the pages run under a strict CSP).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
