// The room page's entry point: reads the page's configuration, starts the SDK, then either
// rejoins (a reload of a tab that was in the call: same participant) or shows the pre-join
// screen, and runs the call. Keyboard shortcuts: ctrl+D microphone, ctrl+E camera (as in Meet).

import { MindSDK, MindSDKOptions } from "../mind/index.js";
import { RoomApi } from "./api.js";
import { Call } from "./call.js";
import { Devices } from "./devices.js";
import { hydrateIcons } from "./icons.js";
import { _, fmt } from "./i18n.js";
import { prejoinNotice } from "../e2ee/room.js";
import { Prejoin } from "./prejoin.js";
import * as store from "./store.js";
import { $, toast } from "./ui.js";

const WAITING = new Set(["waiting_room", "waiting_for_host"]);

async function savedState(api, config) {
  const { ticket } = store.load(config.meetingId);
  if (!ticket) return null;
  try {
    const state = await api.status(ticket);
    if (state.state === "admitted" || WAITING.has(state.state)) return state;
    if (state.state === "removed") {
      location.assign(`${config.urls.bye}?reason=removed`);
      return new Promise(() => {}); // leaving the page
    }
  } catch (error) {
    if (error.status === 0) return null; // offline: start over from the pre-join screen
  }
  store.forget(config.meetingId, "ticket");
  return null;
}

async function main() {
  const config = JSON.parse($("room-config").textContent);
  hydrateIcons();
  if (config.e2ee) prejoinNotice(); // end-to-end encrypted: says so; a browser that cannot encrypt cannot join
  const api = new RoomApi(config);
  let screen = null;
  document.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || !screen) return;
    const key = event.key.toLowerCase();
    if (key === "d") {
      event.preventDefault();
      screen.toggleMicrophone();
    } else if (key === "e") {
      event.preventDefault();
      screen.toggleCamera();
    }
  });

  try {
    await MindSDK.initialize(new MindSDKOptions());
  } catch (error) {
    $("join-error").textContent = fmt(_("This browser can't join calls: %(reason)s"), { reason: error.message });
    return;
  }
  const devices = new Devices(MindSDK.getDeviceRegistry(), store.devicePrefs());
  const saved = await savedState(api, config);
  let answer = saved && saved.state === "admitted" ? saved : null; // a reload: straight back into the call
  const rejoined = Boolean(answer);
  if (!answer) {
    const prejoin = new Prejoin({ config, api, devices });
    screen = prejoin;
    devices.onLost = () => prejoin.render();
    answer = await prejoin.run({ resumeWaiting: saved });
  }
  if (!answer.conference || !answer.conference.uri || !answer.participant_token) {
    $("prejoin").hidden = false;
    $("join-error").textContent = _("The meeting's media server is not available right now. Try again in a moment.");
    return;
  }
  const call = new Call({ config, api, devices, answer, rejoined });
  screen = call;
  devices.onLost = (kind) => {
    toast(devices.problems[kind], { timeout: 10000 });
    call.publish();
  };
  await call.start();
}

main().catch((error) => {
  console.error(error);
  toast(fmt(_("Something went wrong: %(reason)s"), { reason: error.message }), { timeout: 0 });
});
