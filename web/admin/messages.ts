// The admin console's texts, in Swedish and English like every page. Each screen keeps its own
// (defineMessages in its file); the layout hands the screen's texts and these shared ones to
// the page's script (Admin.t in assets/admin.js), and the server renders with the same.
import type { Language } from '../i18n.js';

export type Messages = Record<Language, Record<string, string>>;

/** A screen's texts: Swedish must say everything English says. */
export function defineMessages<const E extends Record<string, string>>(m: { en: E; sv: Record<keyof E, string> }): Messages & { en: E } {
  return m;
}

/** The text of `key` with its {placeholders} filled in; the key itself when no dictionary has it. */
export function say(lang: Language, dictionaries: readonly Messages[], key: string, values: Record<string, string | number> = {}): string {
  const text = dictionaries.map((d) => d[lang][key]).find((s) => s !== undefined) ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Every text of the dictionaries in one language, as the page's script reads them. */
export function merged(lang: Language, dictionaries: readonly Messages[]): Record<string, string> {
  return Object.assign({}, ...dictionaries.map((d) => d[lang])) as Record<string, string>;
}

export const COMMON = defineMessages({
  en: {
    'admin.title': 'Callback administration',
    'admin.nav': 'Administration',
    'nav.records': 'Callback records',
    'nav.live': 'Live view',
    'nav.stats': 'Statistics',
    'nav.areas': 'Organisation areas',
    'nav.queues': 'Queues',
    'nav.treatments': 'Treatments',
    'nav.schedules': 'Appointment schedules',
    'nav.parameters': 'System parameters',
    'nav.agents': 'Agents and people',
    'nav.apiKeys': 'API keys',
    'nav.webhooks': 'Webhooks',
    'nav.audit': 'Audit log',
    'nav.import': 'Import',
    'nav.desk': 'Agent desk',
    'nav.docs': 'API documentation',
    'page.language': 'Language',
    'page.otherLanguage': 'På svenska',
    'signIn.heading': 'Sign in',
    'signIn.intro': 'Sign in with your administrator account.',
    'signIn.user': 'User name',
    'signIn.password': 'Password',
    'signIn.submit': 'Sign in',
    'signIn.sso': 'Sign in with single sign-on',
    'signIn.notAdmin': 'This account is not an administrator or a supervisor: it cannot use the admin console.',
    'signIn.notForRole': 'This screen is for administrators: a supervisor may use the records, the live view and the statistics.',
    'signIn.failed': 'Sign-in refused: {detail}',
    'signIn.ended': 'Your session has ended: sign in again.',
    'who.signedInAs': 'Signed in as {name}',
    'who.signOut': 'Sign out',
    loading: 'Loading…',
    'answer.ok': 'Done ({status}): {what}',
    'answer.refused': 'Refused ({status} {type}): {title}',
    'answer.field': '{path}: {message}',
    'answer.unreachable': 'The API could not be reached: nothing was changed. Try again.',
    'confirm.heading': 'Are you sure?',
    'confirm.yes': 'Yes, go ahead',
    'confirm.no': 'Cancel',
    'table.empty': 'Nothing here.',
    'table.more': 'Show more',
    'form.save': 'Save',
    'form.cancel': 'Cancel',
    'form.create': 'Create',
    'form.edit': 'Edit',
    'form.delete': 'Delete',
    'form.none': '—',
    'form.yes': 'Yes',
    'form.no': 'No',
  },
  sv: {
    'admin.title': 'Administration av återuppringningar',
    'admin.nav': 'Administration',
    'nav.records': 'Återuppringningar',
    'nav.live': 'Realtidsvy',
    'nav.stats': 'Statistik',
    'nav.areas': 'Organisationsområden',
    'nav.queues': 'Köer',
    'nav.treatments': 'Behandlingar',
    'nav.schedules': 'Bokningsscheman',
    'nav.parameters': 'Systemparametrar',
    'nav.agents': 'Agenter och personer',
    'nav.apiKeys': 'API-nycklar',
    'nav.webhooks': 'Webhooks',
    'nav.audit': 'Granskningslogg',
    'nav.import': 'Import',
    'nav.desk': 'Agentens skrivbord',
    'nav.docs': 'API-dokumentation',
    'page.language': 'Språk',
    'page.otherLanguage': 'In English',
    'signIn.heading': 'Logga in',
    'signIn.intro': 'Logga in med ditt administratörskonto.',
    'signIn.user': 'Användarnamn',
    'signIn.password': 'Lösenord',
    'signIn.submit': 'Logga in',
    'signIn.sso': 'Logga in med gemensam inloggning',
    'signIn.notAdmin': 'Kontot är varken administratör eller arbetsledare: det kan inte använda administrationen.',
    'signIn.notForRole':
      'Den här vyn är för administratörer: en arbetsledare kan använda återuppringningarna, realtidsvyn och statistiken.',
    'signIn.failed': 'Inloggningen nekades: {detail}',
    'signIn.ended': 'Din session har tagit slut: logga in igen.',
    'who.signedInAs': 'Inloggad som {name}',
    'who.signOut': 'Logga ut',
    loading: 'Laddar…',
    'answer.ok': 'Klart ({status}): {what}',
    'answer.refused': 'Nekades ({status} {type}): {title}',
    'answer.field': '{path}: {message}',
    'answer.unreachable': 'API:et gick inte att nå: inget ändrades. Försök igen.',
    'confirm.heading': 'Är du säker?',
    'confirm.yes': 'Ja, fortsätt',
    'confirm.no': 'Avbryt',
    'table.empty': 'Inget här.',
    'table.more': 'Visa fler',
    'form.save': 'Spara',
    'form.cancel': 'Avbryt',
    'form.create': 'Skapa',
    'form.edit': 'Ändra',
    'form.delete': 'Ta bort',
    'form.none': '—',
    'form.yes': 'Ja',
    'form.no': 'Nej',
  },
});
