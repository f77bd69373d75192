// /admin/queues: the queues listed with their area, created and changed (limits, gate size, offer
// timeout, wrap-up limit, weekly opening hours, time zone, whether they take callbacks), and a
// queue's holidays listed, added and removed, through /v1/queues.
import { Hono } from 'hono';
import { WEEKDAYS } from '../../domain/queue-config.js';
import { chooseLanguage } from '../i18n.js';
import { CONFIG_COMMON } from './config-messages.js';
import { renderAdmin } from './layout.js';
import { COMMON, defineMessages, say } from './messages.js';

const QUEUES = defineMessages({
  en: {
    'queues.list': 'All queues',
    'queues.caption': 'Queues, by name, with their organisation area',
    'queues.name': 'Name',
    'queues.area': 'Organisation area',
    'queues.zone': 'Time zone',
    'queues.accepts': 'Takes callbacks',
    'queues.max': 'Most active records',
    'queues.maxHint': 'Empty: no limit',
    'queues.gate': 'Gate size (records offered or in a call at once)',
    'queues.gateShort': 'Gate size',
    'queues.gateHint': 'Empty: the callbackBufferMax parameter',
    'queues.offer': 'Offer timeout (seconds)',
    'queues.offerShort': 'Offer timeout',
    'queues.offerHint': 'Empty: the offerTimeoutSeconds parameter',
    'queues.wrapUp': 'Wrap-up limit (seconds)',
    'queues.wrapUpShort': 'Wrap-up limit',
    'queues.limits': 'Limits and timeouts',
    'queues.hours': 'Opening hours',
    'queues.hoursIntro':
      "Per weekday, the periods the queue is open, HH:MM to HH:MM in the queue's time zone (24:00 ends the day). A day without periods is closed.",
    'queues.closed': 'closed',
    'queues.addPeriod': 'Add a period on {day}',
    'queues.removePeriod': 'Remove {day} period {n}',
    'queues.from': 'from',
    'queues.to': 'to',
    'queues.fromOf': '{day} period {n} from',
    'queues.toOf': '{day} period {n} to',
    'queues.allDay': 'Open all day, every day',
    'queues.new': 'New queue',
    'queues.change': 'Change queue {name}',
    'queues.edit': 'Change {name}',
    'queues.created': 'queue {name} created',
    'queues.changed': 'queue {name} changed',
    'holidays.heading': 'Holidays of queue {name}',
    'holidays.caption': 'Holidays, by date, in the queue’s time zone ({zone})',
    'holidays.date': 'Date',
    'holidays.dateField': 'Holiday date',
    'holidays.nameField': 'Holiday name',
    'holidays.name': 'Name',
    'holidays.hours': 'Hours',
    'holidays.closedAllDay': 'Closed all day',
    'holidays.openHours': 'Open other hours',
    'holidays.kind': 'That day',
    'holidays.periods': 'Hours that day',
    'holidays.periodsHint': 'e.g. 09:00-12:00, 13:00-15:00',
    'holidays.add': 'Add the holiday',
    'holidays.remove': 'Remove {date}',
    'holidays.removeConfirm': 'Remove the holiday {date} of queue {name}? The day follows its weekday again.',
    'holidays.added': 'holiday {date} set for queue {name}',
    'holidays.removed': 'holiday {date} removed from queue {name}',
    'holidays.needDate': 'Give the date of the holiday.',
    'day.monday': 'Monday',
    'day.tuesday': 'Tuesday',
    'day.wednesday': 'Wednesday',
    'day.thursday': 'Thursday',
    'day.friday': 'Friday',
    'day.saturday': 'Saturday',
    'day.sunday': 'Sunday',
    'dayShort.monday': 'Mon',
    'dayShort.tuesday': 'Tue',
    'dayShort.wednesday': 'Wed',
    'dayShort.thursday': 'Thu',
    'dayShort.friday': 'Fri',
    'dayShort.saturday': 'Sat',
    'dayShort.sunday': 'Sun',
  },
  sv: {
    'queues.list': 'Alla köer',
    'queues.caption': 'Köer, efter namn, med sitt organisationsområde',
    'queues.name': 'Namn',
    'queues.area': 'Organisationsområde',
    'queues.zone': 'Tidszon',
    'queues.accepts': 'Tar emot återuppringningar',
    'queues.max': 'Högst antal aktiva ärenden',
    'queues.maxHint': 'Tomt: ingen gräns',
    'queues.gate': 'Grindstorlek (ärenden som erbjuds eller pågår samtidigt)',
    'queues.gateShort': 'Grindstorlek',
    'queues.gateHint': 'Tomt: parametern callbackBufferMax',
    'queues.offer': 'Tid för erbjudande (sekunder)',
    'queues.offerShort': 'Tid för erbjudande',
    'queues.offerHint': 'Tomt: parametern offerTimeoutSeconds',
    'queues.wrapUp': 'Gräns för efterarbete (sekunder)',
    'queues.wrapUpShort': 'Efterarbete',
    'queues.limits': 'Gränser och tider',
    'queues.hours': 'Öppettider',
    'queues.hoursIntro':
      'Per veckodag, perioderna kön är öppen, TT:MM till TT:MM i köns tidszon (24:00 avslutar dagen). En dag utan perioder är stängd.',
    'queues.closed': 'stängt',
    'queues.addPeriod': 'Lägg till en period på {day}',
    'queues.removePeriod': 'Ta bort {day} period {n}',
    'queues.from': 'från',
    'queues.to': 'till',
    'queues.fromOf': '{day} period {n} från',
    'queues.toOf': '{day} period {n} till',
    'queues.allDay': 'Öppet hela dygnet, alla dagar',
    'queues.new': 'Ny kö',
    'queues.change': 'Ändra kön {name}',
    'queues.edit': 'Ändra {name}',
    'queues.created': 'kön {name} skapad',
    'queues.changed': 'kön {name} ändrad',
    'holidays.heading': 'Helgdagar för kön {name}',
    'holidays.caption': 'Helgdagar, efter datum, i köns tidszon ({zone})',
    'holidays.date': 'Datum',
    'holidays.dateField': 'Helgdagens datum',
    'holidays.nameField': 'Helgdagens namn',
    'holidays.name': 'Namn',
    'holidays.hours': 'Tider',
    'holidays.closedAllDay': 'Stängt hela dagen',
    'holidays.openHours': 'Öppet andra tider',
    'holidays.kind': 'Den dagen',
    'holidays.periods': 'Tider den dagen',
    'holidays.periodsHint': 't.ex. 09:00-12:00, 13:00-15:00',
    'holidays.add': 'Lägg till helgdagen',
    'holidays.remove': 'Ta bort {date}',
    'holidays.removeConfirm': 'Ta bort helgdagen {date} för kön {name}? Dagen följer sin veckodag igen.',
    'holidays.added': 'helgdagen {date} satt för kön {name}',
    'holidays.removed': 'helgdagen {date} borttagen från kön {name}',
    'holidays.needDate': 'Ange helgdagens datum.',
    'day.monday': 'måndag',
    'day.tuesday': 'tisdag',
    'day.wednesday': 'onsdag',
    'day.thursday': 'torsdag',
    'day.friday': 'fredag',
    'day.saturday': 'lördag',
    'day.sunday': 'söndag',
    'dayShort.monday': 'mån',
    'dayShort.tuesday': 'tis',
    'dayShort.wednesday': 'ons',
    'dayShort.thursday': 'tors',
    'dayShort.friday': 'fre',
    'dayShort.saturday': 'lör',
    'dayShort.sunday': 'sön',
  },
});

export function queuesScreen(sso: boolean) {
  return new Hono().get('/queues', (c) =>
    renderAdmin(
      c,
      {
        screen: '/admin/queues',
        title: say(chooseLanguage(c), [COMMON], 'nav.queues'),
        scripts: ['admin-config.js', 'admin-queues.js'],
        messages: [QUEUES, CONFIG_COMMON],
      },
      (t) => (
        <>
          <link rel="stylesheet" href="/callback/assets/admin-config.css" />
          <section aria-labelledby="queues-list-heading">
            <h2 id="queues-list-heading">{t('queues.list')}</h2>
            <div id="queues-table" class="wide"></div>
          </section>
          <section class="panel" aria-labelledby="queue-form-heading">
            <h2 id="queue-form-heading">{t('queues.new')}</h2>
            <form id="queue-form" novalidate>
              <div class="fields">
                <label for="queue-name">{t('queues.name')}</label>
                <input id="queue-name" name="name" autocomplete="off" required />
                <label for="queue-area">{t('queues.area')}</label>
                <select id="queue-area" name="orgArea"></select>
                <label for="queue-zone">{t('queues.zone')}</label>
                <select id="queue-zone" name="timeZone"></select>
                <label for="queue-accepts">{t('queues.accepts')}</label>
                <input id="queue-accepts" name="acceptsCallbacks" type="checkbox" checked />
                <label for="queue-max">{t('queues.max')}</label>
                <input id="queue-max" inputmode="numeric" aria-describedby="queue-max-hint" />
                <span></span>
                <span id="queue-max-hint" class="muted">
                  {t('queues.maxHint')}
                </span>
                <label for="queue-gate">{t('queues.gate')}</label>
                <input id="queue-gate" inputmode="numeric" aria-describedby="queue-gate-hint" />
                <span></span>
                <span id="queue-gate-hint" class="muted">
                  {t('queues.gateHint')}
                </span>
                <label for="queue-offer">{t('queues.offer')}</label>
                <input id="queue-offer" inputmode="numeric" aria-describedby="queue-offer-hint" />
                <span></span>
                <span id="queue-offer-hint" class="muted">
                  {t('queues.offerHint')}
                </span>
                <label for="queue-wrapup">{t('queues.wrapUp')}</label>
                <input id="queue-wrapup" inputmode="numeric" value="1800" />
              </div>
              <fieldset class="hours">
                <legend>{t('queues.hours')}</legend>
                <p class="muted">{t('queues.hoursIntro')}</p>
                <p>
                  <button type="button" id="queue-all-day">
                    {t('queues.allDay')}
                  </button>
                </p>
                {WEEKDAYS.map((day) => (
                  <div class="day" role="group" aria-labelledby={`hours-${day}-name`}>
                    <span class="day-name" id={`hours-${day}-name`}>
                      {t(`day.${day}`)}
                    </span>
                    <ul class="periods" id={`hours-${day}`} data-day={day}></ul>
                    <button type="button" class="add-period" data-day={day}>
                      {t('queues.addPeriod', { day: t(`day.${day}`) })}
                    </button>
                  </div>
                ))}
              </fieldset>
              <div class="actions">
                <button type="submit" id="queue-submit">
                  {t('form.create')}
                </button>
                <button type="button" id="queue-cancel" hidden>
                  {t('form.cancel')}
                </button>
              </div>
            </form>
          </section>
          <section class="panel" id="holidays" aria-labelledby="holidays-heading" hidden>
            <h2 id="holidays-heading"></h2>
            <div id="holidays-table"></div>
            <form id="holiday-form" class="grid" novalidate>
              <label for="holiday-date">{t('holidays.dateField')}</label>
              <input id="holiday-date" type="date" required />
              <label for="holiday-name">{t('holidays.nameField')}</label>
              <input id="holiday-name" autocomplete="off" />
              <label for="holiday-kind">{t('holidays.kind')}</label>
              <select id="holiday-kind">
                <option value="closed">{t('holidays.closedAllDay')}</option>
                <option value="open">{t('holidays.openHours')}</option>
              </select>
              <label for="holiday-periods">{t('holidays.periods')}</label>
              <input id="holiday-periods" autocomplete="off" aria-describedby="holiday-periods-hint" disabled />
              <span></span>
              <span id="holiday-periods-hint" class="muted">
                {t('holidays.periodsHint')}
              </span>
              <div class="actions">
                <button type="submit">{t('holidays.add')}</button>
              </div>
            </form>
          </section>
        </>
      ),
      sso,
    ),
  );
}
