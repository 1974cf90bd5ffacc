// The number search: the REST lookup (GET /api/customers/by-phone/{number}) for a number the agent
// types, with the customer, the last invoice and a one-click call button (docs/browser-phone.md).

import { dialButton } from './phone-view.js';
import { h, icon } from './dom.js';
import { formatAmount, formatDate, formatPhone } from './format.js';

/**
 * What the search found, as main.js keeps it (so a language switch or the phone's registration can redraw it).
 * @typedef {{status: 'found'|'notFound'|'invalid'|'unavailable'|'error', number: string, data?: object, newCustomerUrl?: string|null}} LookupResult
 */

/** Asks the gateway; never throws. */
export async function lookUp(number, request) {
  const typed = number.trim();
  let response;
  try {
    response = await request(`/api/customers/by-phone/${encodeURIComponent(typed)}`);
  } catch {
    return { status: 'error', number: typed };
  }
  const body = await response.json().catch(() => null);
  if (response.ok) return { status: 'found', number: dialled(body, typed), data: body };
  if (response.status === 404) return { status: 'notFound', number: national(body?.normalizedNumber) || typed, newCustomerUrl: body?.newCustomerUrl ?? null };
  if (response.status === 400) return { status: 'invalid', number: typed };
  if (response.status === 503) return { status: 'unavailable', number: typed };
  return { status: 'error', number: typed };
}

/** Fills the result element (empty for no search yet). */
export function drawLookup(element, result, context) {
  element.hidden = !result;
  if (!result) {
    element.replaceChildren();
    return;
  }
  const { t, language } = context;
  element.dataset.status = result.status;
  const call = result.status === 'found' || result.status === 'notFound' || result.status === 'unavailable'
    ? dialButton(result.number, context, context.onDial) : null;
  let body;
  if (result.status === 'found') {
    const { customer, lastInvoice } = result.data;
    const name = customer.profileUrl
      ? h('a', { href: customer.profileUrl, target: '_blank', rel: 'noopener noreferrer' }, customer.name)
      : customer.name;
    body = [
      h('p', { class: 'lookup-name' }, name),
      h('p', { class: 'lookup-sub num', dir: 'ltr' }, formatPhone(result.number, language)),
      h('p', { class: 'lookup-sub' }, lastInvoice
        ? t('lookup.lastInvoice', { amount: formatAmount(lastInvoice.totalAmount, lastInvoice.currency, language), date: formatDate(lastInvoice.issuedAt, language) })
        : t('noInvoice')),
    ];
  } else if (result.status === 'notFound') {
    body = [
      h('p', { class: 'lookup-name num', dir: 'ltr' }, formatPhone(result.number, language)),
      h('p', { class: 'lookup-sub' }, t('lookup.notFound'),
        result.newCustomerUrl ? [' ', h('a', { href: result.newCustomerUrl, target: '_blank', rel: 'noopener noreferrer' }, t('lookup.newCustomer'))] : null),
    ];
  } else {
    body = [h('p', { class: 'lookup-sub', role: 'alert' }, icon('warning'), ' ', t(`lookup.${result.status}`))];
  }
  element.replaceChildren(h('div', { class: 'lookup-main' }, body), call);
}

/** The number as dialled back: the national form the gateway normalized, else what was typed. */
function dialled(data, typed) {
  return national(data?.number?.normalized) || typed;
}

function national(normalized) {
  return normalized ? normalized.replace(/^\+98/, '0') : '';
}
