// clientInfo(): what the quality sample says about the device (docs/qos.md): OS family, OS, browser,
// network type, from the user agent and the Network Information API.
import assert from "node:assert/strict";
import { test } from "node:test";

import { SDK } from "./fakes.mjs";

const { clientInfo } = await import(`${SDK}statistics.js`);

test("Chrome on Windows over Wi-Fi", () => {
  const nav = { userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.85 Safari/537.36",
                connection: { type: "wifi" } };
  assert.deepEqual(clientInfo(nav), { device: "Windows", os: "Windows NT 10.0", version: "Chrome 131.0.6778.85", network_type: "Wifi" });
});

test("Safari on an iPhone, Firefox on Linux, Edge on a Mac over Ethernet", () => {
  assert.deepEqual(clientInfo({ userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1" }),
                   { device: "iOS", os: "iOS 17.4", version: "Safari 17.4", network_type: "Unknown" });
  assert.deepEqual(clientInfo({ userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0" }),
                   { device: "Linux", os: "Linux", version: "Firefox 133.0", network_type: "Unknown" });
  assert.deepEqual(clientInfo({ userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70",
                                connection: { type: "ethernet" } }),
                   { device: "Mac", os: "macOS 10.15.7", version: "Edge 131.0.2903.70", network_type: "Wired" });
});

test("nothing known: a web client on an unknown network", () => {
  assert.deepEqual(clientInfo({ userAgent: "" }), { device: "Web", os: "", version: "", network_type: "Unknown" });
  assert.deepEqual(clientInfo(undefined), { device: "Web", os: "", version: "", network_type: "Unknown" });
});
