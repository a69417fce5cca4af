// The Mind Web SDK look-alike: `import { MindSDK, SessionListener, … } from "/static/js/mind/index.js"`.
// Public API as in docs/web-sdk.md (the official SDK's names), plus marked extensions.

export { MindSDK } from "./MindSDK.js";
export { MindSDKOptions, SessionOptions } from "./options.js";
export { CameraFacing, ConferenceLayout, ParticipantLanguage, ParticipantRole, SessionState } from "./enums.js";
export { CameraListener, DeviceRegistryListener, MicrophoneListener, ScreenListener, SessionListener } from "./listeners.js";
