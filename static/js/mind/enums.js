// Enumerations of the Mind Web SDK public API (same names and values as the official SDK).

export const SessionState = Object.freeze({
  NORMAL: "normal",   // the channel to the server is up and working
  LAGGING: "lagging", // up, but a renegotiation took longer than 10 s (being retried)
  FAILED: "failed",   // down: the SDK is reconnecting with backoff
});

export const ParticipantRole = Object.freeze({
  ATTENDEE: "attendee",
  SPEAKER: "speaker",
  PRESENTER: "presenter",
  MODERATOR: "moderator",
});

export const ParticipantLanguage = Object.freeze({
  AR: "ar", CS: "cs", DE: "de", EN: "en", ES: "es", FR: "fr", HI: "hi", HU: "hu", IT: "it",
  JA: "ja", KO: "ko", NL: "nl", PL: "pl", PT: "pt", RU: "ru", TR: "tr", ZH: "zh",
});

export const ConferenceLayout = Object.freeze({
  MOSAIC: "mosaic",
  SELECTOR: "selector",
  PRESENTING_MOSAIC: "presenting_mosaic",
  PRESENTING_SELECTOR: "presenting_selector",
});

export const CameraFacing = Object.freeze({
  USER: "user",
  ENVIRONMENT: "environment",
});

// Who may publish what (docs/mind-protocol.md): the server refuses the rest with `forbidden`.
export const PUBLISHING_ROLES = Object.freeze({
  primary: new Set(["moderator", "presenter", "speaker"]),
  secondary: new Set(["moderator", "presenter"]),
});

export function mayPublish(role, media) {
  return PUBLISHING_ROLES[media].has(role);
}
