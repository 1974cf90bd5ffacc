// The agent dashboard: sign-in, the live link to the hub, the call cards and the recent list.

import { Alerts } from './alerts.js';
import { CallStore, keyOf } from './calls.js';
import { CallsConnection } from './connection.js';
import { drawIcons, icon } from './dom.js';
import { callerNumber, digits, formatAmount, formatDuration, formatWait } from './format.js';
import { language, onLanguageChange, setLanguage, storedLanguage, t } from './i18n.js';
import { drawLookup, lookUp } from './lookup-view.js';
import { BrowserPhone } from './phone.js';
import { drawPhoneState, phoneOnlyCard } from './phone-view.js';
import { callerLabel, directionOf, drawCard, extensionLabel, recentItem, shownMatch } from './view.js';

const $ = selector => document.querySelector(selector);

const ui = {
  signIn: $('#sign-in'),
  signInForm: $('#sign-in-form'),
  username: $('#username'),
  password: $('#password'),
  signInButton: $('#sign-in-button'),
  signInMessage: $('#sign-in-message'),
  dashboard: $('#dashboard'),
  agentName: $('#agent-name'),
  agentExtensions: $('#agent-extensions'),
  connection: $('#connection'),
  connectionLabel: $('#connection-label'),
  reconnect: $('#reconnect'),
  alerts: $('#alerts-toggle'),
  alertsNote: $('#alerts-note'),
  signOut: $('#sign-out'),
  cards: $('#cards'),
  liveCount: $('#live-count'),
  empty: $('#empty'),
  emptyHint: $('#empty-hint'),
  recentList: $('#recent-list'),
  recentFilter: $('#recent-filter'),
  recentEmpty: $('#recent-empty'),
  announcer: $('#announcer'),
  phoneState: $('#phone-state'),
  phoneCalls: $('#phone-calls'),
  phoneMessage: $('#phone-message'),
  phoneAudio: $('#phone-audio'),
  diagnosticsLink: $('#diagnostics-link'),
  lookupForm: $('#lookup-form'),
  lookupNumber: $('#lookup-number'),
  lookupResult: $('#lookup-result'),
};

const alerts = new Alerts();
let session = null; // { me, store, connection, status, settings, phone }

// The server's clock runs the call timers; a browser clock that is off would show wrong durations.
let clockOffset = 0;
const serverNow = () => Date.now() + clockOffset;

drawIcons(document);
setLanguage(storedLanguage() ?? 'fa');
wireControls();
boot();

async function boot() {
  const me = await request('/api/auth/me').catch(() => null);
  if (me?.ok) await openDashboard(await me.json());
  else showSignIn();
}

function wireControls() {
  for (const button of document.querySelectorAll('.language-toggle')) {
    button.addEventListener('click', () => setLanguage(language() === 'fa' ? 'en' : 'fa', { remember: true }));
  }
  onLanguageChange(() => {
    drawLanguageToggles();
    drawSignInMessage();
    if (session) drawAll();
  });
  drawLanguageToggles();

  ui.signInForm.addEventListener('submit', signIn);
  ui.lookupForm.addEventListener('submit', searchNumber);
  ui.signOut.addEventListener('click', signOut);
  ui.reconnect.addEventListener('click', () => session?.connection.retryNow());
  ui.alerts.addEventListener('click', async () => {
    if (alerts.enabled) alerts.disable();
    else await alerts.enable();
    drawAlerts();
  });
  setInterval(tick, 1000);
}

function drawLanguageToggles() {
  for (const button of document.querySelectorAll('.language-toggle')) {
    button.querySelector('.language-name').textContent = t('otherLanguage');
    button.setAttribute('lang', language() === 'fa' ? 'en' : 'fa');
    button.setAttribute('aria-label', t('otherLanguageLabel'));
    button.title = t('otherLanguageLabel');
  }
}

// ---- sign-in ----------------------------------------------------------------------------

let signInMessage = null; // { key, values, tone }, kept so that a language switch can redraw it

function showSignIn(key = null, tone = 'info') {
  ui.dashboard.hidden = true;
  ui.signIn.hidden = false;
  showSignInMessage(key, {}, tone);
  (ui.username.value ? ui.password : ui.username).focus();
}

function showSignInMessage(key, values = {}, tone = 'error') {
  signInMessage = key ? { key, values, tone } : null;
  drawSignInMessage();
}

function drawSignInMessage() {
  ui.signInMessage.hidden = !signInMessage;
  if (!signInMessage) return;
  const values = Object.fromEntries(Object.entries(signInMessage.values).map(([name, value]) => [name, typeof value === 'function' ? value() : value]));
  ui.signInMessage.textContent = t(signInMessage.key, values);
  ui.signInMessage.dataset.tone = signInMessage.tone;
}

let lockedUntil = 0;

async function signIn(event) {
  event.preventDefault();
  if (Date.now() < lockedUntil) return;
  setBusy(true);
  let response;
  try {
    response = await request('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: ui.username.value.trim(), password: ui.password.value }),
    });
  } catch {
    setBusy(false);
    showSignInMessage('signInUnreachable');
    return;
  }
  setBusy(false);
  if (response.ok) {
    ui.password.value = '';
    showSignInMessage(null);
    await openDashboard(await response.json());
  } else if (response.status === 429) {
    lockOut(Number.parseInt(response.headers.get('Retry-After') ?? '60', 10) || 60);
  } else if (response.status === 401) {
    showSignInMessage('wrongPassword');
    ui.password.select();
  } else {
    showSignInMessage('signInUnreachable');
  }
}

/** Too many failures: say how long to wait, count it down, and keep the button off meanwhile. */
function lockOut(seconds) {
  lockedUntil = Date.now() + seconds * 1000;
  ui.signInButton.disabled = true;
  const update = () => {
    const left = Math.ceil((lockedUntil - Date.now()) / 1000);
    if (left <= 0) {
      clearInterval(timer);
      ui.signInButton.disabled = false;
      showSignInMessage(null);
      return;
    }
    drawSignInMessage();
  };
  showSignInMessage('tooManyAttempts', { wait: () => formatWait(Math.ceil((lockedUntil - Date.now()) / 1000), language(), t) });
  const timer = setInterval(update, 1000);
  update();
}

function setBusy(busy) {
  ui.signInButton.disabled = busy;
  ui.signInButton.querySelector('.button-text').textContent = t(busy ? 'signingIn' : 'signIn');
  ui.signInForm.setAttribute('aria-busy', String(busy));
}

async function signOut() {
  await closeSession();
  await request('/api/auth/logout', { method: 'POST' }).catch(() => null);
  showSignIn('signedOut', 'info');
}

async function closeSession() {
  if (!session) return;
  const current = session;
  session = null;
  await current.connection.stop().catch(() => {});
  await current.phone?.stop();
  ui.phoneState.hidden = true;
  ui.phoneCalls.replaceChildren();
  ui.phoneMessage.hidden = true;
  phoneMatches.clear();
  current.store.clear();
  ui.cards.replaceChildren();
  ui.recentList.replaceChildren();
  lookupResult = null;
  ui.lookupNumber.value = '';
  drawLookupResult();
  drawTitle();
}

// ---- the dashboard ------------------------------------------------------------------------

async function openDashboard(me) {
  await closeSession();
  const settings = await request('/api/dashboard/settings').then(r => (r.ok ? r.json() : null)).catch(() => null);
  if (!storedLanguage() && settings?.defaultLanguage) setLanguage(settings.defaultLanguage);

  const store = new CallStore({
    limit: settings?.recentCalls ?? 50,
    onLive: key => {
      drawLive(key);
      if (session?.phone) phoneChanged(session.phone);
    },
    onRecent: () => drawRecent(),
    onTransition: (data, previous) => announce(data, previous),
  });
  const connection = new CallsConnection({
    onCall: data => session?.store.apply(data, Date.now()),
    onStatus: status => drawConnection(status),
    onSnapshot: async (active, askedAt) => {
      const response = await request(`/api/calls/recent?limit=${store.limit}`);
      if (!response.ok) throw Object.assign(new Error(`recent calls: ${response.status}`), { statusCode: response.status });
      store.reconcile(active, await response.json(), askedAt);
    },
    onUnauthorized: () => sessionEnded(),
  });
  session = { me, store, connection, status: 'connecting', settings, phone: null };

  ui.signIn.hidden = true;
  ui.dashboard.hidden = false;
  ui.diagnosticsLink.hidden = !me.seesAllExtensions; // the diagnostics page is for supervisors
  drawAll();
  startPhone(session);
  await connection.start();
}

async function sessionEnded() {
  await closeSession();
  showSignIn('sessionEnded', 'info');
}

/** One line per extension set: «داخلی ۱۰۰۸», «داخلی‌های ۱۰۰۸، ۱۰۰۹», or all of them. */
function extensionsText(me) {
  if (me.seesAllExtensions) return t('allExtensions');
  const list = me.extensions.map(e => digits(e, language())).join(language() === 'fa' ? '، ' : ', ');
  return t(me.extensions.length > 1 ? 'extensions' : 'extension', { ext: list });
}

function viewContext() {
  const me = session.me;
  return {
    t,
    language: language(),
    showExtension: me.seesAllExtensions || me.extensions.length > 1,
    onDismiss: key => session?.store.dismiss(key),
    onSelect: (key, index) => session?.store.select(key, index),
    phoneFor: entry => phoneCallOf(entry.key),
    phoneActions,
    onDial: canDial() ? dial : null,
  };
}

function drawAll() {
  const { me, store } = session;
  ui.agentName.textContent = me.displayName || me.name;
  ui.agentExtensions.textContent = extensionsText(me);
  ui.emptyHint.textContent = me.seesAllExtensions
    ? t('noCallsHintAll')
    : t('noCallsHint', { ext: extensionsText(me) });
  drawConnection(session.status);
  drawAlerts();
  ui.cards.replaceChildren();
  for (const entry of store.live) drawLive(entry.key);
  drawRecent();
  drawLookupResult();
  if (session.phone) phoneChanged(session.phone);
}

function drawConnection(status) {
  if (!session) return;
  session.status = status;
  ui.connection.dataset.status = status;
  ui.connectionLabel.textContent = t(`connection.${status}`);
  ui.reconnect.hidden = status !== 'disconnected';
}

function drawAlerts() {
  const on = alerts.enabled;
  ui.alerts.setAttribute('aria-pressed', String(on));
  ui.alerts.replaceChildren(icon(on ? 'bellOn' : 'bell'), Object.assign(document.createElement('span'), { className: 'button-text', textContent: t(on ? 'alertsOn' : 'alertsOff') }));
  ui.alerts.title = t(on ? 'alertsOnLabel' : 'alertsOffLabel');
  ui.alertsNote.hidden = !(on && alerts.notificationsBlocked);
  ui.alertsNote.textContent = t('alertsBlocked');
}

/** Draws (or removes) one call's card, keeping the keyboard focus where it was. */
function drawLive(key) {
  if (!session) return;
  const entry = session.store.entry(key);
  let article = [...ui.cards.children].find(card => card.dataset.key === key);
  if (!entry) {
    article?.remove();
    drawLiveCount();
    return;
  }
  const focused = article?.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
  if (!article) {
    article = document.createElement('article');
    article.className = 'call-card';
    article.dataset.key = key;
    article.dataset.callId = entry.data.call.id;
    article.dataset.extension = entry.data.call.extension;
    const order = session.store.live.map(e => e.key);
    const next = [...ui.cards.children].find(card => order.indexOf(card.dataset.key) > order.indexOf(key));
    ui.cards.insertBefore(article, next ?? null);
  }
  drawCard(article, entry, viewContext(), serverNow());
  if (focused) article.querySelector(`[data-focus="${focused}"]`)?.focus();
  drawLiveCount();
}

function drawLiveCount() {
  const count = ui.cards.children.length;
  ui.liveCount.textContent = digits(count, language());
  ui.liveCount.hidden = count === 0;
  ui.empty.hidden = count > 0;
  drawTitle();
}

/** The tab's title names a ringing caller, for an agent who is working in another tab. */
function drawTitle() {
  // The agent's own outgoing calls ring at the far end: not a call to pick up.
  const ringing = session?.store.live.filter(entry => entry.data.call.state === 'ringing' && directionOf(entry.data.call) !== 'outbound') ?? [];
  document.title = ringing.length === 0
    ? t('appName')
    : `(${digits(ringing.length, language())}) ${t('titleRinging', { name: callerLabel(ringing[0].data, viewContext()) })} · ${t('appName')}`;
}

function drawRecent() {
  if (!session) return;
  const context = viewContext();
  const missedIncomingOnly = ui.recentFilter.getAttribute('aria-pressed') === 'true';
  const items = session.store.recent
    .filter(data => !missedIncomingOnly || (data.call.state === 'missed' && directionOf(data.call) === 'inbound'))
    .map(data => recentItem(data, context));
  ui.recentList.replaceChildren(...items);
  ui.recentEmpty.hidden = items.length > 0;
  ui.recentEmpty.textContent = t(missedIncomingOnly ? 'noMissedIncoming' : 'noRecent');
}

/** The agent's call-back list: only the incoming calls nobody answered. */
ui.recentFilter.addEventListener('click', () => {
  ui.recentFilter.setAttribute('aria-pressed', String(ui.recentFilter.getAttribute('aria-pressed') !== 'true'));
  drawRecent();
});

// ---- the number search ----------------------------------------------------------------------

let lookupResult = null; // the last search's result, redrawn on a language switch or a phone change

/** The REST lookup for a typed number, shown with a one-click call button. */
async function searchNumber(event) {
  event.preventDefault();
  const number = ui.lookupNumber.value;
  if (!session || !number.trim()) return;
  const current = session;
  const result = await lookUp(number, request);
  if (session !== current) return;
  lookupResult = result;
  drawLookupResult();
}

function drawLookupResult() {
  if (!session) {
    drawLookup(ui.lookupResult, null, null);
    return;
  }
  drawLookup(ui.lookupResult, lookupResult, viewContext());
}

/** Screen readers hear new calls; the chime and the notification follow the agent's choice. */
function announce(data, previous) {
  const context = viewContext();
  const name = callerLabel(data, context);
  const key = keyOf(data);
  const state = data.call.state;
  if (state === 'ringing' && previous === null && directionOf(data.call) === 'outbound') {
    ui.announcer.textContent = t('calling', { name }); // the agent places this call: no ring, no notification
  } else if (state === 'ringing' && previous === null) {
    ui.announcer.textContent = t('announceRinging', { name, ext: extensionLabel(data.call.extension, context) });
    const invoice = data.lookup === 'found' ? shownMatch(data, 0).lastInvoice : null;
    const body = [
      data.lookup === 'found' ? callerNumber(data, context.language) : null,
      invoice ? `${t('lastInvoice')}: ${formatAmount(invoice.totalAmount, invoice.currency, context.language)}` : null,
      extensionLabel(data.call.extension, context),
    ].filter(Boolean).join(context.language === 'fa' ? '، ' : ' · ');
    alerts.ring(key, t('notifyTitle', { name }), body);
  } else if (state !== 'ringing') {
    alerts.settle(key);
    if (state === 'answered' && previous === 'ringing') ui.announcer.textContent = t('announceAnswered', { name });
    if (state === 'missed') ui.announcer.textContent = t('announceMissed', { name });
  }
}

/** Once a second: the running clocks of ringing and answered calls. */
function tick() {
  const now = serverNow();
  for (const value of document.querySelectorAll('#cards .timer-value[data-live], #phone-calls .timer-value[data-live]')) {
    // The phone's talk time starts on this browser's clock, the cards' on the server's.
    value.textContent = formatDuration((value.dataset.clock === 'local' ? Date.now() : now) - Number(value.dataset.from), language());
  }
}

// ---- the browser phone --------------------------------------------------------------------

const phoneMatches = new Map(); // phone call id → card key
const phoneRinging = new Set();
let ringTimer = null;

const phoneActions = {
  answer: id => session?.phone?.answer(id),
  decline: id => session?.phone?.decline(id),
  hangUp: id => session?.phone?.hangUp(id),
  mute: id => session?.phone?.toggleMute(id),
  hold: id => session?.phone?.toggleHold(id),
  dtmf: (id, tone) => session?.phone?.dtmf(id, tone),
  dismiss: id => session?.phone?.dismiss(id),
};

/** Off unless this agent has a SIP account (GET /api/phone/settings: 404 none, 409 configured in part). */
async function startPhone(current) {
  const response = await request('/api/phone/settings').catch(() => null);
  if (session !== current) return;
  if (response?.status === 409) {
    ui.phoneState.hidden = false;
    ui.phoneState.dataset.status = 'failed';
    ui.phoneState.textContent = t('phone.error.notConfigured');
    return;
  }
  if (!response?.ok) return;
  const phone = new BrowserPhone(await response.json(), { onChange: changed => session?.phone === changed && phoneChanged(changed), audio: ui.phoneAudio });
  current.phone = phone;
  phone.start();
}

function phoneCallOf(key) {
  const phone = session?.phone;
  if (!phone) return null;
  for (const [id, matched] of phoneMatches) {
    if (matched === key && phone.calls.has(id)) return phone.calls.get(id);
  }
  return null;
}

/**
 * Card and SIP session are one: the INVITE's X-CallerId-Call header (the PBX's linkedid) names the
 * card's call; without it, the ringing card of the same number that started within a minute.
 */
function matchPhoneCalls(phone) {
  const live = session.store.live;
  const taken = new Set(phoneMatches.values());
  for (const call of phone.calls.values()) {
    if (call.direction !== 'incoming' || phoneMatches.has(call.id) || call.status === 'ended') continue;
    const byHeader = call.callId ? live.find(entry => entry.data.call.id === call.callId && !taken.has(entry.key)) : null;
    const byNumber = byHeader ?? (call.callId ? null : live.find(entry => !taken.has(entry.key)
      && entry.data.call.state === 'ringing'
      && sameNumber(entry.data.call.callerNumber || entry.data.call.normalizedNumber, call.number)
      && Math.abs(Date.parse(entry.data.call.startedAt) - (call.arrivedAt + clockOffset)) < 60_000));
    if (byNumber) {
      phoneMatches.set(call.id, byNumber.key);
      taken.add(byNumber.key);
    }
  }
}

function sameNumber(a, b) {
  const tail = value => String(value ?? '').replace(/\D/g, '').slice(-8);
  return tail(a).length >= 3 && tail(a) === tail(b);
}

function phoneChanged(phone) {
  if (!session) return;
  drawPhoneState(ui.phoneState, phone, t);
  matchPhoneCalls(phone);
  const liveKeys = new Set(session.store.live.map(entry => entry.key));
  for (const id of [...phoneMatches.keys()]) {
    if (!phone.calls.has(id)) phoneMatches.delete(id);
  }
  // Cards that carry a phone call (or did until now) are drawn again.
  for (const key of liveKeys) drawLive(key);

  const context = viewContext();
  const unmatched = [...phone.calls.values()].filter(call => {
    const key = phoneMatches.get(call.id);
    if (key && liveKeys.has(key)) return false;
    if (key) { // the card was closed: a finished call goes with it
      if (call.status === 'ended') phone.calls.delete(call.id);
      return call.status !== 'ended';
    }
    return true;
  });
  ui.phoneCalls.replaceChildren(...unmatched.map(call => phoneOnlyCard(call, context, phoneActions, Date.now())));
  if (unmatched.length) ui.empty.hidden = true;
  else drawLiveCount();

  ui.phoneMessage.hidden = !phone.lastError;
  ui.phoneMessage.textContent = phone.lastError ? t(phone.lastError) : '';
  ringPhone(phone);
  drawRecent(); // the dial buttons follow the registration
  drawLookupResult();
}

/** While the phone rings: the agent's chime (alerts.js) every three seconds and one notification. */
function ringPhone(phone) {
  const ringing = [...phone.calls.values()].filter(call => call.status === 'ringing');
  for (const call of ringing) {
    if (phoneRinging.has(call.id)) continue;
    phoneRinging.add(call.id);
    if (!phoneMatches.has(call.id)) alerts.ring(`phone|${call.id}`, t('phone.incomingFrom', { number: call.number }), t('phone.title'));
  }
  for (const id of [...phoneRinging]) {
    if (!ringing.some(call => call.id === id)) {
      phoneRinging.delete(id);
      alerts.settle(`phone|${id}`);
    }
  }
  if (ringing.length && !ringTimer) ringTimer = setInterval(() => alerts.enabled && alerts.chime(), 3000);
  if (!ringing.length && ringTimer) {
    clearInterval(ringTimer);
    ringTimer = null;
  }
}

/** One-click calls: through the browser phone when it is registered, else through the PBX (call control). */
function canDial() {
  return session?.phone?.state.status === 'registered' || (session?.settings?.callControl === true && !session.me.seesAllExtensions);
}

async function dial(number) {
  const phone = session?.phone;
  ui.phoneMessage.hidden = true;
  if (phone?.state.status === 'registered') {
    phone.lastError = null;
    await phone.call(number).catch(() => showPhoneMessage('phone.error.callRefused', { reason: '' }));
    return;
  }
  const response = await request('/api/calls/originate', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ extension: session.me.extensions[0], number }),
  }).catch(() => null);
  if (!response?.ok) showPhoneMessage('phone.error.originate', { reason: response ? String(response.status) : '' });
}

function showPhoneMessage(key, values = {}) {
  ui.phoneMessage.hidden = false;
  ui.phoneMessage.textContent = t(key, values);
}

// ---- HTTP -----------------------------------------------------------------------------------

async function request(url, options = {}) {
  const sentAt = Date.now();
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', ...options, headers: { Accept: 'application/json', ...options.headers } });
  const date = Date.parse(response.headers.get('Date') ?? '');
  if (!Number.isNaN(date)) {
    // The Date header has whole seconds; only an offset beyond that is worth correcting.
    const offset = date + 500 - (sentAt + Date.now()) / 2;
    clockOffset = Math.abs(offset) > 2000 ? offset : 0;
  }
  return response;
}
