// What a call looks like: the live card and the line in the recent list. Pure functions of the
// payload (docs/contract.md) and the language; main.js decides when to draw.

import { h, icon } from './dom.js';
import { amountParts, callerNumber, digits, formatDate, formatDuration, formatPhone, formatTime, formatWhen, initial } from './format.js';
import { finalStates } from './calls.js';
import { dialButton, phoneControls } from './phone-view.js';

/**
 * @typedef {{t: Function, language: string, showExtension: boolean, onDismiss: Function, onSelect: Function,
 *   phoneFor?: Function, phoneActions?: object, onDial?: Function}} ViewContext
 * phoneFor(entry) gives the browser phone's call that is this card's (null: none); onDial(number) calls a number
 * (absent when neither the browser phone nor call control can).
 */

/** The customer the card shows: the best match, or one of the others the agent picked. */
export function shownMatch(data, selected) {
  const others = data.otherMatches ?? [];
  if (selected > 0 && others[selected - 1]) return others[selected - 1];
  return { customer: data.customer, lastInvoice: data.lastInvoice };
}

/** What the card's clock counts: ring time, then talk time; frozen once the call is over. */
export function timerOf(call) {
  const started = Date.parse(call.startedAt);
  const answered = call.answeredAt ? Date.parse(call.answeredAt) : null;
  const ended = call.endedAt ? Date.parse(call.endedAt) : null;
  switch (call.state) {
    case 'ringing': return { label: 'timer.ringing', from: started, to: null };
    case 'answered': return { label: 'timer.answered', from: answered ?? started, to: null };
    case 'ended': return { label: 'timer.ended', from: answered ?? started, to: ended };
    default: return { label: 'timer.missed', from: started, to: ended };
  }
}

/** inbound, outbound or internal; payloads from before the field existed are inbound. */
export const directionOf = call => call.direction ?? 'inbound';

/** A colleague's own call (not a consultation on a customer's behalf): no customer to show. */
const isColleague = data => data.lookup === 'colleague';

/** The colleague on the other end: the name the PBX or the directory gave, else the extension. */
function colleagueLabel(call, context) {
  return call.remoteName || context.t('extension', { ext: digits(call.remoteNumber, context.language) });
}

/** The name to speak or notify for a call. */
export function callerLabel(data, context) {
  const { t, language } = context;
  if (isColleague(data)) return colleagueLabel(data.call, context);
  if (data.lookup === 'noNumber') return t('withheldTitle');
  if (data.lookup === 'found' && data.customer) return data.customer.name;
  return callerNumber(data, language) || t('callerFallback');
}

export function extensionLabel(extension, context) {
  return context.t('extension', { ext: digits(extension, context.language) });
}

let ids = 0;

/** Fills a call's <article> (its children only, so the element and its place in the list stay). */
export function drawCard(article, entry, context, now) {
  const { data } = entry;
  const { call } = data;
  const { t, language } = context;
  const nameId = article.dataset.nameId ?? `call-name-${++ids}`;
  article.dataset.nameId = nameId;
  article.dataset.state = call.state;
  article.dataset.lookup = data.lookup;
  article.dataset.direction = directionOf(call);
  article.setAttribute('aria-labelledby', nameId);

  const timer = timerOf(call);
  const head = h('header', { class: 'call-head' },
    h('span', { class: 'state-pill' }, h('span', { class: 'state-dot', 'aria-hidden': 'true' }), t(stateKey(call))),
    h('span', { class: 'direction-pill', dataset: { direction: directionOf(call) } }, icon(directionIcon[directionOf(call)]), t(`direction.${directionOf(call)}`)),
    h('span', { class: 'call-meta' },
      context.showExtension ? h('span', { class: 'call-extension' }, t('onExtension', { ext: extensionLabel(call.extension, context) })) : null,
      h('time', { class: 'call-started', datetime: call.startedAt }, t('startedAt', { time: formatTime(call.startedAt, language) }))),
    h('span', { class: 'timer' },
      h('span', { class: 'timer-label' }, t(timer.label)),
      h('span', {
        class: 'timer-value num', dir: 'ltr', role: 'timer',
        dataset: { from: String(timer.from), ...(timer.to ? { to: String(timer.to) } : { live: '' }) },
      }, formatDuration((timer.to ?? now) - timer.from, language))),
    finalStates.has(call.state)
      ? h('button', { type: 'button', class: 'icon-button dismiss', 'aria-label': t('dismissLabel'), title: t('dismissLabel'), dataset: { focus: 'dismiss' }, onclick: () => context.onDismiss(entry.key) }, icon('close'))
      : null);

  const body = data.lookup === 'found' && data.customer ? customerBody(entry, context, nameId)
    : isColleague(data) ? colleagueBody(data, context, nameId)
      : otherBody(data, context, nameId);
  // Card and SIP session are one: the phone's controls sit under the caller.
  const phoneCall = context.phoneFor?.(entry);
  article.dataset.phone = phoneCall?.status ?? '';
  if (phoneCall) body.splice(1, 0, phoneControls(phoneCall, context, context.phoneActions, Date.now()));
  article.replaceChildren(...[h('div', { class: 'call-accent', 'aria-hidden': 'true' }), head, contextBanner(data, context), ...body].filter(Boolean));
}

const directionIcon = { inbound: 'incoming', outbound: 'outgoing', internal: 'users' };

/** An outbound call nobody answered is "not answered" (or busy), not "missed". */
function stateKey(call) {
  if (call.state !== 'missed' || directionOf(call) === 'inbound') return `state.${call.state}`;
  return call.outcome === 'busy' ? 'state.busy' : 'state.notAnswered';
}

/**
 * What the card is about when it is not simply "this caller rings": the customer being called, the colleague who is
 * transferring a customer (a consultation), where a transferred call came from or went.
 */
function contextBanner(data, context) {
  const { t, language } = context;
  const { call } = data;
  const transfer = call.transfer;
  const ext = value => digits(value ?? '…', language);
  const customer = data.lookup === 'found' && data.customer ? data.customer.name : callerNumber(data, language) || t('unknownTitle');
  let text = null;
  let kind = 'transfer';
  if (transfer && !transfer.completed && transfer.to === call.extension) {
    text = t('consulting', { from: call.remoteName || ext(transfer.from), ext: ext(transfer.from), name: customer });
  } else if (transfer && transfer.completed && transfer.from === call.extension) {
    text = t('transferredTo', { ext: ext(transfer.to), kind: t(`transfer.${transfer.kind}`) });
  } else if (transfer && transfer.completed) {
    text = t('transferredFrom', { ext: ext(transfer.from), kind: t(`transfer.${transfer.kind}`) });
  } else if (directionOf(call) === 'outbound') {
    kind = 'outbound';
    text = t(call.state === 'ringing' ? 'calling' : 'calledParty', { name: customer });
  }
  return text ? h('p', { class: `banner banner-${kind}`, dataset: { banner: kind } }, icon(kind === 'outbound' ? 'outgoing' : 'transfer'), h('span', {}, text)) : null;
}

/** A colleague calls (or is called): who, by name and extension; no customer, no create-customer link. */
function colleagueBody(data, context, nameId) {
  const { t, language } = context;
  const { call } = data;
  return [h('div', { class: 'caller' },
    h('span', { class: 'avatar avatar-colleague', 'aria-hidden': 'true' }, icon('users')),
    h('div', { class: 'caller-text' },
      h('h3', { class: 'caller-name', id: nameId }, colleagueLabel(call, context)),
      h('p', { class: 'caller-subtitle' }, t('colleagueHint', { ext: digits(call.remoteNumber, language) }))))];
}

function elsewhereBanner(call, context) {
  if (call.state !== 'answeredElsewhere') return null;
  const text = call.answeredBy ? context.t('answeredBy', { ext: digits(call.answeredBy, context.language) }) : context.t('answeredByUnknown');
  return h('p', { class: 'banner banner-elsewhere' }, icon('elsewhere'), h('span', {}, text));
}

function customerBody(entry, context, nameId) {
  const { data } = entry;
  const { t, language } = context;
  const { customer, lastInvoice } = shownMatch(data, entry.selected);
  const number = callerNumber(data, language);
  const matchCount = 1 + (data.otherMatches?.length ?? 0);

  const caller = h('div', { class: 'caller' },
    h('span', { class: 'avatar', 'aria-hidden': 'true', dataset: { hue: String(hue(customer.name)) } }, initial(customer.name)),
    h('div', { class: 'caller-text' },
      h('h3', { class: 'caller-name', id: nameId }, customer.name),
      number ? h('p', { class: 'caller-number num', dir: 'ltr' }, number) : null),
    dialButton(rawNumber(data), context, context.onDial));

  const switcher = matchCount > 1
    ? h('div', { class: 'matches', role: 'group', 'aria-label': t('chooseCustomer') },
      h('p', { class: 'matches-note' }, icon('users'), t('sharedNumber', { n: digits(matchCount, language) })),
      h('div', { class: 'segmented' },
        [data.customer, ...data.otherMatches.map(m => m.customer)].map((c, index) =>
          h('button', {
            type: 'button', class: 'segment', 'aria-pressed': String(index === (entry.selected ?? 0)),
            dataset: { focus: `match-${index}` }, onclick: () => context.onSelect(entry.key, index),
          }, c.name))))
    : null;

  const numbers = customer.phoneNumbers?.length
    ? h('section', { class: 'numbers', 'aria-label': t('customerNumbers') },
      h('h4', { class: 'section-label' }, t('customerNumbers')),
      h('ul', { class: 'chips' }, customer.phoneNumbers.map(stored => {
        const matched = stored === customer.matchedNumber; // the gateway names the entry that matched the caller
        return h('li', { class: matched ? 'chip chip-matched' : 'chip', title: matched ? t('matchedNumber') : null },
          matched ? h('span', { class: 'visually-hidden' }, `${t('matchedNumber')}: `) : null,
          h('span', { class: 'num', dir: 'ltr' }, formatPhone(stored, language)));
      })))
    : null;

  const profile = customer.profileUrl
    ? h('a', {
      class: 'button button-primary', href: customer.profileUrl, target: '_blank', rel: 'noopener noreferrer',
      'aria-label': t('openProfileLabel', { name: customer.name }), dataset: { focus: 'profile' },
    }, icon('external'), t('openProfile'))
    : null;

  return [caller, elsewhereBanner(data.call, context), switcher, invoiceSection(lastInvoice, context), numbers,
    profile ? h('footer', { class: 'call-actions' }, profile) : null];
}

function invoiceSection(invoice, context) {
  const { t, language } = context;
  if (!invoice) {
    return h('section', { class: 'invoice invoice-empty', 'aria-label': t('lastInvoice') },
      h('h4', { class: 'section-label' }, icon('invoice'), t('lastInvoice')),
      h('p', { class: 'muted' }, t('noInvoice')));
  }
  const amount = amountParts(invoice.totalAmount, invoice.currency, language);
  const status = String(invoice.status || '').toLowerCase();
  return h('section', { class: 'invoice', 'aria-label': t('lastInvoice'), dataset: { status } },
    h('div', { class: 'invoice-head' },
      h('h4', { class: 'section-label' }, icon('invoice'), t('lastInvoice')),
      h('span', { class: 'status-pill', dataset: { status } }, t(`invoice.${status}`) === `invoice.${status}` ? invoice.status : t(`invoice.${status}`))),
    h('p', { class: 'invoice-amount' }, h('span', { class: 'amount' }, amount.number), ' ', h('span', { class: 'currency' }, amount.currency)),
    h('dl', { class: 'invoice-meta' },
      h('div', {}, h('dt', {}, t('invoiceNumber')), h('dd', { class: 'invoice-number num', dir: 'ltr' }, invoice.number)),
      h('div', {}, h('dt', {}, t('invoiceDate')), h('dd', { class: 'invoice-date' }, h('time', { datetime: invoice.issuedAt }, formatDate(invoice.issuedAt, language))))));
}

/** Unknown number, withheld number, or a database that did not answer. */
function otherBody(data, context, nameId) {
  const { t, language } = context;
  const number = callerNumber(data, language);
  const kind = data.lookup === 'noNumber' ? 'withheld' : data.lookup === 'unavailable' ? 'unavailable' : 'unknown';
  const avatarIcon = { withheld: 'lock', unavailable: 'warning', unknown: 'user' }[kind];
  const title = kind === 'withheld' ? t('withheldTitle') : number || t('unknownTitle');
  const subtitle = kind === 'withheld' ? t('withheldHint') : kind === 'unavailable' ? null : t('unknownTitle');

  const caller = h('div', { class: 'caller' },
    h('span', { class: `avatar avatar-${kind}`, 'aria-hidden': 'true' }, icon(avatarIcon)),
    h('div', { class: 'caller-text' },
      h('h3', { class: kind === 'withheld' ? 'caller-name' : 'caller-name num', id: nameId, dir: kind === 'withheld' ? null : 'ltr' }, title),
      subtitle ? h('p', { class: 'caller-subtitle' }, subtitle) : null),
    kind === 'withheld' ? null : dialButton(rawNumber(data), context, context.onDial));

  const notice = kind === 'unavailable'
    ? h('p', { class: 'banner banner-warning', role: 'note' }, icon('warning'),
      h('span', {}, h('strong', {}, t('unavailableTitle')), h('br'), t('unavailableHint')))
    : kind === 'unknown' ? h('p', { class: 'muted hint' }, t('unknownHint')) : null;

  const create = kind === 'unknown' && data.newCustomerUrl
    ? h('footer', { class: 'call-actions' },
      h('a', { class: 'button button-primary', href: data.newCustomerUrl, target: '_blank', rel: 'noopener noreferrer', dataset: { focus: 'create' } },
        icon('userPlus'), t('createCustomer')))
    : null;

  return [caller, elsewhereBanner(data.call, context), notice, create];
}

/** One line of the recent list. */
export function recentItem(data, context) {
  const { t, language } = context;
  const { call } = data;
  const number = callerNumber(data, language);
  const found = data.lookup === 'found' && data.customer;
  const named = found || data.lookup === 'noNumber' || isColleague(data);
  const name = found ? data.customer.name : isColleague(data) ? colleagueLabel(call, context) : data.lookup === 'noNumber' ? t('withheldTitle') : number || t('unknownTitle');
  const nameElement = found && data.customer.profileUrl
    ? h('a', { href: data.customer.profileUrl, target: '_blank', rel: 'noopener noreferrer' }, name)
    : h('span', { class: named ? null : 'num', dir: named ? null : 'ltr' }, name);

  const direction = directionOf(call);
  const timer = timerOf(call);
  const tag = call.state === 'missed'
    ? h('span', { class: 'recent-tag tag-missed' }, direction === 'inbound' ? t('recentMissed') : t(stateKey(call)))
    : call.state === 'answeredElsewhere'
      ? h('span', { class: 'recent-tag' }, t('recentAnsweredElsewhere', { ext: digits(call.answeredBy ?? '…', language) }))
      : call.state === 'ended'
        ? h('span', { class: 'recent-tag num', dir: 'ltr', title: t('timer.ended') }, formatDuration(timer.to - timer.from, language))
        : h('span', { class: 'recent-tag' }, t(`state.${call.state}`));

  const kindIcon = call.state === 'missed' && direction === 'inbound' ? 'missed' : call.state === 'answeredElsewhere' ? 'elsewhere' : directionIcon[direction];
  const transfer = call.transfer?.completed
    ? (call.transfer.from === call.extension ? t('recentTransferredTo', { ext: digits(call.transfer.to ?? '…', language) }) : t('recentTransferredFrom', { ext: digits(call.transfer.from, language) }))
    : null;
  return h('li', { class: 'recent-item', dataset: { state: call.state, direction, key: `${call.id}|${call.extension}` } },
    h('span', { class: 'recent-icon', title: t(`direction.${direction}`) }, icon(kindIcon), h('span', { class: 'visually-hidden' }, t(`direction.${direction}`))),
    h('div', { class: 'recent-main' },
      h('p', { class: 'recent-name' }, nameElement),
      h('p', { class: 'recent-sub' },
        found && number ? h('span', { class: 'num', dir: 'ltr' }, number) : null,
        found && number && context.showExtension ? h('span', { class: 'separator', 'aria-hidden': 'true' }) : null,
        context.showExtension ? h('span', {}, extensionLabel(call.extension, context)) : null,
        transfer ? h('span', { class: 'recent-transfer' }, transfer) : null)),
    h('div', { class: 'recent-side' },
      h('time', { datetime: call.startedAt }, formatWhen(call.startedAt, language, t)),
      tag),
    data.lookup === 'noNumber' ? null : dialButton(rawNumber(data), context, context.onDial));
}

/** The caller's number as dialled back: the national form the gateway normalized, else what the PBX sent. */
function rawNumber(data) {
  const call = data.call ?? {};
  const number = call.normalizedNumber || data.number?.normalized || call.callerNumber || data.number?.input || '';
  return number.replace(/^\+98/, '0');
}

/** A stable colour per name, so the same customer always gets the same avatar. */
function hue(name) {
  let sum = 0;
  for (const char of String(name)) sum = (sum * 31 + char.codePointAt(0)) % 360;
  return Math.floor(sum / 60); // six soft tints in the stylesheet
}
