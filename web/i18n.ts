// The pages' languages: Swedish and English. The language is the one the visitor chose (?lang=,
// then remembered in a cookie), else the first of the browser's Accept-Language we speak, else
// English. Every text a page shows, the server's and its script's, comes from here.
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const LANGUAGE_COOKIE = 'cbk_lang';

const isLanguage = (tag: string | undefined): tag is Language => (LANGUAGES as readonly string[]).includes(tag ?? '');

/** The first of the browser's languages we speak, by its q-values; null when none. */
export function fromAcceptLanguage(header: string | undefined): Language | null {
  const ranked = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((l) => l.primary).find(isLanguage) ?? null;
}

/** The page's language; a `?lang=` choice is remembered for the next pages. */
export function chooseLanguage(c: Context): Language {
  const asked = c.req.query('lang');
  if (isLanguage(asked)) {
    setCookie(c, LANGUAGE_COOKIE, asked, { path: '/callback', sameSite: 'Lax', httpOnly: true, maxAge: 365 * 86_400 });
    return asked;
  }
  const remembered = getCookie(c, LANGUAGE_COOKIE);
  if (isLanguage(remembered)) return remembered;
  return fromAcceptLanguage(c.req.header('accept-language')) ?? 'en';
}

const EN = {
  'page.title': 'Call me back',
  'page.intro': 'Leave your number and we will call you: now, at a time you choose, or at a booked appointment.',
  'page.language': 'Language',
  'page.otherLanguage': 'På svenska',
  'page.noQueue': 'This page is not set up: it names no queue that takes callbacks.',
  'status.open': 'We are open now.',
  'status.closed': 'We are closed now.',
  'status.opensAt': 'We open {day} at {time} ({zone} time).',
  'status.expectedWait': 'Expected wait for a call now: about {minutes} minutes.',
  'status.notTaking': 'We are not taking callback requests right now. Please try again later or call us.',
  'when.legend': 'When should we call?',
  'when.now': 'As soon as possible',
  'when.later': 'At a time I choose',
  'when.appointment': 'Book an appointment',
  'when.time': 'Date and time',
  'slots.legend': 'Free times',
  'slots.previous': 'Previous week',
  'slots.next': 'Next week',
  'slots.none': 'No free times this week.',
  'slots.loading': 'Looking for free times…',
  'form.country': 'Country',
  'form.phone': 'Phone number',
  'form.name': 'Name (optional)',
  'form.message': 'What is it about? (optional)',
  'form.consent':
    'I agree that my phone number, name and message are stored and used to call me back about this request, and deleted when it is done.',
  'form.submit': 'Call me back',
  'form.book': 'Book this time',
  'form.working': 'One moment…',
  'done.title': 'Thank you!',
  'done.asap': 'We will call you as soon as we can.',
  'done.asapWait': 'We will call you as soon as we can, expected in about {minutes} minutes.',
  'done.at': 'We will call you {time}.',
  'done.booked': 'Your appointment: {time}.',
  'done.link': 'Your personal link: see, move or cancel your callback',
  'done.keepLink': 'Keep this link: it is the only way to change your callback.',
  'done.duplicate': 'There is already a callback request for this number. We will call as planned; use the link you got then to change it.',
  'error.queue-not-accepting-callbacks': 'We are not taking callback requests right now. Please try again later.',
  'error.callback-service-disabled': 'We are not taking callback requests right now. Please try again later.',
  'error.limit-reached': 'We cannot take more callback requests today. Please try again tomorrow.',
  'error.queue-closed': 'We are closed now, so we cannot call you at once. {opens} Choose a time instead.',
  'error.slot-full': 'That time was just taken. The next free time is selected for you: {time}.',
  'error.slot-full-none': 'That time was just taken, and there is no other free time in this week.',
  'error.duplicate':
    'There is already a callback request for this number. We will call as planned; use the link you got then to change it.',
  'error.too-short-notice': 'That time is too soon to book. Please choose a later one.',
  'error.beyond-booking-horizon': 'That time is too far ahead to book. Please choose an earlier one.',
  'error.no-such-slot': 'That time cannot be booked. Please choose another.',
  'error.schedule-stopped': 'Appointments cannot be booked right now.',
  'error.rate-limited': 'Too many requests from your connection. Please wait a minute and try again.',
  'error.challenge-failed': 'Your browser could not confirm the request. Please reload the page and try again.',
  'error.invalid-phone': 'Please check the phone number.',
  'error.invalid-time': 'Please choose a time in the future.',
  'error.consent': 'Please agree to the storing of your details, so that we can call you.',
  'error.choose-slot': 'Please choose a time.',
  'error.invalid-callback-token': 'This link no longer works: the callback has closed or the link has expired.',
  'error.record-closed': 'This callback is closed and cannot be changed.',
  'error.record-in-call': 'We are calling you right now, so the callback cannot be changed.',
  'error.booking-being-moved': 'Your appointment is being moved right now. Please try again in a moment.',
  'error.generic': 'Something went wrong on our side. Please try again in a little while.',
  'manage.title': 'Your callback',
  'manage.loading': 'Looking up your callback…',
  'manage.status': 'Status',
  'manage.when': 'When',
  'manage.asap': 'As soon as possible',
  'manage.waiting': 'Waiting to be called',
  'manage.active': 'Being called',
  'manage.closed': 'Closed',
  'manage.cancelled': 'Cancelled',
  'manage.move': 'Move to another time',
  'manage.moveTo': 'New time',
  'manage.moveSlot': 'Move to this time',
  'manage.cancel': 'Cancel my callback',
  'manage.moved': 'Your callback has been moved to {time}.',
  'manage.cancelledNow': 'Your callback is cancelled. We will not call you.',
  'manage.noToken': 'This link is incomplete. Please use the whole link you were given.',
} as const;

export type MessageKey = keyof typeof EN;

const SV: Record<MessageKey, string> = {
  'page.title': 'Ring mig',
  'page.intro': 'Lämna ditt nummer så ringer vi upp dig: nu, vid en tid du väljer eller på en bokad tid.',
  'page.language': 'Språk',
  'page.otherLanguage': 'In English',
  'page.noQueue': 'Sidan är inte inställd: den anger ingen kö som tar emot uppringningar.',
  'status.open': 'Vi har öppet nu.',
  'status.closed': 'Vi har stängt nu.',
  'status.opensAt': 'Vi öppnar {day} kl. {time} (tid i {zone}).',
  'status.expectedWait': 'Förväntad väntetid om vi ringer nu: cirka {minutes} minuter.',
  'status.notTaking': 'Vi tar inte emot förfrågningar om uppringning just nu. Försök igen senare eller ring oss.',
  'when.legend': 'När ska vi ringa?',
  'when.now': 'Så snart som möjligt',
  'when.later': 'Vid en tid jag väljer',
  'when.appointment': 'Boka en tid',
  'when.time': 'Datum och tid',
  'slots.legend': 'Lediga tider',
  'slots.previous': 'Föregående vecka',
  'slots.next': 'Nästa vecka',
  'slots.none': 'Inga lediga tider den här veckan.',
  'slots.loading': 'Letar efter lediga tider…',
  'form.country': 'Land',
  'form.phone': 'Telefonnummer',
  'form.name': 'Namn (frivilligt)',
  'form.message': 'Vad gäller det? (frivilligt)',
  'form.consent':
    'Jag godkänner att mitt telefonnummer, namn och meddelande sparas och används för att ringa upp mig om det här ärendet, och raderas när det är klart.',
  'form.submit': 'Ring mig',
  'form.book': 'Boka den här tiden',
  'form.working': 'Ett ögonblick…',
  'done.title': 'Tack!',
  'done.asap': 'Vi ringer dig så snart vi kan.',
  'done.asapWait': 'Vi ringer dig så snart vi kan, förväntat om cirka {minutes} minuter.',
  'done.at': 'Vi ringer dig {time}.',
  'done.booked': 'Din bokade tid: {time}.',
  'done.link': 'Din personliga länk: se, flytta eller avboka din uppringning',
  'done.keepLink': 'Spara länken: det är enda sättet att ändra din uppringning.',
  'done.duplicate':
    'Det finns redan en förfrågan om uppringning för det här numret. Vi ringer som planerat; använd länken du fick då för att ändra den.',
  'error.queue-not-accepting-callbacks': 'Vi tar inte emot förfrågningar om uppringning just nu. Försök igen senare.',
  'error.callback-service-disabled': 'Vi tar inte emot förfrågningar om uppringning just nu. Försök igen senare.',
  'error.limit-reached': 'Vi kan inte ta emot fler förfrågningar om uppringning i dag. Försök igen i morgon.',
  'error.queue-closed': 'Vi har stängt nu och kan inte ringa direkt. {opens} Välj en tid i stället.',
  'error.slot-full': 'Den tiden blev just tagen. Nästa lediga tid är vald åt dig: {time}.',
  'error.slot-full-none': 'Den tiden blev just tagen, och det finns ingen annan ledig tid den här veckan.',
  'error.duplicate':
    'Det finns redan en förfrågan om uppringning för det här numret. Vi ringer som planerat; använd länken du fick då för att ändra den.',
  'error.too-short-notice': 'Den tiden är för nära för att bokas. Välj en senare tid.',
  'error.beyond-booking-horizon': 'Den tiden ligger för långt fram för att bokas. Välj en tidigare tid.',
  'error.no-such-slot': 'Den tiden går inte att boka. Välj en annan.',
  'error.schedule-stopped': 'Det går inte att boka tider just nu.',
  'error.rate-limited': 'För många förfrågningar från din anslutning. Vänta en minut och försök igen.',
  'error.challenge-failed': 'Din webbläsare kunde inte bekräfta förfrågan. Ladda om sidan och försök igen.',
  'error.invalid-phone': 'Kontrollera telefonnumret.',
  'error.invalid-time': 'Välj en tid som inte har passerat.',
  'error.consent': 'Godkänn att dina uppgifter sparas, så att vi kan ringa dig.',
  'error.choose-slot': 'Välj en tid.',
  'error.invalid-callback-token': 'Länken fungerar inte längre: uppringningen är avslutad eller länken har gått ut.',
  'error.record-closed': 'Uppringningen är avslutad och kan inte ändras.',
  'error.record-in-call': 'Vi ringer dig just nu, så uppringningen kan inte ändras.',
  'error.booking-being-moved': 'Din tid håller på att flyttas. Försök igen om en stund.',
  'error.generic': 'Något gick fel hos oss. Försök igen om en stund.',
  'manage.title': 'Din uppringning',
  'manage.loading': 'Hämtar din uppringning…',
  'manage.status': 'Status',
  'manage.when': 'När',
  'manage.asap': 'Så snart som möjligt',
  'manage.waiting': 'Väntar på att ringas',
  'manage.active': 'Vi ringer',
  'manage.closed': 'Avslutad',
  'manage.cancelled': 'Avbokad',
  'manage.move': 'Flytta till en annan tid',
  'manage.moveTo': 'Ny tid',
  'manage.moveSlot': 'Flytta till den här tiden',
  'manage.cancel': 'Avboka min uppringning',
  'manage.moved': 'Din uppringning är flyttad till {time}.',
  'manage.cancelledNow': 'Din uppringning är avbokad. Vi ringer inte.',
  'manage.noToken': 'Länken är ofullständig. Använd hela länken du fick.',
};

export const MESSAGES: Record<Language, Record<MessageKey, string>> = { en: EN, sv: SV };

/** A message with its {placeholders} filled in. */
export function t(lang: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

const WEEKDAY_NAMES: Record<Language, Record<string, string>> = {
  en: {
    monday: 'Monday',
    tuesday: 'Tuesday',
    wednesday: 'Wednesday',
    thursday: 'Thursday',
    friday: 'Friday',
    saturday: 'Saturday',
    sunday: 'Sunday',
  },
  sv: {
    monday: 'måndag',
    tuesday: 'tisdag',
    wednesday: 'onsdag',
    thursday: 'torsdag',
    friday: 'fredag',
    saturday: 'lördag',
    sunday: 'söndag',
  },
};

/** "today", or the weekday's name with its date. */
export function dayName(lang: Language, weekday: string, date: string, today: string): string {
  if (date === today) return lang === 'sv' ? 'i dag' : 'today';
  return `${WEEKDAY_NAMES[lang][weekday] ?? weekday} ${date}`;
}
