// Photo viewer: a link with data-viewer="<gallery>" (core/partials/photos.html) opens its photo in a modal
// <dialog>; previous/next page through the links of the same gallery (buttons, arrow keys, swipe); Esc, the close
// button or a click outside closes it and focus returns to the thumbnail. Without JavaScript the link simply opens
// the picture. Safe to load more than once on a page.
(function () {
  "use strict";
  if (window.anjianViewer) { return; }

  var dialog, picture, caption, counter, original, previous, next;
  var links = [];
  var index = 0;
  var opener = null;

  function element(tag, className, attributes) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    Object.keys(attributes || {}).forEach(function (name) { el.setAttribute(name, attributes[name]); });
    return el;
  }

  function iconButton(className, label, icon) {
    var button = element("button", className, { type: "button", "aria-label": label, title: label });
    button.appendChild(element("i", "bi " + icon, { "aria-hidden": "true" }));
    return button;
  }

  function build() {
    dialog = element("dialog", "photo-viewer", { "aria-label": "照片查看", "data-testid": "photo-viewer" });
    var bar = element("div", "photo-viewer-bar");
    caption = element("div", "photo-viewer-caption", { "data-testid": "photo-viewer-caption" });
    counter = element("span", "photo-viewer-counter", { "aria-live": "polite" });
    original = element("a", "photo-viewer-original", { target: "_blank", rel: "noopener" });
    original.textContent = "查看原图";
    var close = iconButton("photo-viewer-close", "关闭（Esc）", "bi-x-lg");
    close.addEventListener("click", function () { dialog.close(); });
    bar.append(caption, counter, original, close);

    var stage = element("div", "photo-viewer-stage");
    picture = element("img", "photo-viewer-image", { alt: "", "data-testid": "photo-viewer-image" });
    previous = iconButton("photo-viewer-nav photo-viewer-prev", "上一张（←）", "bi-chevron-left");
    next = iconButton("photo-viewer-nav photo-viewer-next", "下一张（→）", "bi-chevron-right");
    previous.addEventListener("click", function () { show(index - 1); });
    next.addEventListener("click", function () { show(index + 1); });
    stage.append(previous, picture, next);

    dialog.append(bar, stage);
    document.body.appendChild(dialog);

    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { show(index - 1); event.preventDefault(); }
      if (event.key === "ArrowRight") { show(index + 1); event.preventDefault(); }
    });
    // A click on the dark backdrop (the dialog element itself, outside its content) closes the viewer.
    dialog.addEventListener("click", function (event) { if (event.target === dialog) { dialog.close(); } });
    dialog.addEventListener("close", function () {
      picture.removeAttribute("src");
      if (opener) { opener.focus(); }
    });
    var startX = null;
    stage.addEventListener("pointerdown", function (event) { startX = event.clientX; });
    stage.addEventListener("pointerup", function (event) {
      if (startX === null) { return; }
      var dx = event.clientX - startX;
      startX = null;
      if (Math.abs(dx) > 50) { show(index + (dx < 0 ? 1 : -1)); }
    });
  }

  function show(i) {
    if (!links.length) { return; }
    index = (i + links.length) % links.length;
    var link = links[index];
    picture.src = link.getAttribute("href");
    picture.alt = link.dataset.caption || "";
    caption.textContent = link.dataset.caption || "";
    counter.textContent = links.length > 1 ? (index + 1) + " / " + links.length : "";
    original.href = link.dataset.original || link.getAttribute("href");
    previous.hidden = next.hidden = links.length < 2;
  }

  function open(link) {
    if (!dialog) { build(); }
    var gallery = link.dataset.viewer;
    links = Array.prototype.filter.call(document.querySelectorAll("a[data-viewer]"), function (a) {
      return a.dataset.viewer === gallery && !a.classList.contains("is-broken");
    });
    opener = link;
    show(Math.max(0, links.indexOf(link)));
    dialog.showModal();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-viewer]");
    if (!link || link.classList.contains("is-broken") || event.button !== 0 ||
        event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    open(link);
  });

  // A thumbnail the server could not make (not a readable picture): show a placeholder, open the file instead.
  function markBroken(img) {
    var link = img.closest("a[data-viewer]");
    if (!link) { return; }
    link.classList.add("is-broken");
    link.href = link.dataset.original || link.href;
    link.target = "_blank";
  }
  document.addEventListener("error", function (event) {
    if (event.target.tagName === "IMG") { markBroken(event.target); }
  }, true);
  document.querySelectorAll("a[data-viewer] img").forEach(function (img) {
    if (img.complete && img.naturalWidth === 0) { markBroken(img); }
  });

  window.anjianViewer = { open: open };
})();
