/* Kiểm tra tờ phiếu: keyboard first. A digit typed in a mark box moves to the
   next box; Ctrl+Enter accepts; in the queue, j/k move and Enter opens. */
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (form) {
    var allowed = form.getAttribute("data-allowed") || "";
    var marks = Array.prototype.slice.call(form.querySelectorAll("input.mark"));
    var first = form.querySelector("input.doubt-input") || form.querySelector("input[name=serial]");
    marks.forEach(function (input, i) {
      input.addEventListener("input", function () {
        var v = input.value.slice(-1);
        input.value = allowed.indexOf(v) >= 0 ? v : "";
        if (input.value && i + 1 < marks.length) { marks[i + 1].focus(); marks[i + 1].select(); }
      });
      input.addEventListener("focus", function () { input.select(); });
    });
    form.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        var accept = form.querySelector("button[name=accept]");
        if (accept) { accept.click(); }
      }
    });
    if (first && !first.disabled) { first.focus(); }
  }
  var queue = document.getElementById("review-queue");
  if (queue) {
    var links = Array.prototype.slice.call(queue.querySelectorAll("tbody a"));
    if (links.length) { links[0].focus(); }
    document.addEventListener("keydown", function (e) {
      var at = links.indexOf(document.activeElement);
      if (e.key === "j" && at + 1 < links.length) { links[at + 1].focus(); e.preventDefault(); }
      if (e.key === "k" && at > 0) { links[at - 1].focus(); e.preventDefault(); }
    });
  }
}());
