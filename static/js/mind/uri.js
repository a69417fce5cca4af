// The conference URI: `https?://host[/prefix]/<applicationId>/<conferenceId>`. With our engine the
// prefix is `/mind` (the engine's REST base); the participant socket is `<uri>/session`.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseConferenceURI(conferenceURI) {
  let url;
  try {
    url = new URL(String(conferenceURI));
  } catch (error) {
    throw new Error(`Invalid conference URI: ${conferenceURI}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`Invalid conference URI (http or https expected): ${conferenceURI}`);
  }
  const parts = url.pathname.split("/").filter(Boolean);
  if (parts.length < 2 || !UUID.test(parts[parts.length - 2]) || !UUID.test(parts[parts.length - 1])) {
    throw new Error(`Invalid conference URI (…/<applicationId>/<conferenceId> expected): ${conferenceURI}`);
  }
  const conferenceId = parts.pop().toLowerCase();
  const applicationId = parts.pop().toLowerCase();
  const prefix = parts.length ? `/${parts.join("/")}` : "";
  const restURL = `${url.protocol}//${url.host}${prefix}/${applicationId}/${conferenceId}`;
  const wsScheme = url.protocol === "https:" ? "wss:" : "ws:";
  return {
    applicationId,
    conferenceId,
    restURL,
    sessionURL: `${wsScheme}//${url.host}${prefix}/${applicationId}/${conferenceId}/session`,
  };
}

export function sessionSocketURL(parsed, token, resumeId) {
  let url = `${parsed.sessionURL}?access_token=${encodeURIComponent(token)}`;
  if (resumeId) url += `&session=${encodeURIComponent(resumeId)}`;
  return url;
}
