// What the browser phone looks like: its state in the top bar, and the controls a call's card
// carries (Answer/Decline while it rings; Hang up, Mute, Hold, keypad and talk time once answered).

import { h, icon } from './dom.js';
import { digits, formatDuration, formatPhone } from './format.js';

const keypad = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/** The top bar's pill: registering / registered / failed with the reason / unregistered. */
export function drawPhoneState(element, phone, t) {
  const { status, reason, values } = phone.state;
  element.hidden = false;
  element.dataset.status = status;
  element.replaceChildren(...[
    h('span', { class: 'connection-dot', 'aria-hidden': 'true' }),
    h('span', { class: 'phone-state-label' }, t(`phone.${status}`)),
    reason ? h('span', { class: 'phone-state-reason' }, t(reason, values)) : null].filter(Boolean));
}

/**
 * The phone's part of a card. actions: {answer, decline, hangUp, mute, hold, dtmf, dismiss}(id).
 * @param {import('./phone.js').PhoneCall} call
 */
export function phoneControls(call, context, actions, now) {
  const { t, language } = context;
  const error = call.error ? h('p', { class: 'banner banner-warning phone-error', role: 'alert' }, icon('warning'), h('span', {}, t(call.error, call.errorValues))) : null;
  const button = (className, label, onclick, focus, extra = {}) =>
    h('button', { type: 'button', class: `button ${className}`, dataset: { focus }, onclick: () => onclick(call.id), ...extra }, label);

  let body;
  switch (call.status) {
    case 'ringing':
    case 'connecting':
      body = h('div', { class: 'phone-actions' },
        button('button-answer', [icon('phone'), t('phone.answer')], actions.answer, 'answer', { disabled: call.status === 'connecting' }),
        button('button-decline', [icon('close'), t('phone.decline')], actions.decline, 'decline', { disabled: call.status === 'connecting' }));
      break;
    case 'calling':
      body = h('div', { class: 'phone-actions' },
        h('span', { class: 'phone-note' }, t('phone.calling', { number: formatPhone(call.number, language) })),
        button('button-decline', [icon('close'), t('phone.hangUp')], actions.hangUp, 'hang-up'));
      break;
    case 'answered':
      body = [
        h('div', { class: 'phone-actions' },
          button('button-decline', [icon('close'), t('phone.hangUp')], actions.hangUp, 'hang-up'),
          button('button-quiet', t(call.muted ? 'phone.unmute' : 'phone.mute'), actions.mute, 'mute', { 'aria-pressed': String(call.muted) }),
          button('button-quiet', t(call.held ? 'phone.resume' : 'phone.hold'), actions.hold, 'hold', { 'aria-pressed': String(call.held) }),
          h('span', { class: 'phone-timer' },
            h('span', { class: 'timer-label' }, t('phone.talkTime')), ' ',
            h('span', { class: 'timer-value num', dir: 'ltr', role: 'timer', dataset: { from: String(call.answeredAt), live: '', clock: 'local' } },
              formatDuration(now - call.answeredAt, language)))),
        h('div', { class: 'keypad', role: 'group', 'aria-label': t('phone.keypad') },
          keypad.map(tone => h('button', { type: 'button', class: 'key num', dataset: { focus: `key-${tone}` }, onclick: () => actions.dtmf(call.id, tone) }, digits(tone, language)))),
      ];
      break;
    default:
      body = h('p', { class: 'muted phone-note' }, t('phone.ended'));
  }
  return h('section', { class: 'phone-call', dataset: { phoneStatus: call.status, phoneCall: call.id }, 'aria-label': t('phone.title') }, error, body);
}

/** A call on the browser phone that no card matched (an internal call, or one placed from here). */
export function phoneOnlyCard(call, context, actions, now) {
  const { t, language } = context;
  return h('article', { class: 'call-card phone-only', dataset: { state: call.status === 'answered' ? 'answered' : call.status === 'ended' ? 'ended' : 'ringing', phoneCall: call.id } },
    h('div', { class: 'call-accent', 'aria-hidden': 'true' }),
    h('header', { class: 'call-head' },
      h('span', { class: 'state-pill' }, h('span', { class: 'state-dot', 'aria-hidden': 'true' }), t(call.direction === 'incoming' ? 'phone.incoming' : 'phone.outgoing')),
      call.status === 'ended'
        ? h('button', { type: 'button', class: 'icon-button dismiss', 'aria-label': t('dismissLabel'), title: t('dismissLabel'), onclick: () => actions.dismiss(call.id) }, icon('close'))
        : null),
    h('div', { class: 'caller' },
      h('span', { class: 'avatar avatar-unknown', 'aria-hidden': 'true' }, icon('phone')),
      h('div', { class: 'caller-text' }, h('h3', { class: 'caller-name num', dir: 'ltr' }, formatPhone(call.number, language) || t('unknownTitle')))),
    phoneControls(call, context, actions, now));
}

/** A one-click call button for a number (shown when the phone is registered or call control is on). */
export function dialButton(number, context, onDial) {
  if (!number || !onDial) return null;
  const label = context.t('phone.callNumber', { number: formatPhone(number, context.language) });
  return h('button', { type: 'button', class: 'icon-button dial', 'aria-label': label, title: label, dataset: { focus: 'dial' }, onclick: () => onDial(number) }, icon('phone'));
}
