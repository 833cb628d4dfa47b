/* Signature pads: <canvas data-signature-for="ID_OF_HIDDEN_INPUT">. Drawing with finger, pen or mouse; the PNG
   (canvas.toDataURL) is written to the hidden input when the form is submitted. A static file because the CSP
   forbids inline scripts. */
(function () {
  "use strict";
  function setup(canvas) {
    var input = document.getElementById(canvas.dataset.signatureFor);
    if (!input) return;
    var ctx = canvas.getContext("2d");
    var drawing = false, dirty = false, last = null;

    function resize() {
      var ratio = window.devicePixelRatio || 1;
      var width = canvas.clientWidth || 300, height = canvas.clientHeight || 150;
      canvas.width = width * ratio;
      canvas.height = height * ratio;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, width, height);
      dirty = false;
      input.value = "";
    }
    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    }
    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      last = point(event);
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      event.preventDefault();
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      last = p;
      dirty = true;
    });
    function stop() {
      if (drawing && dirty) input.value = canvas.toDataURL("image/png");
      drawing = false;
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);
    var clear = document.querySelector('[data-signature-clear="' + canvas.dataset.signatureFor + '"]');
    if (clear) clear.addEventListener("click", function (event) { event.preventDefault(); resize(); });
    var form = canvas.closest("form");
    if (form) form.addEventListener("submit", function () { if (dirty) input.value = canvas.toDataURL("image/png"); });
    resize();
  }
  document.querySelectorAll("canvas[data-signature-for]").forEach(setup);
})();
