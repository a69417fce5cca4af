// MindSDK: the static entry point of the Mind Web SDK look-alike.

import { installElementProperties } from "./elements.js";
import { DeviceRegistry } from "./devices.js";
import { MediaStream } from "./MediaStream.js";
import { MindSDKOptions, SessionOptions } from "./options.js";
import { Session } from "./Session.js";

installElementProperties();

let sdkOptions = new MindSDKOptions();
let registry = null;

export const MindSDK = {
  /** Stores the options, creates the DeviceRegistry and enumerates the devices. */
  async initialize(options = new MindSDKOptions()) {
    sdkOptions = options || new MindSDKOptions();
    if (!registry) registry = new DeviceRegistry();
    await registry.refresh().catch(() => {});
  },

  getDeviceRegistry() {
    if (!registry) registry = new DeviceRegistry();
    return registry;
  },

  /** A local stream (label "local") fed by a microphone/screen (audio) and a camera/screen (video). */
  createMediaStream(audioSupplier, videoSupplier) {
    if (!audioSupplier && !videoSupplier) throw new Error("Can't create a MediaStream without suppliers");
    return new MediaStream("local", audioSupplier || null, videoSupplier || null);
  },

  /** Joins: resolves with the Session once the socket is open and the conference snapshot is loaded. */
  async join(conferenceURI, participantToken, options = new SessionOptions()) {
    if (!participantToken) throw new Error("A participant token is required");
    const session = new Session(conferenceURI, participantToken, options || new SessionOptions(), sdkOptions);
    return session._join();
  },

  /** Deprecated in the official SDK: join with the listener given up front. */
  async join2(conferenceURI, participantToken, listener) {
    const options = new SessionOptions();
    const session = await MindSDK.join(conferenceURI, participantToken, options);
    session.setListener(listener);
    return session;
  },

  /** Leaves the conference. Synchronous and idempotent. */
  exit2(session) {
    if (session) session._exit();
  },

  // Deprecated shortcuts of the official SDK.
  getMicrophones() { return MindSDK.getDeviceRegistry().getMicrophones(); },
  getCameras() { return MindSDK.getDeviceRegistry().getCameras(); },
  getScreen() { return MindSDK.getDeviceRegistry().getScreen(); },
};
