// Small behaviours for server-rendered pages, declared with data attributes (the pages' CSP allows
// no inline script). Strings go through Django's JavaScript catalog (window.gettext, /jsi18n/).
//   <input data-autosubmit>            submits its form when changed
//   <button data-copy="id">            copies the value (or text) of element #id to the clipboard
//   <button data-copy-text="text">     copies that text
//   <form|button|a data-confirm="question">  asks before it submits or acts
//   <el data-poll-url="url">           polls url (JSON {state}) and reloads once the state is final
//   <el data-reload-after="ms">        reloads the page after ms
//   <button data-menu="id">            a menu button for the role=menu list #id (keyboard: see components doc)
//   <button data-dialog-open="id">     opens <dialog id> (modal); [data-dialog-close] inside closes it;
//   <dialog data-open-on-load>         opens when the page loads
//   <time data-starts-at="ISO" data-ends-at="ISO">  keeps a "now" / "in 5 min" cue current
//   <li data-toast>                    a toast; [data-dismiss] closes it; it leaves by itself after 8 s
(function () {
  "use strict";
  var _ = function (s) { return window.gettext ? window.gettext(s) : s; };
  var interpolate = function (fmt, values) {
    return window.interpolate ? window.interpolate(fmt, values, true) : fmt.replace(/%\((\w+)\)s/g, function (m, k) { return values[k]; });
  };

  // --- toasts ---------------------------------------------------------------------------------
  function dismissLater(toast) { setTimeout(function () { toast.remove(); }, 8000); }
  function toast(text) {
    var region = document.getElementById("toasts");
    if (!region) return;
    var item = document.createElement("div");
    item.className = "toast";
    item.setAttribute("data-toast", "");
    var span = document.createElement("span");
    span.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.setAttribute("data-dismiss", "");
    close.setAttribute("aria-label", _("Dismiss"));
    close.textContent = "✕";
    item.append(span, close);
    region.append(item);
    dismissLater(item);
  }
  document.querySelectorAll("[data-toast]").forEach(dismissLater);

  // --- clicks: confirm, copy, dismiss, dialogs ---------------------------------------------------
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    var ok = document.execCommand("copy");
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.addEventListener("change", function (event) {
    var input = event.target.closest("[data-autosubmit]");
    if (input && input.form) input.form.submit();
  });
  document.addEventListener("click", function (event) {
    var confirmer = event.target.closest("button[data-confirm], a[data-confirm]");
    if (confirmer && !window.confirm(confirmer.dataset.confirm)) { event.preventDefault(); return; }
    var copier = event.target.closest("[data-copy], [data-copy-text]");
    if (copier) {
      var text = copier.dataset.copyText;
      if (text === undefined) {
        var field = document.getElementById(copier.dataset.copy);
        text = "value" in field ? field.value : field.textContent;
      }
      copy(text).then(function () {
        copier.dataset.copied = "true";
        toast(copier.dataset.copiedMessage || _("Copied to the clipboard"));
      }, function () { toast(_("Your browser refused to copy. Select the text and copy it yourself.")); });
    }
    var dismisser = event.target.closest("[data-dismiss]");
    if (dismisser) dismisser.closest("[data-toast]").remove();
    var opener = event.target.closest("[data-dialog-open]");
    if (opener) {
      var dialog = document.getElementById(opener.dataset.dialogOpen);
      if (dialog && !dialog.open) dialog.showModal();
    }
    var closer = event.target.closest("[data-dialog-close]");
    if (closer) closer.closest("dialog").close();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  document.querySelectorAll("dialog[data-open-on-load]").forEach(function (dialog) { dialog.showModal(); });

  // --- menus (WAI-ARIA menu button) -------------------------------------------------------------
  function items(menu) { return Array.prototype.slice.call(menu.querySelectorAll("[role=menuitem]")); }
  function closeMenu(button, focusButton) {
    var menu = document.getElementById(button.dataset.menu);
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (focusButton) button.focus();
  }
  function openMenu(button, which) {
    document.querySelectorAll("[data-menu][aria-expanded=true]").forEach(function (other) { closeMenu(other, false); });
    var menu = document.getElementById(button.dataset.menu);
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    var list = items(menu);
    if (list.length) list[which === "last" ? list.length - 1 : 0].focus();
  }
  document.querySelectorAll("[data-menu]").forEach(function (button) {
    var menu = document.getElementById(button.dataset.menu);
    items(menu).forEach(function (item) { item.setAttribute("tabindex", "-1"); });
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-expanded") === "true") closeMenu(button, false); else openMenu(button, "first");
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "Enter" || event.key === " ") { event.preventDefault(); openMenu(button, "first"); }
      else if (event.key === "ArrowUp") { event.preventDefault(); openMenu(button, "last"); }
    });
    menu.addEventListener("keydown", function (event) {
      var list = items(menu);
      var index = list.indexOf(document.activeElement);
      var next = null;
      if (event.key === "ArrowDown") next = list[(index + 1) % list.length];
      else if (event.key === "ArrowUp") next = list[(index - 1 + list.length) % list.length];
      else if (event.key === "Home") next = list[0];
      else if (event.key === "End") next = list[list.length - 1];
      else if (event.key === "Escape") { event.preventDefault(); closeMenu(button, true); return; }
      else if (event.key === "Tab") { closeMenu(button, false); return; }
      if (next) { event.preventDefault(); next.focus(); }
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("[data-menu][aria-expanded=true]").forEach(function (button) {
      var menu = document.getElementById(button.dataset.menu);
      if (!button.contains(event.target) && !menu.contains(event.target)) closeMenu(button, false);
    });
  });

  // --- time cues ----------------------------------------------------------------------------------
  function cue(element) {
    var start = Date.parse(element.dataset.startsAt);
    var end = element.dataset.endsAt ? Date.parse(element.dataset.endsAt) : start + 3600 * 1000;
    var now = Date.now();
    var minutes = Math.round((start - now) / 60000);
    var text = "";
    element.classList.remove("now");
    if (element.dataset.live === "true" || (now >= start && now < end)) { text = _("Now"); element.classList.add("now"); }
    else if (minutes > 0 && minutes < 60) text = interpolate(_("In %(minutes)s min"), {minutes: minutes});
    else if (minutes >= 60 && minutes < 24 * 60) {
      var hours = Math.floor(minutes / 60);
      text = interpolate(_("In %(hours)s h"), {hours: hours});
    }
    element.textContent = text;
    element.hidden = !text;
  }
  var cues = document.querySelectorAll("[data-starts-at]");
  if (cues.length) {
    cues.forEach(cue);
    setInterval(function () { cues.forEach(cue); }, 30000);
  }

  // --- polling and reloads ----------------------------------------------------------------------
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
