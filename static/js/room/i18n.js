// The room's strings go through Django's JavaScript catalog (/jsi18n/, loaded by the page before
// the modules): `_` marks a string for makemessages and translates it, `fmt` fills its
// %(name)s placeholders. Without the catalog (a test harness) the English text stands.

export const _ = (text) => (globalThis.gettext ? globalThis.gettext(text) : text);

export function fmt(text, values) {
  if (globalThis.interpolate) return globalThis.interpolate(text, values, true);
  return text.replace(/%\((\w+)\)s/g, (_match, name) => String(values[name]));
}
