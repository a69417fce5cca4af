// Room messages carried as Mind messages. Chat is plain text (any Mind client can read it); room
// signals between participants (raised hand, reactions) are JSON objects with a "confer" kind;
// instructions from the server (the application) are JSON with a "type" ("confer.mute",
// "confer.unmute_request", "confer.quality"; see meetings/media.py and qos/receivers.py).

const MARK = '{"confer":';

export function encodeSignal(kind, fields = {}) {
  return JSON.stringify({ confer: kind, ...fields });
}

/** The signal in a participant's message, or null when it is a chat message. */
export function decodeSignal(text) {
  if (typeof text !== "string" || !text.startsWith(MARK)) return null;
  try {
    const value = JSON.parse(text);
    return value && typeof value.confer === "string" ? value : null;
  } catch (error) {
    return null;
  }
}

/** The instruction in a message from the application, or null. */
export function decodeInstruction(text) {
  try {
    const value = JSON.parse(text);
    return value && typeof value.type === "string" && value.type.startsWith("confer.") ? value : null;
  } catch (error) {
    return null;
  }
}

export const REACTIONS = ["💖", "👍", "🎉", "👏", "😂", "😮", "😢", "🤔", "👎"];
