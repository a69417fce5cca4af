// Small DOM helpers shared by the room modules: element builder, toasts, menus, confirm dialog,
// avatars and time formatting.

import { _ } from "./i18n.js";
import { icon } from "./icons.js";

export const $ = (id) => document.getElementById(id);

/** h("div", {class: "x", onclick}, child, "text") -> element. */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

const AVATAR_COLORS = ["#1a73e8", "#e8710a", "#188038", "#a142f4", "#d93025", "#12b5cb", "#e52592", "#9334e6", "#f29900", "#5f6368"];

export function avatarColor(seed) {
  let hash = 0;
  for (const char of String(seed)) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return AVATAR_COLORS[Math.abs(hash) % AVATAR_COLORS.length];
}

export function initials(name) {
  const words = String(name || "?").trim().split(/\s+/).filter(Boolean);
  if (!words.length) return "?";
  return (words[0][0] + (words.length > 1 ? words[words.length - 1][0] : "")).toUpperCase();
}

export function clockTime(date = new Date()) {
  return date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
}

export function elapsed(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = String(minutes).padStart(hours ? 2 : 1, "0");
  return `${hours ? `${hours}:` : ""}${mm}:${String(seconds).padStart(2, "0")}`;
}

/** A short notice at the bottom left; `action` = {label, run} adds a button. */
export function toast(text, { action = null, timeout = 5000 } = {}) {
  const box = $("toasts");
  const item = h("div", { class: "toast", role: "status" }, h("span", {}, text));
  if (action) {
    item.append(h("button", { type: "button", onclick: () => { item.remove(); action.run(); } }, action.label));
  }
  box.append(item);
  while (box.children.length > 4) box.firstChild.remove();
  if (timeout) setTimeout(() => item.remove(), timeout);
  return item;
}

/** Resolves true when the person confirms. */
export function confirmDialog(title, text, okLabel = _("OK")) {
  const dialog = $("confirm");
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  $("confirm-yes").textContent = okLabel;
  return new Promise((resolve) => {
    const done = (answer) => {
      $("confirm-yes").onclick = null;
      $("confirm-no").onclick = null;
      dialog.close();
      resolve(answer);
    };
    $("confirm-yes").onclick = () => done(true);
    $("confirm-no").onclick = () => done(false);
    dialog.addEventListener("cancel", () => resolve(false), { once: true });
    dialog.showModal();
  });
}

let openMenu = null;

export function closeMenus() {
  if (openMenu) {
    openMenu.hidden = true;
    if (openMenu.dataset.temporary) openMenu.remove();
    openMenu = null;
  }
}

document.addEventListener("click", (event) => {
  if (openMenu && !openMenu.contains(event.target) && !event.target.closest("[data-menu-trigger]")) closeMenus();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closeMenus();
});

/** Fills `menu` with items [{label, icon, run, danger, disabled, hint}] or "-" and shows it. */
export function showMenu(menu, items) {
  closeMenus();
  menu.replaceChildren(...items.filter(Boolean).map((item) => (item === "-" ? h("hr") : h("button", {
    type: "button", role: "menuitem", class: item.danger ? "danger" : "", dataset: item.id ? { action: item.id } : {},
    disabled: Boolean(item.disabled), title: item.hint || null,
    onclick: () => { closeMenus(); item.run(); },
  }, item.icon ? icon(item.icon) : null, item.label))));
  menu.hidden = false;
  openMenu = menu;
  const first = menu.querySelector("button");
  if (first) first.focus({ preventScroll: true });
}

export function toggleMenu(menu, items) {
  if (!menu.hidden) closeMenus();
  else showMenu(menu, items);
}
