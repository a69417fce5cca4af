import assert from "node:assert/strict";
import { test } from "node:test";

import { SDK } from "./fakes.mjs";

const { parseConferenceURI, sessionSocketURL } = await import(`${SDK}uri.js`);
const APP = "00e1db72-c57d-478c-88be-3533d43c8b34";
const CONF = "1cf69ae4-4c54-47cf-b409-97e88f62fe12";

test("an https conference URI gives the REST base and a wss session URL", () => {
  const parsed = parseConferenceURI(`https://meet.example.com/mind/${APP}/${CONF}`);
  assert.equal(parsed.applicationId, APP);
  assert.equal(parsed.conferenceId, CONF);
  assert.equal(parsed.restURL, `https://meet.example.com/mind/${APP}/${CONF}`);
  assert.equal(parsed.sessionURL, `wss://meet.example.com/mind/${APP}/${CONF}/session`);
});

test("http with a port and no prefix gives ws", () => {
  const parsed = parseConferenceURI(`http://127.0.0.1:8000/${APP}/${CONF.toUpperCase()}`);
  assert.equal(parsed.sessionURL, `ws://127.0.0.1:8000/${APP}/${CONF}/session`);
  assert.equal(parsed.conferenceId, CONF);
});

test("the socket URL carries the token and the session to resume, encoded", () => {
  const parsed = parseConferenceURI(`https://h/mind/${APP}/${CONF}`);
  assert.equal(sessionSocketURL(parsed, "a+b/c", null), `${parsed.sessionURL}?access_token=a%2Bb%2Fc`);
  assert.equal(sessionSocketURL(parsed, "t", "s=1"), `${parsed.sessionURL}?access_token=t&session=s%3D1`);
});

test("invalid conference URIs are rejected", () => {
  for (const uri of ["", "not a url", `ftp://h/${APP}/${CONF}`, `https://h/${APP}`, `https://h/mind/${APP}/nope`,
                     `https://h/mind/x/${CONF}`]) {
    assert.throws(() => parseConferenceURI(uri), /Invalid conference URI/, uri);
  }
});
