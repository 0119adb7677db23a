// Kavosh: optional improvements; the site works without this file.
// Headlines suggested while typing, through a native <datalist> (keyboard and screen readers for free).
(function () {
  "use strict";
  var box = document.querySelector("input[data-suggest]");
  if (!box || !window.fetch) return;
  var list = document.createElement("datalist");
  list.id = "q-suggestions";
  box.insertAdjacentElement("afterend", list);
  box.setAttribute("list", list.id);
  var timer = 0, latest = "";
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var typed = box.value;
      if (typed.trim().length < 2 || typed === latest) return;
      latest = typed;
      fetch(box.dataset.suggest + "?q=" + encodeURIComponent(typed))
        .then(function (r) { return r.ok ? r.json() : [typed, []]; })
        .then(function (data) {
          if (data[0] !== box.value) return;  // an answer to an older keystroke
          list.replaceChildren.apply(list, data[1].map(function (title) {
            var option = document.createElement("option");
            option.value = title;
            return option;
          }));
        })
        .catch(function () {});
    }, 150);
  });
  // «/» jumps to the search box, as on many search sites
  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    if (e.key === "/" && tag !== "input" && tag !== "textarea" && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      box.focus();
      box.select();
    }
  });
})();
