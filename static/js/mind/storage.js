// Remembers the server's session id per conference and token (sessionStorage: per tab), so a page
// reload within the grace period resumes the same session instead of leaving and re-joining.

function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16);
}

function store() {
  try {
    return globalThis.sessionStorage || null;
  } catch (error) {
    return null; // storage disabled
  }
}

function key(conferenceId) {
  return `mind.session.${conferenceId}`;
}

export function saveResume(conferenceId, token, participantId, sessionId) {
  const storage = store();
  if (!storage) return;
  try {
    storage.setItem(key(conferenceId), JSON.stringify({ token: fnv1a(token), participantId, sessionId, savedAt: Date.now() }));
  } catch (error) { /* quota or privacy mode: resuming is only an optimisation */ }
}

export function loadResume(conferenceId, token) {
  const storage = store();
  if (!storage) return null;
  try {
    const saved = JSON.parse(storage.getItem(key(conferenceId)) || "null");
    return saved && saved.token === fnv1a(token) ? saved : null;
  } catch (error) {
    return null;
  }
}

export function clearResume(conferenceId) {
  const storage = store();
  if (storage) {
    try { storage.removeItem(key(conferenceId)); } catch (error) { /* ignore */ }
  }
}
