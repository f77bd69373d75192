// /admin/schedules: appointment schedules listed, created and changed (weekly pattern, exception
// dates, capacity and booking rules), and a calendar of a schedule's slots a week at a time with
// the places taken and free (GET /v1/schedules/:id/slots).
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { WEEKDAYS } from '../../domain/queue-config.js';
import { IDENTIFICATIONS } from '../../domain/schedule-config.js';
import { directoryPage } from './directory-page.js';
import { defineMessages } from './messages.js';

const SCHEDULE_MESSAGES = defineMessages({
  en: {
    'sch.list': 'Schedules',
    'sch.new': 'New schedule',
    'sch.open': 'Open schedule {id}',
    'sch.openShort': 'Open',
    'col.id': 'Id',
    'col.name': 'Name',
    'col.queue': 'Queue',
    'col.zone': 'Time zone',
    'col.capacity': 'Places per slot',
    'col.active': 'Active',
    'col.actions': 'Actions',
    'sch.createHeading': 'New schedule',
    'sch.changeHeading': 'Change schedule {id}',
    'f.id': 'Id',
    'f.name': 'Name',
    'f.queue': 'Queue',
    'f.timeZone': "Time zone (the queue's when empty)",
    'f.taskType': 'Task type (optional)',
    'f.capacity': 'Places per slot (capacity)',
    'f.horizon': 'Bookable days ahead',
    'f.notice': 'Minimum notice, minutes',
    'f.identification': 'Identification required',
    'f.priority': 'Priority of booked records (1-9)',
    'f.active': 'Active (takes bookings)',
    'id.none': 'None',
    'id.customer-id': 'Customer id',
    'id.customer-id-and-phone': 'Customer id and phone number',
    'week.legend': 'Weekly pattern',
    'week.help': 'Bookable periods per weekday, local time, e.g. 09:00-12:00, 13:00-16:00. Leave empty for a closed day.',
    'week.day': 'Weekday',
    'week.periods': 'Bookable periods',
    'week.minutes': 'Minutes per appointment',
    'week.minutesOn': 'Minutes per appointment on {day}',
    'day.monday': 'Monday',
    'day.tuesday': 'Tuesday',
    'day.wednesday': 'Wednesday',
    'day.thursday': 'Thursday',
    'day.friday': 'Friday',
    'day.saturday': 'Saturday',
    'day.sunday': 'Sunday',
    'sch.created': 'schedule {id} created',
    'sch.changed': 'schedule {id} changed',
    'exc.heading': 'Exception dates',
    'exc.caption': 'Exception dates of {id}',
    'exc.date': 'Date',
    'exc.kind': 'Kind',
    'exc.closed': 'Closed',
    'exc.other': 'Other hours',
    'exc.hours': 'Hours',
    'exc.note': 'Note',
    'exc.remove': 'Remove',
    'exc.removeLabel': 'Remove the exception on {date}',
    'exc.removeConfirm': 'Remove the exception on {date}? That day follows its weekday again.',
    'exc.removed': 'the exception on {date} removed',
    'exc.set': 'Set exception',
    'exc.saved': 'exception on {date} set',
    'exc.periods': 'Periods (other hours only)',
    'exc.minutes': 'Minutes per appointment (other hours only)',
    'cal.heading': 'Calendar of slots',
    'cal.previous': 'Previous week',
    'cal.next': 'Next week',
    'cal.from': 'Week from',
    'cal.caption': 'Slots of {id}, {from} to {to} ({zone}): places taken and free',
    'cal.time': 'Start',
    'cal.cell': '{taken} taken, {free} free',
    'cal.past': 'past',
    'cal.full': 'full',
    'cal.none': 'No slots these days.',
    'cal.stopped': 'The schedule is stopped: it takes no bookings.',
  },
  sv: {
    'sch.list': 'Scheman',
    'sch.new': 'Nytt schema',
    'sch.open': 'Öppna schemat {id}',
    'sch.openShort': 'Öppna',
    'col.id': 'Id',
    'col.name': 'Namn',
    'col.queue': 'Kö',
    'col.zone': 'Tidszon',
    'col.capacity': 'Platser per tid',
    'col.active': 'Aktivt',
    'col.actions': 'Åtgärder',
    'sch.createHeading': 'Nytt schema',
    'sch.changeHeading': 'Ändra schemat {id}',
    'f.id': 'Id',
    'f.name': 'Namn',
    'f.queue': 'Kö',
    'f.timeZone': 'Tidszon (köns om tom)',
    'f.taskType': 'Ärendetyp (valfri)',
    'f.capacity': 'Platser per tid (kapacitet)',
    'f.horizon': 'Bokningsbara dagar framåt',
    'f.notice': 'Minsta framförhållning, minuter',
    'f.identification': 'Krävd identifiering',
    'f.priority': 'Prioritet för bokade ärenden (1-9)',
    'f.active': 'Aktivt (tar emot bokningar)',
    'id.none': 'Ingen',
    'id.customer-id': 'Kund-id',
    'id.customer-id-and-phone': 'Kund-id och telefonnummer',
    'week.legend': 'Veckomönster',
    'week.help': 'Bokningsbara perioder per veckodag, lokal tid, t.ex. 09:00-12:00, 13:00-16:00. Lämna tomt för en stängd dag.',
    'week.day': 'Veckodag',
    'week.periods': 'Bokningsbara perioder',
    'week.minutes': 'Minuter per bokning',
    'week.minutesOn': 'Minuter per bokning på {day}',
    'day.monday': 'Måndag',
    'day.tuesday': 'Tisdag',
    'day.wednesday': 'Onsdag',
    'day.thursday': 'Torsdag',
    'day.friday': 'Fredag',
    'day.saturday': 'Lördag',
    'day.sunday': 'Söndag',
    'sch.created': 'schemat {id} skapat',
    'sch.changed': 'schemat {id} ändrat',
    'exc.heading': 'Undantagsdagar',
    'exc.caption': 'Undantagsdagar för {id}',
    'exc.date': 'Datum',
    'exc.kind': 'Typ',
    'exc.closed': 'Stängt',
    'exc.other': 'Andra tider',
    'exc.hours': 'Tider',
    'exc.note': 'Anteckning',
    'exc.remove': 'Ta bort',
    'exc.removeLabel': 'Ta bort undantaget den {date}',
    'exc.removeConfirm': 'Ta bort undantaget den {date}? Dagen följer då sin veckodag igen.',
    'exc.removed': 'undantaget den {date} borttaget',
    'exc.set': 'Spara undantag',
    'exc.saved': 'undantag den {date} sparat',
    'exc.periods': 'Perioder (endast andra tider)',
    'exc.minutes': 'Minuter per bokning (endast andra tider)',
    'cal.heading': 'Kalender över tider',
    'cal.previous': 'Föregående vecka',
    'cal.next': 'Nästa vecka',
    'cal.from': 'Veckan från',
    'cal.caption': 'Tider i {id}, {from} till {to} ({zone}): bokade och lediga platser',
    'cal.time': 'Start',
    'cal.cell': '{taken} bokade, {free} lediga',
    'cal.past': 'passerad',
    'cal.full': 'full',
    'cal.none': 'Inga tider dessa dagar.',
    'cal.stopped': 'Schemat är stoppat: det tar inte emot bokningar.',
  },
});

export function schedulesScreen(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono().get('/schedules', (c) =>
    directoryPage(
      c,
      '/admin/schedules',
      'admin-schedules.js',
      SCHEDULE_MESSAGES,
      (t) => (
        <>
          <section aria-labelledby="sch-list-heading">
            <h2 id="sch-list-heading">{t('sch.list')}</h2>
            <div id="schedule-list"></div>
            <p class="actions">
              <button type="button" id="schedule-new">
                {t('sch.new')}
              </button>
            </p>
          </section>

          <section id="schedule-editor" class="panel" aria-labelledby="schedule-form-heading" hidden>
            <h2 id="schedule-form-heading" tabindex={-1}></h2>
            <form id="schedule-form" class="grid" novalidate>
              <label for="sch-id">{t('f.id')}</label>
              <input id="sch-id" name="id" required maxlength={64} />
              <label for="sch-name">{t('f.name')}</label>
              <input id="sch-name" name="name" required maxlength={100} />
              <label for="sch-queue">{t('f.queue')}</label>
              <input id="sch-queue" name="queue" list="queue-names" required />
              <datalist id="queue-names"></datalist>
              <label for="sch-zone">{t('f.timeZone')}</label>
              <input id="sch-zone" name="timeZone" placeholder="Europe/Stockholm" />
              <label for="sch-task">{t('f.taskType')}</label>
              <input id="sch-task" name="taskType" maxlength={100} />
              <label for="sch-capacity">{t('f.capacity')}</label>
              <input id="sch-capacity" name="capacity" type="number" min={1} max={10000} required />
              <label for="sch-horizon">{t('f.horizon')}</label>
              <input id="sch-horizon" name="horizonDays" type="number" min={1} max={366} value="30" />
              <label for="sch-notice">{t('f.notice')}</label>
              <input id="sch-notice" name="minimumNoticeMinutes" type="number" min={0} value="60" />
              <label for="sch-identification">{t('f.identification')}</label>
              <select id="sch-identification" name="identification">
                {IDENTIFICATIONS.map((i) => (
                  <option value={i}>{t(`id.${i}`)}</option>
                ))}
              </select>
              <label for="sch-priority">{t('f.priority')}</label>
              <input id="sch-priority" name="priority" type="number" min={1} max={9} value="5" />
              <label for="sch-active">{t('f.active')}</label>
              <input id="sch-active" name="active" type="checkbox" checked />
              <fieldset>
                <legend>{t('week.legend')}</legend>
                <p class="muted" id="week-help">
                  {t('week.help')}
                </p>
                <table class="week-pattern">
                  <thead>
                    <tr>
                      <th scope="col">{t('week.day')}</th>
                      <th scope="col">{t('week.periods')}</th>
                      <th scope="col">{t('week.minutes')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {WEEKDAYS.map((day) => (
                      <tr>
                        <th scope="row">
                          <label for={`week-${day}`}>{t(`day.${day}`)}</label>
                        </th>
                        <td>
                          <input
                            id={`week-${day}`}
                            data-day={day}
                            class="week-periods"
                            aria-describedby="week-help"
                            placeholder="09:00-12:00"
                          />
                        </td>
                        <td>
                          <input
                            id={`week-${day}-minutes`}
                            data-day={day}
                            class="week-minutes"
                            type="number"
                            min={5}
                            max={480}
                            aria-label={t('week.minutesOn', { day: t(`day.${day}`) })}
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </fieldset>
              <div class="actions">
                <button type="submit">{t('form.save')}</button>
                <button type="button" id="schedule-cancel">
                  {t('form.cancel')}
                </button>
              </div>
            </form>
          </section>

          <section id="schedule-detail" aria-labelledby="exc-heading" hidden>
            <h2 id="exc-heading">{t('exc.heading')}</h2>
            <div id="exception-list"></div>
            <form id="exception-form" class="grid" novalidate>
              <label for="exc-date">{t('exc.date')}</label>
              <input id="exc-date" name="date" type="date" required />
              <label for="exc-kind">{t('exc.kind')}</label>
              <select id="exc-kind" name="kind">
                <option value="closed">{t('exc.closed')}</option>
                <option value="other">{t('exc.other')}</option>
              </select>
              <label for="exc-periods">{t('exc.periods')}</label>
              <input id="exc-periods" name="periods" placeholder="10:00-12:00" />
              <label for="exc-minutes">{t('exc.minutes')}</label>
              <input id="exc-minutes" name="minutes" type="number" min={5} max={480} />
              <label for="exc-note">{t('exc.note')}</label>
              <input id="exc-note" name="note" maxlength={200} />
              <div class="actions">
                <button type="submit">{t('exc.set')}</button>
              </div>
            </form>

            <h2 id="cal-heading">{t('cal.heading')}</h2>
            <div class="toolbar" role="group" aria-labelledby="cal-heading">
              <button type="button" id="cal-previous">
                {t('cal.previous')}
              </button>
              <label>
                {t('cal.from')}
                <input id="cal-from" type="date" />
              </label>
              <button type="button" id="cal-next">
                {t('cal.next')}
              </button>
            </div>
            <p id="cal-stopped" class="muted" hidden>
              {t('cal.stopped')}
            </p>
            <div id="calendar" class="calendar"></div>
          </section>
        </>
      ),
      sso,
    ),
  );
}
