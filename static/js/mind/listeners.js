// Listener base classes. A SessionListener may implement any subset of its callbacks: a missing
// one falls back to the default, which logs (as the official SDK does). Device listeners have no
// fallback in the official SDK; here they are called only when the method exists.

function logDefault(name, args) {
  if (typeof console !== "undefined") console.info(`MindSDK: ${name}`, ...args);
}

export class SessionListener {
  onSessionStateChanged(session) { logDefault("onSessionStateChanged", [session.getState()]); }
  onConferenceNameChanged(conference) { logDefault("onConferenceNameChanged", [conference.getName()]); }
  onConferenceRecordingStarted(conference) { logDefault("onConferenceRecordingStarted", [conference.getId()]); }
  onConferenceRecordingStopped(conference) { logDefault("onConferenceRecordingStopped", [conference.getId()]); }
  onConferenceEnded(conference) { logDefault("onConferenceEnded", [conference.getId()]); }
  onParticipantJoined(participant) { logDefault("onParticipantJoined", [participant.getId()]); }
  onParticipantExited(participant) { logDefault("onParticipantExited", [participant.getId()]); }
  onParticipantNameChanged(participant) { logDefault("onParticipantNameChanged", [participant.getId()]); }
  onParticipantPriorityChanged(participant) { logDefault("onParticipantPriorityChanged", [participant.getId()]); }
  onParticipantLanguageChanged(participant) { logDefault("onParticipantLanguageChanged", [participant.getId()]); }
  onParticipantRoleChanged(participant) { logDefault("onParticipantRoleChanged", [participant.getId()]); }
  onParticipantMediaChanged(participant) { logDefault("onParticipantMediaChanged", [participant.getId()]); }
  onParticipantSecondaryMediaChanged(participant) { logDefault("onParticipantSecondaryMediaChanged", [participant.getId()]); }
  onMeExpelled(me) { logDefault("onMeExpelled", [me.getId()]); }
  onMeNameChanged(me) { logDefault("onMeNameChanged", [me.getName()]); }
  onMePriorityChanged(me) { logDefault("onMePriorityChanged", [me.getPriority()]); }
  onMeLanguageChanged(me) { logDefault("onMeLanguageChanged", [me.getLanguage()]); }
  onMeRoleChanged(me) { logDefault("onMeRoleChanged", [me.getRole()]); }
  onMeReceivedMessageFromApplication(me, message) { logDefault("onMeReceivedMessageFromApplication", [message]); }
  onMeReceivedMessageFromParticipant(me, message, participant) {
    logDefault("onMeReceivedMessageFromParticipant", [message, participant && participant.getId()]);
  }

  // --- extensions beyond the official SDK ---
  /** Extension: a `/transcription…` notification (e.g. `{started}` when transcription starts/stops). */
  onConferenceTranscription(conference, resource, location) { logDefault("onConferenceTranscription", [location, resource]); }
  /** Extension: the server closed the session with 4002 because this participant joined elsewhere (another tab or device). */
  onSessionEndedElsewhere(session) { logDefault("onSessionEndedElsewhere", [session.getId()]); }
  /** Extension: the server stopped one of my publications (`reason`: "role" or "hangup"); media is "primary" or "secondary". */
  onMePublicationStopped(me, media, reason) { logDefault("onMePublicationStopped", [media, reason]); }
}

const DEFAULTS = SessionListener.prototype;

/** Calls `listener[name](...args)`, or the default implementation; a throwing listener is logged, never fatal. */
export function dispatch(listener, name, ...args) {
  const fn = listener && typeof listener[name] === "function" ? listener[name] : DEFAULTS[name];
  if (typeof fn !== "function") return;
  try {
    fn.apply(listener || DEFAULTS, args);
  } catch (error) {
    if (typeof console !== "undefined") console.error(`MindSDK: ${name} listener failed`, error);
  }
}

/** Calls an optional device-listener method. */
export function notify(listener, name, ...args) {
  if (!listener || typeof listener[name] !== "function") return;
  try {
    listener[name](...args);
  } catch (error) {
    if (typeof console !== "undefined") console.error(`MindSDK: ${name} listener failed`, error);
  }
}

export class CameraListener { onCameraReleasedForcibly(camera) {} }
export class MicrophoneListener { onMicrophoneReleasedForcibly(microphone) {} }
export class ScreenListener { onScreenReleasedForcibly(screen) {} }
export class DeviceRegistryListener { onDeviceRegistryChanged() {} }
