// Opt-in alerts for a ringing call: a short chime made with the Web Audio API (no sound files)
// and a browser notification while the dashboard is not in front. Browsers allow sound only
// after the agent has interacted with the page, so the audio context is opened on a click.

const storageKey = 'callerid.alerts';

export class Alerts {
  #audio = null;
  #notifications = new Map();

  constructor() {
    this.enabled = read() === 'on';
    // After a reload the first click or key press anywhere unlocks the sound again.
    const unlock = () => this.enabled && this.#unlockAudio();
    document.addEventListener('pointerdown', unlock, { capture: true });
    document.addEventListener('keydown', unlock, { capture: true });
  }

  get notificationsBlocked() {
    return !('Notification' in window) || Notification.permission === 'denied';
  }

  /** Call from a click: remembers the choice, asks for notification permission, unlocks the sound. */
  async enable() {
    this.enabled = true;
    write('on');
    this.#unlockAudio();
    if ('Notification' in window && Notification.permission === 'default') {
      try {
        await Notification.requestPermission();
      } catch {
        // Old browsers want a callback; the sound works either way.
      }
    }
    this.chime();
  }

  disable() {
    this.enabled = false;
    write('off');
  }

  /** A call started ringing: chime, and notify when the agent is looking elsewhere. */
  ring(tag, title, body) {
    if (!this.enabled) return;
    this.chime();
    if (!('Notification' in window) || Notification.permission !== 'granted' || (document.visibilityState === 'visible' && document.hasFocus())) return;
    try {
      const notification = new Notification(title, { body, tag, icon: 'favicon.svg', lang: document.documentElement.lang, dir: document.documentElement.dir });
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
      this.#notifications.set(tag, notification);
    } catch {
      // Some browsers allow notifications only from a service worker; the chime already played.
    }
  }

  /** The call stopped ringing: its notification is stale. */
  settle(tag) {
    this.#notifications.get(tag)?.close();
    this.#notifications.delete(tag);
  }

  /** Two soft two-note rings, about a second long. */
  chime() {
    const audio = this.#unlockAudio();
    if (!audio || audio.state !== 'running') return;
    const start = audio.currentTime + 0.02;
    const notes = [[0, 1046.5], [0.16, 784], [0.5, 1046.5], [0.66, 784]];
    for (const [offset, frequency] of notes) tone(audio, start + offset, frequency, 0.22);
  }

  #unlockAudio() {
    const AudioContext = window.AudioContext ?? window.webkitAudioContext;
    if (!AudioContext) return null;
    this.#audio ??= new AudioContext();
    if (this.#audio.state === 'suspended') this.#audio.resume().catch(() => {});
    return this.#audio;
  }
}

function tone(audio, at, frequency, length) {
  const gain = audio.createGain();
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(0.18, at + 0.015);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
  gain.connect(audio.destination);
  // A quiet octave above gives the sine a bell-like colour.
  for (const [multiple, level] of [[1, 1], [2, 0.25]]) {
    const oscillator = audio.createOscillator();
    const partial = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency * multiple;
    partial.gain.value = level;
    oscillator.connect(partial).connect(gain);
    oscillator.start(at);
    oscillator.stop(at + length + 0.05);
  }
}

function read() {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

function write(value) {
  try {
    localStorage.setItem(storageKey, value);
  } catch {
    // Storage refused (private window): the choice lasts for this page only.
  }
}
