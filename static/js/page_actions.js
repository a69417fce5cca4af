// Small behaviours for server-rendered pages, declared with data attributes (the pages' CSP allows
// no inline script):
//   <input data-autosubmit>            submits its form when changed
//   <button data-copy="id">            copies the value of field #id to the clipboard
//   <form|button|a data-confirm="question">  asks before it submits or acts
//   <el data-poll-url="url">           polls url (JSON {state}) and reloads once the state is final
//   <el data-reload-after="ms">        reloads the page after ms
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target.closest("[data-autosubmit]");
    if (input && input.form) input.form.submit();
  });
  document.addEventListener("click", function (event) {
    var confirmer = event.target.closest("button[data-confirm], a[data-confirm]");
    if (confirmer && !window.confirm(confirmer.dataset.confirm)) { event.preventDefault(); return; }
    var copier = event.target.closest("[data-copy]");
    if (copier) {
      var field = document.getElementById(copier.dataset.copy);
      if (field.select) field.select();
      (navigator.clipboard ? navigator.clipboard.writeText(field.value) : Promise.resolve(document.execCommand("copy")))
        .then(function () { copier.textContent = "Copied"; });
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  document.querySelectorAll("[data-poll-url]").forEach(function (element) {
    (function poll() {
      setTimeout(function () {
        fetch(element.dataset.pollUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); })
          .then(function (s) { if (s.state === "completed" || s.state === "failed") location.reload(); else poll(); })
          .catch(poll);
      }, 3000);
    })();
  });
  document.querySelectorAll("[data-reload-after]").forEach(function (element) {
    setTimeout(function () { location.reload(); }, Number(element.dataset.reloadAfter) || 3000);
  });
})();
