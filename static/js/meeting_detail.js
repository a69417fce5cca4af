// Copy buttons and delete confirmation of the meeting page (a file: the CSP allows no inline script).
document.querySelectorAll("[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var field = document.getElementById(button.dataset.copy);
    field.select();
    (navigator.clipboard ? navigator.clipboard.writeText(field.value) : Promise.resolve(document.execCommand("copy")))
      .then(function () { button.textContent = "Copied"; });
  });
});
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (event) { if (!confirm(form.dataset.confirm)) event.preventDefault(); });
});
