// The supervisors' diagnostics page: the doctor's checks run live, the last call changes per
// monitored extension, and "explain this number". The checks' own words are the doctor's (English,
// with addresses and setting names); everything around them follows the dashboard's language.

import { drawIcons, h } from './dom.js';
import { digits, formatPhone, formatWhen } from './format.js';
import { language, onLanguageChange, setLanguage, storedLanguage, t } from './i18n.js';

const $ = selector => document.querySelector(selector);

const ui = {
  denied: $('#diag-denied'),
  main: $('#diag-main'),
  run: $('#run-checks'),
  summary: $('#checks-summary'),
  checks: $('#checks'),
  sources: $('#sources'),
  extensions: $('#extensions'),
  explainForm: $('#explain-form'),
  explainNumber: $('#explain-number'),
  explanation: $('#explanation'),
};

// What was last drawn, to draw again in the other language.
const shown = { checks: null, running: false, activity: null, explanation: null, error: null };

drawIcons(document);
setLanguage(storedLanguage() ?? 'fa');
drawLanguageToggles();
for (const button of document.querySelectorAll('.language-toggle')) {
  button.addEventListener('click', () => setLanguage(language() === 'fa' ? 'en' : 'fa', { remember: true }));
}
onLanguageChange(() => {
  drawLanguageToggles();
  drawAll();
});
ui.run.addEventListener('click', () => runChecks());
ui.explainForm.addEventListener('submit', explain);
start();

async function start() {
  // The activity answers at once; the checks may take seconds (a PBX that does not answer).
  if (!(await loadActivity())) return;
  ui.main.hidden = false;
  runChecks();
  setInterval(loadActivity, 5000);
}

/** False (and the reason shown) when this browser may not use the page. */
async function loadActivity() {
  const response = await get('/api/diagnostics/extensions');
  if (!response) return false;
  shown.activity = await response.json();
  drawActivity();
  return true;
}

async function runChecks() {
  shown.running = true;
  drawChecks();
  const response = await get('/api/diagnostics/checks');
  shown.running = false;
  if (response) shown.checks = await response.json();
  drawChecks();
}

async function explain(event) {
  event.preventDefault();
  const number = ui.explainNumber.value.trim();
  if (!number) {
    ui.explainNumber.focus();
    return;
  }
  const response = await get(`/api/diagnostics/number?number=${encodeURIComponent(number)}`);
  if (!response) return;
  shown.explanation = await response.json();
  drawExplanation();
}

/** The response when it is OK; otherwise the reason is shown and null returned. */
async function get(url) {
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
  } catch {
    response = { ok: false, status: 0 };
  }
  if (response.ok) return response;
  shown.error = response.status === 401 ? 'diagSignInFirst' : response.status === 403 ? 'diagSupervisorsOnly' : { status: response.status };
  drawError();
  if (response.status === 401 || response.status === 403) ui.main.hidden = true;
  return null;
}

function drawAll() {
  drawError();
  drawChecks();
  drawActivity();
  drawExplanation();
}

function drawError() {
  if (!shown.error) return;
  ui.denied.hidden = false;
  ui.denied.textContent = typeof shown.error === 'string' ? t(shown.error) : t('diagFailedToLoad', { status: digits(shown.error.status, language()) });
}

function drawChecks() {
  ui.run.disabled = shown.running;
  ui.run.textContent = t(shown.running ? 'diagRunning' : 'diagRunAgain');
  const result = shown.checks;
  if (!result) {
    ui.summary.textContent = shown.running ? t('diagRunning') : '';
    return;
  }
  const failed = result.lines.filter(line => line.outcome === 'failed').length;
  ui.summary.textContent = `${failed ? t('diagFailedCount', { n: digits(failed, language()) }) : t('diagAllPassed')} ${t('diagCheckedAt', { time: when(result.checkedAt) })}`;
  ui.checks.replaceChildren(...result.lines.map(drawLine));
}

function drawLine(line) {
  return h('li', { class: 'diag-line', dataset: { outcome: line.outcome } },
    h('span', { class: 'diag-outcome' }, t(`outcome.${line.outcome}`)),
    h('span', { class: 'diag-text', lang: 'en' }, h('span', { class: 'diag-subject' }, line.subject), ': ', line.finding),
    line.fix ? h('span', { class: 'diag-fix' }, t('diagFix'), ' ', h('span', { class: 'diag-text', lang: 'en' }, line.fix)) : null);
}

function drawActivity() {
  const activity = shown.activity;
  if (!activity) return;
  ui.sources.replaceChildren(...activity.sources.filter(s => s.enabled).map(source => h('li', {},
    t('diagSource', { source: source.source.toUpperCase(), state: source.state, time: source.lastEventAt ? when(source.lastEventAt) : t('diagNever') }))));
  ui.extensions.replaceChildren(...activity.extensions.map(drawExtension));
}

function drawExtension(item) {
  const title = h('h3', {}, t('extension', { ext: digits(item.extension, language()) }));
  if (item.events.length === 0) return h('div', { class: 'diag-extension', dataset: { extension: item.extension } }, title, h('p', { class: 'muted' }, t('diagNoEvents')));
  const head = h('tr', {}, ['diagTime', 'diagState', 'diagDirection', 'diagNumber', 'diagLookup', 'diagSourceColumn'].map(key => h('th', { scope: 'col' }, t(key))));
  const rows = item.events.map(event => h('tr', {},
    h('td', {}, when(event.at)),
    h('td', {}, t(`state.${event.state}`)),
    h('td', {}, t(`direction.${event.direction}`)),
    h('td', { class: 'ltr' }, formatPhone(event.number, language()) || event.number),
    h('td', {}, event.lookup),
    h('td', {}, event.source.toUpperCase())));
  return h('div', { class: 'diag-extension', dataset: { extension: item.extension } }, title,
    h('table', { class: 'diag-table' }, h('thead', {}, head), h('tbody', {}, rows)));
}

function drawExplanation() {
  if (!shown.explanation) return;
  ui.explanation.replaceChildren(...shown.explanation.lines.map(drawLine));
}

function when(value) {
  return formatWhen(value, language(), t);
}

function drawLanguageToggles() {
  for (const button of document.querySelectorAll('.language-toggle')) {
    button.querySelector('.language-name').textContent = t('otherLanguage');
    button.setAttribute('lang', language() === 'fa' ? 'en' : 'fa');
    button.setAttribute('aria-label', t('otherLanguageLabel'));
    button.title = t('otherLanguageLabel');
  }
}
