import assert from "node:assert/strict";
import { test } from "node:test";

import { SDK } from "./fakes.mjs";

const { Backoff, MAX_DELAY_MS } = await import(`${SDK}backoff.js`);

test("the first retry is immediate, then the delay doubles up to 10 s", () => {
  const backoff = new Backoff({ jitter: 0 });
  const delays = Array.from({ length: 9 }, () => backoff.next());
  assert.deepEqual(delays, [0, 500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  assert.equal(MAX_DELAY_MS, 10000);
});

test("jitter stays within its share and never passes the cap", () => {
  for (const random of [0, 0.5, 0.999]) {
    const backoff = new Backoff({ jitter: 0.2, random: () => random });
    backoff.next();
    const second = backoff.next();
    assert.ok(second >= 400 && second <= 600, `${second}`);
    for (let i = 0; i < 10; i++) assert.ok(backoff.next() <= 10000);
  }
});

test("reset starts over after a successful reconnect", () => {
  const backoff = new Backoff({ jitter: 0 });
  backoff.next();
  backoff.next();
  backoff.next();
  backoff.reset();
  assert.equal(backoff.next(), 0);
  assert.equal(backoff.next(), 500);
});
