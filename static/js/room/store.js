// What survives a reload of the room tab: the join ticket (so a reload rejoins as the same
// participant) and the person's device choices. sessionStorage: per tab, gone when it closes.

function key(meetingId) {
  return `confer.room.${meetingId}`;
}

export function load(meetingId) {
  try {
    return JSON.parse(sessionStorage.getItem(key(meetingId)) || "{}") || {};
  } catch (error) {
    return {};
  }
}

export function save(meetingId, changes) {
  const value = { ...load(meetingId), ...changes };
  try {
    sessionStorage.setItem(key(meetingId), JSON.stringify(value));
  } catch (error) {
    // private mode or full storage: the room still works, a reload just starts over
  }
  return value;
}

export function forget(meetingId, ...names) {
  const value = load(meetingId);
  for (const name of names) delete value[name];
  try {
    sessionStorage.setItem(key(meetingId), JSON.stringify(value));
  } catch (error) {
    // see save()
  }
}

/** Device choices are remembered across meetings (like Meet): localStorage. */
export function devicePrefs() {
  try {
    return JSON.parse(localStorage.getItem("confer.devices") || "{}") || {};
  } catch (error) {
    return {};
  }
}

export function saveDevicePrefs(changes) {
  try {
    localStorage.setItem("confer.devices", JSON.stringify({ ...devicePrefs(), ...changes }));
  } catch (error) {
    // see save()
  }
}
