// The dashboard's words, Persian first. Keys are shared by both languages; {name} placeholders
// are filled by t(). Numbers passed in are already localized by the caller (format.js).

const strings = {
  fa: {
    appName: 'شناسه تماس',
    titleRinging: 'زنگ: {name}',
    appTagline: 'چه کسی تماس می‌گیرد، با آخرین فاکتورش',
    otherLanguage: 'English',
    otherLanguageLabel: 'Switch to English',
    signInTitle: 'ورود کارشناسان',
    username: 'نام کاربری',
    password: 'گذرواژه',
    signIn: 'ورود',
    signingIn: 'در حال ورود…',
    wrongPassword: 'نام کاربری یا گذرواژه درست نیست.',
    tooManyAttempts: 'تلاش‌های ناموفق زیاد بود. {wait} دیگر دوباره امتحان کنید.',
    signInUnreachable: 'ورود ممکن نشد؛ اتصال به سرور را بررسی کنید.',
    sessionEnded: 'نشست شما به پایان رسید؛ لطفاً دوباره وارد شوید.',
    signedOut: 'از حساب خود خارج شدید.',
    seconds: '{n} ثانیه',
    minutes: '{n} دقیقه',
    signOut: 'خروج',
    extension: 'داخلی {ext}',
    extensions: 'داخلی‌های {ext}',
    allExtensions: 'همه داخلی‌ها',
    'connection.connecting': 'در حال اتصال…',
    'connection.connected': 'متصل',
    'connection.reconnecting': 'اتصال دوباره…',
    'connection.disconnected': 'قطع',
    reconnectNow: 'اتصال دوباره',
    alertsOff: 'فعال‌سازی اعلان',
    alertsOn: 'اعلان فعال است',
    alertsOffLabel: 'اعلان و صدای زنگ برای تماس‌های ورودی را فعال کنید',
    alertsOnLabel: 'اعلان و صدای زنگ فعال است؛ برای خاموش کردن کلیک کنید',
    alertsBlocked: 'مرورگر اجازه نمایش اعلان را نداده است؛ فقط صدای زنگ پخش می‌شود.',
    liveCalls: 'تماس‌های جاری',
    recentCalls: 'تماس‌های اخیر',
    noCalls: 'فعلاً تماسی نیست',
    noCallsHint: 'به محض زنگ خوردن {ext}، تماس‌گیرنده و آخرین فاکتورش اینجا نمایش داده می‌شود.',
    noCallsHintAll: 'به محض زنگ خوردن هر داخلی، تماس‌گیرنده و آخرین فاکتورش اینجا نمایش داده می‌شود.',
    noRecent: 'هنوز تماسی ثبت نشده است.',
    'state.ringing': 'در حال زنگ',
    'state.answered': 'در حال مکالمه',
    'state.ended': 'پایان تماس',
    'state.missed': 'بی‌پاسخ',
    'state.answeredElsewhere': 'پاسخ در داخلی دیگر',
    'timer.ringing': 'مدت زنگ',
    'timer.answered': 'مدت مکالمه',
    'timer.ended': 'مدت مکالمه',
    'timer.missed': 'مدت زنگ',
    answeredBy: 'پاسخ داده شد در داخلی {ext}',
    answeredByUnknown: 'در داخلی دیگری پاسخ داده شد',
    onExtension: 'روی {ext}',
    startedAt: 'شروع {time}',
    lastInvoice: 'آخرین فاکتور',
    noInvoice: 'هنوز فاکتوری برای این مشتری صادر نشده است.',
    invoiceNumber: 'شماره فاکتور',
    invoiceDate: 'تاریخ',
    'invoice.paid': 'پرداخت‌شده',
    'invoice.issued': 'صادرشده',
    'invoice.overdue': 'سررسید گذشته',
    'invoice.cancelled': 'باطل‌شده',
    'invoice.draft': 'پیش‌نویس',
    customerNumbers: 'شماره‌های مشتری',
    matchedNumber: 'شماره‌ای که تماس گرفت',
    openProfile: 'پرونده مشتری',
    openProfileLabel: 'باز کردن پرونده {name} در برگه جدید',
    sharedNumber: 'این شماره برای {n} مشتری ثبت شده است',
    chooseCustomer: 'انتخاب مشتری',
    unknownTitle: 'شماره ناشناس',
    unknownHint: 'این شماره برای هیچ مشتری ثبت نشده است.',
    createCustomer: 'ثبت مشتری جدید',
    withheldTitle: 'شماره مخفی',
    withheldHint: 'تماس‌گیرنده شماره خود را نفرستاده است.',
    unavailableTitle: 'اطلاعات مشتری در دسترس نیست',
    unavailableHint: 'پایگاه داده به‌موقع پاسخ نداد؛ شماره تماس‌گیرنده را ببینید.',
    dismissLabel: 'بستن کارت و انتقال به تماس‌های اخیر',
    yesterday: 'دیروز',
    recentMissed: 'بی‌پاسخ',
    recentAnsweredElsewhere: 'پاسخ در {ext}',
    announceRinging: 'تماس ورودی از {name} روی {ext}',
    announceAnswered: 'تماس {name} پاسخ داده شد',
    announceMissed: 'تماس بی‌پاسخ از {name}',
    notifyTitle: 'تماس ورودی: {name}',
    callerFallback: 'تماس‌گیرنده',
    'phone.title': 'تلفن مرورگر',
    'phone.connecting': 'تلفن: در حال اتصال…',
    'phone.registering': 'تلفن: در حال ثبت…',
    'phone.registered': 'تلفن آماده',
    'phone.unregistered': 'تلفن: ثبت نشده',
    'phone.failed': 'تلفن: خطا',
    'phone.answer': 'پاسخ',
    'phone.decline': 'رد تماس',
    'phone.hangUp': 'قطع تماس',
    'phone.mute': 'بی‌صدا',
    'phone.unmute': 'صدادار',
    'phone.hold': 'انتظار',
    'phone.resume': 'ادامه',
    'phone.keypad': 'صفحه‌کلید',
    'phone.talkTime': 'مکالمه',
    'phone.ended': 'تماس تلفن مرورگر پایان یافت.',
    'phone.incoming': 'تماس ورودی',
    'phone.outgoing': 'تماس خروجی',
    'phone.calling': 'در حال شماره‌گیری {number}…',
    'phone.incomingFrom': 'تماس ورودی از {number}',
    'phone.callNumber': 'تماس با {number}',
    'phone.error.unreachable': 'به سرور تلفن (WebSocket) وصل نشد؛ دوباره تلاش می‌شود.',
    'phone.error.auth': 'سرور تلفن ثبت را نپذیرفت: نام کاربری یا گذرواژه SIP درست نیست.',
    'phone.error.refused': 'سرور تلفن ثبت را نپذیرفت ({reason})؛ آیا این داخلی برای WebRTC تنظیم شده است؟',
    'phone.error.microphone': 'اجازه استفاده از میکروفون داده نشد؛ از تنظیمات مرورگر اجازه دهید.',
    'phone.error.noMicrophone': 'میکروفونی پیدا نشد؛ یک میکروفون یا هدست وصل کنید.',
    'phone.error.media': 'میکروفون آماده نشد.',
    'phone.error.noAudio': 'صدا برقرار نشد (ICE/DTLS)؛ شبکه بین مرورگر و سرور تلفن را بررسی کنید.',
    'phone.error.callRefused': 'سرور تلفن تماس را نپذیرفت ({reason}).',
    'phone.error.library': 'کتابخانه تلفن بارگیری نشد.',
    'phone.error.notConfigured': 'تلفن مرورگر کامل تنظیم نشده است.',
    'phone.error.originate': 'برقراری تماس از طریق مرکز تلفن ممکن نشد ({reason}).',
  },
  en: {
    appName: 'Caller ID',
    titleRinging: 'Ringing: {name}',
    appTagline: 'Who is calling, with their last invoice',
    otherLanguage: 'فارسی',
    otherLanguageLabel: 'نمایش به فارسی',
    signInTitle: 'Agent sign-in',
    username: 'User name',
    password: 'Password',
    signIn: 'Sign in',
    signingIn: 'Signing in…',
    wrongPassword: 'Wrong user name or password.',
    tooManyAttempts: 'Too many failed attempts. Try again in {wait}.',
    signInUnreachable: 'Could not sign in; check the connection to the server.',
    sessionEnded: 'Your session has ended; please sign in again.',
    signedOut: 'You have signed out.',
    seconds: '{n} seconds',
    minutes: '{n} minutes',
    signOut: 'Sign out',
    extension: 'Ext. {ext}',
    extensions: 'Ext. {ext}',
    allExtensions: 'All extensions',
    'connection.connecting': 'Connecting…',
    'connection.connected': 'Connected',
    'connection.reconnecting': 'Reconnecting…',
    'connection.disconnected': 'Disconnected',
    reconnectNow: 'Reconnect',
    alertsOff: 'Enable alerts',
    alertsOn: 'Alerts on',
    alertsOffLabel: 'Turn on a notification and a ring sound for incoming calls',
    alertsOnLabel: 'Notifications and ring sound are on; click to turn them off',
    alertsBlocked: 'The browser blocks notifications; only the ring sound will play.',
    liveCalls: 'Calls now',
    recentCalls: 'Recent calls',
    noCalls: 'No calls right now',
    noCallsHint: 'As soon as {ext} rings, the caller and their last invoice appear here.',
    noCallsHintAll: 'As soon as any extension rings, the caller and their last invoice appear here.',
    noRecent: 'No calls yet.',
    'state.ringing': 'Ringing',
    'state.answered': 'In call',
    'state.ended': 'Ended',
    'state.missed': 'Missed',
    'state.answeredElsewhere': 'Answered elsewhere',
    'timer.ringing': 'Ring time',
    'timer.answered': 'Talk time',
    'timer.ended': 'Talk time',
    'timer.missed': 'Rang for',
    answeredBy: 'Answered on extension {ext}',
    answeredByUnknown: 'Answered on another extension',
    onExtension: 'on {ext}',
    startedAt: 'Started {time}',
    lastInvoice: 'Last invoice',
    noInvoice: 'No invoice has been issued to this customer yet.',
    invoiceNumber: 'Invoice no.',
    invoiceDate: 'Date',
    'invoice.paid': 'Paid',
    'invoice.issued': 'Issued',
    'invoice.overdue': 'Overdue',
    'invoice.cancelled': 'Cancelled',
    'invoice.draft': 'Draft',
    customerNumbers: 'Customer numbers',
    matchedNumber: 'The number that called',
    openProfile: 'Customer profile',
    openProfileLabel: 'Open the profile of {name} in a new tab',
    sharedNumber: '{n} customers share this number',
    chooseCustomer: 'Choose the customer',
    unknownTitle: 'Unknown number',
    unknownHint: 'No customer has this number yet.',
    createCustomer: 'Create customer',
    withheldTitle: 'Number withheld',
    withheldHint: 'The caller did not send a number.',
    unavailableTitle: 'Customer data unavailable',
    unavailableHint: 'The database did not answer in time; here is the caller’s number.',
    dismissLabel: 'Close the card and move it to recent calls',
    yesterday: 'Yesterday',
    recentMissed: 'Missed',
    recentAnsweredElsewhere: 'Taken on {ext}',
    announceRinging: 'Incoming call from {name} on {ext}',
    announceAnswered: 'Call with {name} answered',
    announceMissed: 'Missed call from {name}',
    notifyTitle: 'Incoming call: {name}',
    callerFallback: 'Caller',
    'phone.title': 'Browser phone',
    'phone.connecting': 'Phone: connecting…',
    'phone.registering': 'Phone: registering…',
    'phone.registered': 'Phone ready',
    'phone.unregistered': 'Phone: not registered',
    'phone.failed': 'Phone: error',
    'phone.answer': 'Answer',
    'phone.decline': 'Decline',
    'phone.hangUp': 'Hang up',
    'phone.mute': 'Mute',
    'phone.unmute': 'Unmute',
    'phone.hold': 'Hold',
    'phone.resume': 'Resume',
    'phone.keypad': 'Keypad',
    'phone.talkTime': 'Talking',
    'phone.ended': 'The browser phone call ended.',
    'phone.incoming': 'Incoming call',
    'phone.outgoing': 'Outgoing call',
    'phone.calling': 'Calling {number}…',
    'phone.incomingFrom': 'Incoming call from {number}',
    'phone.callNumber': 'Call {number}',
    'phone.error.unreachable': 'Cannot reach the phone server (WebSocket); retrying.',
    'phone.error.auth': 'The phone server refused the registration: wrong SIP user name or password.',
    'phone.error.refused': 'The phone server refused the registration ({reason}); is this extension set up for WebRTC?',
    'phone.error.microphone': 'Microphone access was denied; allow it in the site settings of the browser.',
    'phone.error.noMicrophone': 'No microphone found; connect a microphone or headset.',
    'phone.error.media': 'The microphone could not be started.',
    'phone.error.noAudio': 'No audio (ICE/DTLS failed); check the network between the browser and the phone server.',
    'phone.error.callRefused': 'The phone server refused the call ({reason}).',
    'phone.error.library': 'The phone library did not load.',
    'phone.error.notConfigured': 'The browser phone is configured only in part.',
    'phone.error.originate': 'The PBX could not place the call ({reason}).',
  },
};

const storageKey = 'callerid.language';
const listeners = new Set();
let current = 'fa';

export const languages = Object.keys(strings);

export function language() {
  return current;
}

/** The language the agent picked in this browser, if any. */
export function storedLanguage() {
  try {
    const value = localStorage.getItem(storageKey);
    return languages.includes(value) ? value : null;
  } catch {
    return null;
  }
}

export function setLanguage(value, { remember = false } = {}) {
  current = languages.includes(value) ? value : 'fa';
  if (remember) {
    try {
      localStorage.setItem(storageKey, current);
    } catch {
      // Private windows may refuse storage; the switch still works for this page.
    }
  }
  const root = document.documentElement;
  root.lang = current;
  root.dir = current === 'fa' ? 'rtl' : 'ltr';
  document.title = t('appName');
  translate(document);
  for (const listener of listeners) listener(current);
}

export function onLanguageChange(listener) {
  listeners.add(listener);
}

export function t(key, values = {}) {
  const template = strings[current][key] ?? strings.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

/** Fills the static text of the page: data-i18n (text), data-i18n-label (aria-label and title), data-i18n-placeholder. */
export function translate(root) {
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of root.querySelectorAll('[data-i18n-label]')) {
    element.setAttribute('aria-label', t(element.dataset.i18nLabel));
    element.title = t(element.dataset.i18nLabel);
  }
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) element.placeholder = t(element.dataset.i18nPlaceholder);
}
