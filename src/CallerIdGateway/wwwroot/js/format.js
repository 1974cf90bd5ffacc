// How numbers, money, dates and durations read in each language: Persian digits and the
// Jalali calendar in Persian; the Jalali calendar (with the Gregorian date) in English too,
// because invoices are numbered and dated by it.

const persianDigits = '۰۱۲۳۴۵۶۷۸۹';

/** Latin digits → Persian digits when the language is Persian. */
export function digits(text, language) {
  const value = String(text ?? '');
  return language === 'fa' ? value.replace(/[0-9]/g, d => persianDigits[d]) : value;
}

/** Persian and Arabic-Indic digits → Latin digits (numbers typed into the invoicing app come both ways). */
export function latinDigits(text) {
  return String(text ?? '')
    .replace(/[۰-۹]/g, d => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, d => String(d.charCodeAt(0) - 0x0660));
}

/**
 * An Iranian number in its readable national form — mobiles 0912 345 6789, landlines
 * 021 1234 5678, local numbers 1234 5678 — from any of the ways it is written (+98…, 0098…,
 * 98…, 0…, with spaces or dashes). Foreign numbers keep their + form; extensions and anything
 * else stay as given.
 */
export function formatPhone(raw, language) {
  const text = latinDigits(raw).trim();
  if (!text) return '';
  let national = text.replace(/[^\d+]/g, '');
  if (/^(\+|00)98\d{10}$/.test(national)) national = '0' + national.slice(national.startsWith('+') ? 3 : 4);
  else if (/^98\d{10}$/.test(national)) national = '0' + national.slice(2);
  else if (/^(\+|00)\d{6,}$/.test(national)) return digits('+' + national.replace(/^(\+|00)/, ''), language);

  let readable = text;
  if (/^09\d{9}$/.test(national)) readable = `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
  else if (/^0[1-8]\d{9}$/.test(national)) readable = `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
  else if (/^[1-9]\d{7}$/.test(national)) readable = `${national.slice(0, 4)} ${national.slice(4)}`;
  return digits(readable, language);
}

/** The caller's number as the agent should read it: the normalized form when the gateway has one. */
export function callerNumber(data, language) {
  const call = data.call ?? {};
  return formatPhone(call.normalizedNumber || data.number?.normalized || call.callerNumber || data.number?.input || '', language);
}

const currencyNames = {
  fa: { IRR: 'ریال', IRT: 'تومان', USD: 'دلار', EUR: 'یورو', AED: 'درهم' },
  en: { IRR: 'rials', IRT: 'tomans' },
};

/** An amount with thousands separators, and its currency's name: {number: '۱۲۵٬۰۰۰٬۰۰۰', currency: 'ریال'}. */
export function amountParts(amount, currency, language) {
  const number = new Intl.NumberFormat(language === 'fa' ? 'fa-IR' : 'en-US', { maximumFractionDigits: 2 }).format(amount);
  const code = String(currency || '').toUpperCase();
  return { number, currency: currencyNames[language]?.[code] ?? code };
}

export function formatAmount(amount, currency, language) {
  const parts = amountParts(amount, currency, language);
  return `${parts.number} ${parts.currency}`.trim();
}

/** A day in the Persian (Jalali) calendar: «۲۹ آبان ۱۴۰۵», or "29 Azar 1405" with the Gregorian date in English. */
export function formatDate(value, language) {
  if (value == null) return ''; // an invoice without a date (new Date(null) would be 1970)
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const options = { year: 'numeric', month: 'long', day: 'numeric' };
  if (language === 'fa') return new Intl.DateTimeFormat('fa-IR-u-ca-persian', options).format(date);
  const jalali = new Intl.DateTimeFormat('en-GB-u-ca-persian', options).format(date).replace(/\s*AP$/, '');
  const gregorian = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
  return `${jalali} (${gregorian})`;
}

export function formatTime(value, language) {
  return new Intl.DateTimeFormat(language === 'fa' ? 'fa-IR' : 'en-GB', { hour: '2-digit', minute: '2-digit' }).format(new Date(value));
}

/** When a recent call happened: the time today, "yesterday 14:05", or a short Jalali date and time. */
export function formatWhen(value, language, t, now = new Date()) {
  const date = new Date(value);
  const startOfDay = d => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
  const time = formatTime(date, language);
  if (days === 0) return time;
  if (days === 1) return `${t('yesterday')} ${time}`;
  const day = new Intl.DateTimeFormat(language === 'fa' ? 'fa-IR-u-ca-persian' : 'en-GB-u-ca-persian', { month: 'short', day: 'numeric' }).format(date);
  return language === 'fa' ? `${day}، ${time}` : `${day}, ${time}`;
}

/** 00:42, 12:05, 1:02:09 */
export function formatDuration(milliseconds, language) {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = n => String(n).padStart(2, '0');
  return digits(hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`, language);
}

/** "30 seconds", "2 minutes" — for a Retry-After. */
export function formatWait(seconds, language, t) {
  return seconds >= 90
    ? t('minutes', { n: digits(Math.ceil(seconds / 60), language) })
    : t('seconds', { n: digits(Math.max(1, Math.ceil(seconds)), language) });
}

/** The first letter of a name, for its avatar (skips titles and punctuation). */
export function initial(name) {
  const letter = String(name || '').trim().match(/\p{L}/u);
  return letter ? letter[0].toLocaleUpperCase() : '?';
}
