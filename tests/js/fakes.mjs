// Small fakes of browser APIs (WebSocket, RTCPeerConnection, fetch, sessionStorage) for the unit
// tests of the SDK's state handling. They are the browser's, not ours: the e2e tests run the SDK
// in a real Chromium against the real engine.

export const SDK = new URL("../../static/js/mind/", import.meta.url).href;

export class FakeWebSocket {
  static instances = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closedWith = null;
    FakeWebSocket.instances.push(this);
  }
  static last() { return FakeWebSocket.instances[FakeWebSocket.instances.length - 1]; }
  send(data) {
    if (this.readyState !== 1) throw new Error("not open");
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.closedWith = code;
  }
  // --- the server's side ---
  receive(message) {
    if (this.readyState === 0) this.readyState = 1;
    this.onmessage && this.onmessage({ data: JSON.stringify(message) });
  }
  serverClose(code) {
    this.readyState = 3;
    this.onclose && this.onclose({ code });
  }
  sentOfType(type) { return this.sent.filter((m) => m.type === type); }
}

let trackCounter = 0;
export class FakeTrack extends EventTarget {
  constructor(kind) {
    super();
    this.kind = kind;
    this.id = `${kind}-${++trackCounter}`;
    this.enabled = true;
    this.readyState = "live";
    this.contentHint = "";
  }
  stop() { this.readyState = "ended"; }
  end() { this.readyState = "ended"; this.dispatchEvent(new Event("ended")); } // unplugged
}

class FakeSender {
  constructor() { this.track = null; this.replaced = 0; this.params = { encodings: [{}] }; }
  async replaceTrack(track) { this.track = track; this.replaced += 1; }
  getParameters() { return this.params; }
  async setParameters(params) { this.params = params; }
}

export class FakeRTCPeerConnection extends EventTarget {
  static instances = [];
  constructor(config) {
    super();
    this.config = config;
    this.transceivers = [];
    this.iceGatheringState = "complete";
    this.connectionState = "new";
    this.localDescription = null;
    this.remoteDescription = null;
    this.stats = new Map();
    FakeRTCPeerConnection.instances.push(this);
  }
  addTransceiver(kind, init = {}) {
    let direction = init.direction || "sendrecv";
    const transceiver = { mid: null, kind, currentDirection: null, init, sender: new FakeSender(),
                          receiver: { track: new FakeTrack(kind), getSynchronizationSources: () => [{ audioLevel: 0.5 }] },
                          setCodecPreferences() {} };
    // As in Chromium: a transceiver whose m-line the answer rejected is stopped for good.
    Object.defineProperty(transceiver, "direction", {
      enumerable: true,
      get: () => (transceiver.currentDirection === "stopped" ? "stopped" : direction),
      set: (value) => {
        if (transceiver.currentDirection === "stopped") throw new Error("InvalidStateError: The transceiver is stopped.");
        direction = value;
      },
    });
    this.transceivers.push(transceiver);
    return transceiver;
  }
  getTransceivers() { return this.transceivers; }
  async createOffer() {
    this.transceivers.forEach((t, i) => { if (t.mid == null) t.mid = String(i); });
    return { type: "offer", sdp: "v=0\r\n" + this.transceivers.map((t) => `m=${t.kind} 9\r\na=mid:${t.mid}\r\na=${t.direction}\r\n`).join("") };
  }
  async createAnswer() { return { type: "answer", sdp: "v=0\r\nanswer\r\n" }; }
  async setLocalDescription(description) { this.localDescription = description; }
  async setRemoteDescription(description) {
    this.remoteDescription = description;
    if (description.type === "answer") {
      // "m=<kind> 0": the server rejected that m-line (Janus does so with an inactive one).
      description.sdp.split(/\r?\n/).filter((line) => line.startsWith("m=")).forEach((line, index) => {
        if (line.split(" ")[1] === "0" && this.transceivers[index]) this.transceivers[index].currentDirection = "stopped";
      });
      return;
    }
    if (description.type !== "offer") return;
    // m=<kind> lines with a=mid:<mid>: a receiving transceiver per new mid.
    let kind = null;
    for (const line of description.sdp.split(/\r?\n/)) {
      if (line.startsWith("m=")) kind = line.slice(2).split(" ")[0];
      const mid = line.startsWith("a=mid:") ? line.slice(6) : null;
      if (mid != null && !this.transceivers.some((t) => t.mid === mid)) {
        const transceiver = this.addTransceiver(kind, { direction: "recvonly" });
        transceiver.mid = mid;
      }
    }
  }
  async getStats() { return this.stats; }
  close() { this.connectionState = "closed"; }
}

/** An SDP offer from "the server" with one m-line per {mid, kind}. */
export function offerSdp(streams) {
  return "v=0\r\n" + streams.map((s) => `m=${s.kind} 9\r\na=mid:${s.mid}\r\n`).join("");
}

export class FakeStorage {
  constructor() { this.items = new Map(); }
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) { this.items.set(key, String(value)); }
  removeItem(key) { this.items.delete(key); }
}

/** fetch() answering from `routes`: {"GET /path?query": body | (request) => [status, body]}. */
export function fakeFetch(routes) {
  const calls = [];
  const fetch = async (url, init = {}) => {
    const parsed = new URL(url);
    const key = `${init.method || "GET"} ${parsed.pathname}${parsed.search}`;
    calls.push({ key, init, body: init.body ? JSON.parse(init.body) : undefined });
    let route = routes[key];
    if (route === undefined) return new Response(JSON.stringify({ status: 404 }), { status: 404 });
    if (typeof route === "function") route = route(calls[calls.length - 1]);
    const [status, body] = Array.isArray(route) ? route : [200, route];
    return new Response(body == null ? "" : JSON.stringify(body), { status });
  };
  fetch.calls = calls;
  return fetch;
}

/** Installs the fakes as browser globals; returns a restore function. */
export function installBrowser({ routes = {} } = {}) {
  FakeWebSocket.instances = [];
  FakeRTCPeerConnection.instances = [];
  const saved = {};
  const globals = {
    WebSocket: FakeWebSocket,
    RTCPeerConnection: FakeRTCPeerConnection,
    fetch: fakeFetch(routes),
    sessionStorage: new FakeStorage(),
  };
  for (const [name, value] of Object.entries(globals)) {
    saved[name] = Object.getOwnPropertyDescriptor(globalThis, name);
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  return {
    fetch: globals.fetch,
    storage: globals.sessionStorage,
    restore() {
      for (const [name, descriptor] of Object.entries(saved)) {
        if (descriptor) Object.defineProperty(globalThis, name, descriptor);
        else delete globalThis[name];
      }
    },
  };
}

/** Waits until `predicate()` holds (microtasks and timers get to run), or fails after `timeout` ms. */
export async function until(predicate, timeout = 2000, what = "condition") {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export const APP = "6b0f6a1e-2b0c-4d8e-9c1f-3a5b7c9d1e2f";
export const CONF = "1cf69ae4-4c54-47cf-b409-97e88f62fe12";
export const ME = "24300bf9-d9f2-4bbf-9719-8660d110bc63";
export const BOB = "3eb26018-7147-4762-a01c-967c1d2522ab";
export const CAROL = "5d1e7a52-9a0e-4c61-b1d2-6c7e3f4a5b6c";
export const URI = `http://example.test/mind/${APP}/${CONF}`;

export function participantJson(id, fields = {}) {
  return { id, online: true, name: id.slice(0, 4), priority: 1, role: "speaker", layout: "mosaic",
           media: { audio: false, video: false }, secondaryMedia: { audio: false, video: false }, ...fields };
}

export function conferenceJson(fields = {}) {
  return { id: CONF, name: "Weekly", layout: "mosaic", recording: { started: false }, endingAt: 2000000000, ...fields };
}

export function recorder() {
  const events = [];
  const listener = new Proxy({}, {
    get(target, name) {
      if (typeof name !== "string" || !name.startsWith("on")) return undefined;
      return (...args) => events.push([name, ...args]);
    },
  });
  return { events, listener, named: (name) => events.filter((e) => e[0] === name) };
}
