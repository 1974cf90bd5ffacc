// The live link to /hubs/calls (the session cookie authenticates it). Hub groups do not survive
// a reconnect, so every (re)connect subscribes again and takes a fresh snapshot before the
// dashboard says "connected".

/* global signalR */

const retryDelays = [0, 1000, 2000, 5000, 10000];
const retryDelay = attempt => retryDelays[attempt] ?? 15000;

export const isUnauthorized = error => error?.statusCode === 401 || /\b401\b/.test(String(error?.message ?? error ?? ''));

export class CallsConnection {
  #hub;
  #stopped = false;
  #restart = null;
  #attempt = 0;

  /**
   * @param {{onCall: (data: object) => void, onStatus: (status: string) => void,
   *          onSnapshot: (active: object[], askedAt: number) => Promise<void>, onUnauthorized: () => void}} hooks
   */
  constructor({ onCall, onStatus, onSnapshot, onUnauthorized }) {
    this.onStatus = onStatus;
    this.onSnapshot = onSnapshot;
    this.onUnauthorized = onUnauthorized;
    this.#hub = new signalR.HubConnectionBuilder()
      .withUrl('/hubs/calls')
      // Never give up while signed in; a refused session (401) stops the retries instead.
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: context => (isUnauthorized(context.retryReason) ? null : retryDelay(context.previousRetryCount)) })
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    this.#hub.on('CallChanged', onCall);
    this.#hub.onreconnecting(() => onStatus('reconnecting'));
    this.#hub.onreconnected(() => this.#synchronize());
    this.#hub.onclose(error => {
      if (this.#stopped) return;
      onStatus('disconnected');
      if (isUnauthorized(error)) onUnauthorized();
      else this.#startLater();
    });
  }

  async start() {
    this.#stopped = false;
    clearTimeout(this.#restart);
    this.onStatus(this.#attempt === 0 ? 'connecting' : 'reconnecting');
    try {
      await this.#hub.start();
    } catch (error) {
      if (this.#stopped) return;
      this.onStatus('disconnected');
      if (isUnauthorized(error)) this.onUnauthorized();
      else this.#startLater();
      return;
    }
    await this.#synchronize();
  }

  /** The agent asked to try now instead of waiting for the next attempt. */
  retryNow() {
    if (this.#hub.state === signalR.HubConnectionState.Disconnected) {
      this.#attempt = 0;
      this.start();
    }
  }

  async stop() {
    this.#stopped = true;
    clearTimeout(this.#restart);
    await this.#hub.stop();
  }

  #startLater() {
    clearTimeout(this.#restart);
    this.#restart = setTimeout(() => this.start(), retryDelay(++this.#attempt));
  }

  async #synchronize() {
    try {
      const askedAt = Date.now();
      await this.#hub.invoke('Subscribe', ['*']); // the server narrows "*" to the agent's extensions
      const active = await this.#hub.invoke('GetActiveCalls');
      await this.onSnapshot(active, askedAt);
      this.#attempt = 0;
      this.onStatus('connected');
    } catch (error) {
      if (this.#stopped) return;
      if (isUnauthorized(error)) {
        this.onUnauthorized();
        return;
      }
      // A half-working connection helps nobody: drop it; onclose starts the retry loop.
      await this.#hub.stop();
    }
  }
}
