// The browser phone: a JsSIP user agent registered with the agent's WebRTC extension on the PBX
// (docs/browser-phone.md). It knows SIP, not cards: main.js matches its calls to the gateway's cards.
// window.JsSIP comes from lib/jssip.min.js, bundled from npm at build time.

const media = { audio: true, video: false };
// No STUN/TURN: the PBX is on the agents' network, and no address outside it should be offered.
const pcConfig = { iceServers: [] };
// After the answer, media that is not flowing by then will not: ICE without a usable candidate pair
// can stay 'checking' for good instead of failing.
const mediaDeadline = 10_000;

let ids = 0;

/**
 * A call on the browser phone, as main.js and phone-view.js see it.
 * @typedef {{id: string, direction: 'incoming'|'outgoing', number: string, callId: string|null, arrivedAt: number,
 *   status: 'ringing'|'calling'|'connecting'|'answered'|'ended', muted: boolean, held: boolean, answeredAt: number|null,
 *   error: string|null, errorValues: object}} PhoneCall
 */

export class BrowserPhone {
  #ua = null;
  #sessions = new Map();
  #streams = new Map();
  #onChange;
  #audio;

  /** status: connecting | registering | registered | unregistered | failed; reason: an i18n key when failed. */
  state = { status: 'connecting', reason: null, values: {} };

  /** @type {Map<string, PhoneCall>} */
  calls = new Map();

  constructor(settings, { onChange, audio }) {
    this.settings = settings;
    this.#onChange = onChange;
    this.#audio = audio;
  }

  get domain() {
    return this.settings.sipUri.replace(/^sips?:/, '').split('@').pop().split(/[;>]/)[0];
  }

  start() {
    const JsSIP = window.JsSIP;
    if (!JsSIP) {
      this.#setState('failed', 'phone.error.library');
      return;
    }
    let socket;
    try {
      socket = new JsSIP.WebSocketInterface(this.settings.webSocketUrl);
    } catch {
      this.#setState('failed', 'phone.error.unreachable');
      return;
    }
    const ua = new JsSIP.UA({
      sockets: [socket],
      uri: this.settings.sipUri,
      authorization_user: this.settings.username,
      password: this.settings.password,
      display_name: this.settings.displayName ?? undefined,
      register: true,
      session_timers: false,
      user_agent: 'CallerIdGateway dashboard',
    });
    this.#ua = ua;
    ua.on('connecting', () => this.state.status !== 'registered' && this.#setState('connecting'));
    ua.on('connected', () => this.#setState('registering'));
    // JsSIP reconnects by itself (2 s, then up to 30 s apart) and registers again once connected.
    ua.on('disconnected', () => this.#setState('failed', 'phone.error.unreachable'));
    ua.on('registered', () => this.#setState('registered'));
    ua.on('unregistered', () => this.#setState('unregistered'));
    ua.on('registrationFailed', event => {
      const { causes } = JsSIP.C;
      const code = event.response?.status_code;
      if (event.cause === causes.AUTHENTICATION_ERROR) this.#setState('failed', 'phone.error.auth');
      else if (event.cause === causes.CONNECTION_ERROR || event.cause === causes.REQUEST_TIMEOUT) this.#setState('failed', 'phone.error.unreachable');
      else this.#setState('failed', 'phone.error.refused', { reason: code ? `${code} ${event.response.reason_phrase ?? ''}`.trim() : event.cause });
    });
    ua.on('newRTCSession', ({ originator, session, request }) => this.#track(session, originator === 'remote' ? 'incoming' : 'outgoing', request));
    ua.start();
  }

  async stop() {
    for (const session of this.#sessions.values()) {
      try { session.terminate(); } catch { /* already over */ }
    }
    this.#ua?.stop();
    this.#ua = null;
  }

  /** Calls a number through the PBX; the promise settles once the call is placed (or refused before). */
  async call(number) {
    if (!this.#ua || this.state.status !== 'registered') throw new Error('not registered');
    const stream = await this.#microphone(null);
    if (!stream) return;
    const dialled = String(number).replace(/[^\d+*#]/g, '');
    const session = this.#ua.call(`sip:${dialled}@${this.domain}`, { mediaStream: stream, pcConfig, rtcOfferConstraints: { offerToReceiveAudio: true } });
    this.#streams.set(session, stream);
  }

  async answer(id) {
    const session = this.#sessions.get(id);
    const call = this.calls.get(id);
    if (!session || call?.status !== 'ringing') return;
    call.status = 'connecting';
    this.#changed();
    const stream = await this.#microphone(call);
    if (!stream) {
      // No microphone: the caller is told the agent cannot take it, the card says why.
      try { session.terminate({ status_code: 480, reason_phrase: 'No Microphone' }); } catch { /* gone meanwhile */ }
      return;
    }
    this.#streams.set(session, stream);
    try {
      session.answer({ mediaStream: stream, pcConfig, mediaConstraints: media });
    } catch {
      this.#fail(call, 'phone.error.media');
    }
  }

  decline(id) {
    try { this.#sessions.get(id)?.terminate({ status_code: 603, reason_phrase: 'Decline' }); } catch { /* gone meanwhile */ }
  }

  hangUp(id) {
    try { this.#sessions.get(id)?.terminate(); } catch { /* gone meanwhile */ }
  }

  toggleMute(id) {
    const session = this.#sessions.get(id);
    const call = this.calls.get(id);
    if (!session || !call) return;
    if (call.muted) session.unmute(media); else session.mute(media);
    call.muted = !call.muted;
    this.#changed();
  }

  toggleHold(id) {
    const session = this.#sessions.get(id);
    const call = this.calls.get(id);
    if (!session || !call) return;
    if (call.held) session.unhold(); else session.hold();
    call.held = !call.held;
    this.#changed();
  }

  dtmf(id, tone) {
    try { this.#sessions.get(id)?.sendDTMF(tone); } catch { /* not in a call */ }
  }

  /** Forgets a finished call (its card or panel entry was closed). */
  dismiss(id) {
    if (this.calls.get(id)?.status !== 'ended') return;
    this.calls.delete(id);
    this.#changed();
  }

  #track(session, direction, request) {
    const id = `phone-${++ids}`;
    const header = direction === 'incoming' ? request.getHeader('X-CallerId-Call') : null;
    /** @type {PhoneCall} */
    const call = {
      id, direction, number: session.remote_identity?.uri?.user ?? '', callId: header || null, arrivedAt: Date.now(),
      status: direction === 'incoming' ? 'ringing' : 'calling', muted: false, held: false, answeredAt: null, error: null, errorValues: {},
    };
    this.#sessions.set(id, session);
    this.calls.set(id, call);

    session.on('peerconnection', ({ peerconnection }) => this.#watch(call, peerconnection));
    if (session.connection) this.#watch(call, session.connection); // outgoing: made before the event could be heard
    session.on('accepted', () => {
      call.status = 'answered';
      call.answeredAt = Date.now();
      this.#changed();
      setTimeout(() => {
        const pc = session.connection;
        if (call.status === 'answered' && pc && pc.connectionState !== 'connected') this.#fail(call, 'phone.error.noAudio');
      }, mediaDeadline);
    });
    session.on('ended', () => this.#end(call, session, null));
    session.on('failed', event => this.#end(call, session, event));
    this.#changed();
  }

  #watch(call, peerconnection) {
    peerconnection.addEventListener('track', event => {
      this.#audio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      this.#audio.play?.().catch(() => {});
    });
    peerconnection.addEventListener('iceconnectionstatechange', () => {
      if (peerconnection.iceConnectionState === 'failed') this.#fail(call, 'phone.error.noAudio');
    });
    // DTLS failing after ICE connected shows here only.
    peerconnection.addEventListener('connectionstatechange', () => {
      if (peerconnection.connectionState === 'failed') this.#fail(call, 'phone.error.noAudio');
      else if (peerconnection.connectionState === 'connected' && call.error === 'phone.error.noAudio') this.#fail(call, null); // late, but here
    });
  }

  #end(call, session, failure) {
    const JsSIP = window.JsSIP;
    if (failure && !call.error) {
      const { causes } = JsSIP.C;
      const local = failure.originator === 'local';
      switch (failure.cause) {
        case causes.USER_DENIED_MEDIA_ACCESS: call.error = 'phone.error.microphone'; break;
        case causes.CONNECTION_ERROR: case causes.REQUEST_TIMEOUT: call.error = 'phone.error.unreachable'; break;
        case causes.RTP_TIMEOUT: case causes.WEBRTC_ERROR: call.error = 'phone.error.noAudio'; break;
        case causes.CANCELED: case causes.NO_ANSWER: case causes.EXPIRES: break; // the caller gave up: no error
        case causes.REJECTED: case causes.BUSY: if (local) break; // fall through: the other side refused
        default:
          if (!local || call.direction === 'outgoing') {
            call.error = 'phone.error.callRefused';
            call.errorValues = { reason: failure.message?.status_code ? `${failure.message.status_code} ${failure.message.reason_phrase ?? ''}`.trim() : failure.cause };
          }
      }
    }
    call.status = 'ended';
    call.held = false;
    for (const track of this.#streams.get(session)?.getTracks() ?? []) track.stop();
    this.#streams.delete(session);
    this.#sessions.delete(call.id);
    this.#changed();
  }

  #fail(call, key) {
    call.error = key;
    this.#changed();
  }

  /** The microphone, or null with the reason on the call (or the phone's state for a call not placed yet). */
  async #microphone(call) {
    try {
      return await navigator.mediaDevices.getUserMedia(media);
    } catch (error) {
      const key = error?.name === 'NotFoundError' || error?.name === 'OverconstrainedError' ? 'phone.error.noMicrophone'
        : error?.name === 'NotAllowedError' || error?.name === 'SecurityError' ? 'phone.error.microphone' : 'phone.error.media';
      if (call) {
        call.error = key;
        this.#changed();
      } else {
        this.lastError = key;
        this.#changed();
      }
      return null;
    }
  }

  #setState(status, reason = null, values = {}) {
    this.state = { status, reason, values };
    this.#changed();
  }

  #changed() {
    this.#onChange(this);
  }
}
