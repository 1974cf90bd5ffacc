// What the dashboard knows about calls: the live cards (ringing, answered, or just finished and
// about to close) and the recent list. Pushes and the snapshot taken on every (re)connect both
// go through here, so a dashboard that was offline for a while ends up showing the same thing as
// one that never was.

export const finalStates = new Set(['ended', 'missed', 'answeredElsewhere']);

/** How long a finished call's card stays before it moves to the recent list. */
const linger = { ended: 6000, missed: 10000, answeredElsewhere: 5000 };

/** Later states never give way to earlier ones: pushes and snapshots may cross on the wire. */
const rank = state => (state === 'ringing' ? 0 : state === 'answered' ? 1 : 2);

/** A call is one card per extension: a ring group rings several. */
export const keyOf = data => `${data.call.id}|${data.call.extension}`;

const newestFirst = (a, b) => Date.parse(b.call.startedAt) - Date.parse(a.call.startedAt);

export class CallStore {
  #live = new Map();
  #recent = [];
  #timers = new Map();

  /**
   * @param {{limit: number, onLive: (key: string) => void, onRecent: () => void, onTransition: (data: object, previous: string | null) => void}} hooks
   */
  constructor({ limit, onLive, onRecent, onTransition }) {
    this.limit = limit;
    this.onLive = onLive;
    this.onRecent = onRecent;
    this.onTransition = onTransition;
  }

  /** Live cards, newest call first. */
  get live() {
    return [...this.#live.values()].sort((a, b) => newestFirst(a.data, b.data));
  }

  get recent() {
    return this.#recent;
  }

  entry(key) {
    return this.#live.get(key);
  }

  /** A change pushed by the hub, or a call of a snapshot. */
  apply(data, now = Date.now()) {
    if (!data?.call) return;
    const key = keyOf(data);
    const entry = this.#live.get(key);
    const state = data.call.state;
    if (entry && rank(entry.data.call.state) > rank(state)) return;
    if (entry?.data.call.state === state && entry.data.call.endedAt === data.call.endedAt) {
      entry.data = data;
      entry.updatedAt = now;
      this.onLive(key);
      return;
    }

    if (!entry && finalStates.has(state)) {
      // Finished before this dashboard saw it ring (it was offline): history only.
      this.#toRecent(data);
      return;
    }

    const previous = entry?.data.call.state ?? null;
    if (entry) {
      entry.data = data;
      entry.updatedAt = now;
    } else {
      this.#live.set(key, { key, data, updatedAt: now, selected: 0 });
    }
    if (finalStates.has(state)) this.#closeLater(key, linger[state]);
    this.onLive(key);
    this.onTransition(data, previous);
  }

  /** The agent closed a finished card early. */
  dismiss(key) {
    const entry = this.#live.get(key);
    if (entry && finalStates.has(entry.data.call.state)) this.#close(key);
  }

  /** Which of the customers sharing the number the card shows (0 = the best match). */
  select(key, index) {
    const entry = this.#live.get(key);
    if (!entry) return;
    entry.selected = index;
    this.onLive(key);
  }

  /**
   * The state after a (re)connect: the calls active now and the newest history. A card that was
   * live before the connection dropped and is no longer active finished meanwhile; its final
   * state comes from the history. Cards pushed since the snapshot was asked for are kept.
   */
  reconcile(active, recent, askedAt) {
    const activeKeys = new Set(active.map(keyOf));
    const history = new Map(recent.map(d => [keyOf(d), d]));
    for (const entry of [...this.#live.values()]) {
      if (finalStates.has(entry.data.call.state) || activeKeys.has(entry.key) || entry.updatedAt >= askedAt) continue;
      const final = history.get(entry.key);
      if (final && finalStates.has(final.call.state)) {
        this.apply(final);
      } else {
        this.#live.delete(entry.key);
        this.onLive(entry.key);
      }
    }
    for (const data of active) this.apply(data);
    this.#recent = recent.filter(d => !this.#live.has(keyOf(d))).sort(newestFirst).slice(0, this.limit);
    this.onRecent();
  }

  clear() {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    const keys = [...this.#live.keys()];
    this.#live.clear();
    this.#recent = [];
    for (const key of keys) this.onLive(key);
    this.onRecent();
  }

  #closeLater(key, delay) {
    clearTimeout(this.#timers.get(key));
    this.#timers.set(key, setTimeout(() => this.#close(key), delay));
  }

  #close(key) {
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
    const entry = this.#live.get(key);
    if (!entry) return;
    this.#live.delete(key);
    this.onLive(key);
    this.#toRecent(entry.data);
  }

  #toRecent(data) {
    const key = keyOf(data);
    this.#recent = [data, ...this.#recent.filter(d => keyOf(d) !== key)].sort(newestFirst).slice(0, this.limit);
    this.onRecent();
  }
}
