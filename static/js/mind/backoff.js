// Reconnect delays: the first retry is immediate, then doubling from 0.5 s up to 10 s, with a
// little jitter so a room of clients does not reconnect in lockstep after a server restart.

export const MAX_DELAY_MS = 10000;

export class Backoff {
  constructor({ first = 0, base = 500, max = MAX_DELAY_MS, jitter = 0.2, random = Math.random } = {}) {
    Object.assign(this, { first, base, max, jitter, random });
    this.attempt = 0;
  }

  /** The delay (ms) before the next attempt; each call counts one attempt. */
  next() {
    const attempt = this.attempt++;
    if (attempt === 0) return this.first;
    const plain = Math.min(this.max, this.base * 2 ** (attempt - 1));
    const spread = plain * this.jitter * (this.random() * 2 - 1);
    return Math.max(0, Math.min(this.max, Math.round(plain + spread)));
  }

  reset() { this.attempt = 0; }
}
