// The schedule/edit form (templates/meetings/form.html): shows the recurrence fields that apply,
// previews the next occurrences (GET /meetings/new/preview, the server's own rules), filters the
// time-zone list as you type, and starts a new meeting in the browser's time zone.
const form = document.getElementById("meeting-form");
const _ = (s) => (window.gettext ? window.gettext(s) : s);

function valueOf(name) {
  const checked = form.querySelector(`[name="${name}"]:checked`);
  if (checked && checked.type === "radio") return checked.value;
  const element = form.elements[name];
  return element ? element.value : "";
}

function applyVisibility() {
  form.querySelectorAll("[data-show-when]").forEach((element) => {
    const values = element.dataset.showValues.split(" ");
    element.hidden = !values.includes(valueOf(element.dataset.showWhen));
  });
}

let pending = null;
async function preview() {
  const box = document.getElementById("occurrence-preview");
  const params = new URLSearchParams(new FormData(form));
  params.delete("csrfmiddlewaretoken");
  if (!params.get("start")) { box.hidden = true; return; }
  const ticket = Symbol("preview");
  pending = ticket;
  const response = await fetch(`${form.dataset.previewUrl}?${params}`, { credentials: "same-origin" });
  if (pending !== ticket || !response.ok) return;
  const data = await response.json();
  const list = document.getElementById("occurrence-list");
  const note = document.getElementById("occurrence-note");
  list.replaceChildren(...data.occurrences.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
  note.textContent = data.error ? data.error
    : data.count > data.occurrences.length
      ? window.interpolate(_("%(count)s occurrences in all"), { count: data.count }, true) : "";
  box.hidden = false;
}

function timezonePicker() {
  const select = form.querySelector("[data-timezone-picker]");
  const search = document.getElementById("tz-search");
  if (!select || !search) return;
  search.hidden = false;
  if (select.hasAttribute("data-browser-default")) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && [...select.options].some((o) => o.value === zone)) select.value = zone;
  }
  search.addEventListener("input", () => {
    const words = search.value.toLowerCase().replace(/\s+/g, "_");
    let first = null;
    for (const option of select.options) {
      const match = !words || option.value.toLowerCase().includes(words);
      option.hidden = !match;
      if (match && !first) first = option;
    }
    if (first && select.selectedOptions[0] && select.selectedOptions[0].hidden) { select.value = first.value; preview(); }
  });
}

if (form) {
  timezonePicker();
  applyVisibility();
  form.addEventListener("change", () => { applyVisibility(); preview(); });
  preview();
}
