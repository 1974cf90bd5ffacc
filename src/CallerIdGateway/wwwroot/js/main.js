// The agent dashboard: sign-in, the live link to the hub, the call cards and the recent list.

import { Alerts } from './alerts.js';
import { CallStore, keyOf } from './calls.js';
import { CallsConnection } from './connection.js';
import { drawIcons, icon } from './dom.js';
import { callerNumber, digits, formatAmount, formatDuration, formatWait } from './format.js';
import { language, onLanguageChange, setLanguage, storedLanguage, t } from './i18n.js';
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
};

const alerts = new Alerts();
let session = null; // { me, store, connection, status }

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
  current.store.clear();
  ui.cards.replaceChildren();
  ui.recentList.replaceChildren();
  drawTitle();
}

// ---- the dashboard ------------------------------------------------------------------------

async function openDashboard(me) {
  await closeSession();
  const settings = await request('/api/dashboard/settings').then(r => (r.ok ? r.json() : null)).catch(() => null);
  if (!storedLanguage() && settings?.defaultLanguage) setLanguage(settings.defaultLanguage);

  const store = new CallStore({
    limit: settings?.recentCalls ?? 50,
    onLive: key => drawLive(key),
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
  session = { me, store, connection, status: 'connecting' };

  ui.signIn.hidden = true;
  ui.dashboard.hidden = false;
  drawAll();
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
  for (const value of ui.cards.querySelectorAll('.timer-value[data-live]')) {
    value.textContent = formatDuration(now - Number(value.dataset.from), language());
  }
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
