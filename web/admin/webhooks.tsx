// /admin/webhooks: URLs subscribed to record events: listed, made (the signing secret shown once),
// changed, paused and resumed, deleted; a subscription's delivery log, and retry of a failed one.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { DELIVERY_STATES } from '../../db/webhooks.js';
import { HISTORY_EVENT_TYPES } from '../../domain/record.js';
import { directoryPage } from './directory-page.js';
import { defineMessages } from './messages.js';

const WEBHOOK_MESSAGES = defineMessages({
  en: {
    'w.list': 'Subscriptions',
    'w.new': 'New subscription',
    'w.createHeading': 'New subscription',
    'w.changeHeading': 'Change the subscription to {url}',
    'w.url': 'URL (http or https)',
    'w.description': 'What it is for (optional)',
    'w.secret': 'Signing secret (optional, 32 characters or more; one is made when empty)',
    'w.events': 'Events to send',
    'w.allEvents': 'Every event type',
    'w.created': 'subscription to {url} made',
    'w.changed': 'subscription to {url} changed',
    'w.secretOnce': 'The signing secret of {url}: give it to the receiver now, it will not be shown again.',
    'w.secretLabel': 'Signing secret',
    'w.secretDone': 'I have kept it',
    'w.edit': 'Change the subscription to {url}',
    'w.pause': 'Pause the subscription to {url}',
    'w.resume': 'Resume the subscription to {url}',
    'w.pauseShort': 'Pause',
    'w.resumeShort': 'Resume',
    'w.paused': 'subscription to {url} paused: no new events are queued for it',
    'w.resumed': 'subscription to {url} resumed',
    'w.delete': 'Delete the subscription to {url}',
    'w.deleteConfirm': 'Delete the subscription to {url}? Its pending deliveries are dropped and its delivery log goes with it.',
    'w.deleted': 'subscription to {url} deleted',
    'w.log': 'Delivery log of {url}',
    'w.logShort': 'Delivery log',
    'w.logShown': 'delivery log of {url}',
    'col.url': 'URL',
    'col.events': 'Events',
    'col.active': 'Active',
    'col.description': 'Description',
    'col.created': 'Made',
    'col.actions': 'Actions',
    'd.heading': 'Delivery log',
    'd.state': 'State',
    'd.allStates': 'Every state',
    'd.refresh': 'Refresh',
    'd.caption': 'Deliveries to {url}, newest first',
    'd.id': 'Delivery',
    'd.event': 'Event',
    'd.record': 'Record',
    'd.attempts': 'Attempts',
    'd.lastAttempt': 'Last attempt',
    'd.lastStatus': 'Last status',
    'd.lastError': 'Last error',
    'd.next': 'Next attempt',
    'd.delivered': 'Delivered',
    'd.retry': 'Retry delivery {id}',
    'd.retryShort': 'Retry',
    'd.retried': 'delivery {id} queued again: it is sent next',
    'state.pending': 'pending',
    'state.delivered': 'delivered',
    'state.failed': 'failed',
  },
  sv: {
    'w.list': 'Prenumerationer',
    'w.new': 'Ny prenumeration',
    'w.createHeading': 'Ny prenumeration',
    'w.changeHeading': 'Ändra prenumerationen till {url}',
    'w.url': 'URL (http eller https)',
    'w.description': 'Vad den är till för (valfritt)',
    'w.secret': 'Signeringshemlighet (valfri, minst 32 tecken; en skapas om tom)',
    'w.events': 'Händelser att skicka',
    'w.allEvents': 'Alla händelsetyper',
    'w.created': 'prenumerationen till {url} skapad',
    'w.changed': 'prenumerationen till {url} ändrad',
    'w.secretOnce': 'Signeringshemligheten för {url}: ge den till mottagaren nu, den visas inte igen.',
    'w.secretLabel': 'Signeringshemlighet',
    'w.secretDone': 'Jag har sparat den',
    'w.edit': 'Ändra prenumerationen till {url}',
    'w.pause': 'Pausa prenumerationen till {url}',
    'w.resume': 'Återuppta prenumerationen till {url}',
    'w.pauseShort': 'Pausa',
    'w.resumeShort': 'Återuppta',
    'w.paused': 'prenumerationen till {url} pausad: inga nya händelser köas för den',
    'w.resumed': 'prenumerationen till {url} återupptagen',
    'w.delete': 'Ta bort prenumerationen till {url}',
    'w.deleteConfirm': 'Ta bort prenumerationen till {url}? Väntande leveranser slängs och leveransloggen följer med.',
    'w.deleted': 'prenumerationen till {url} borttagen',
    'w.log': 'Leveranslogg för {url}',
    'w.logShort': 'Leveranslogg',
    'w.logShown': 'leveransloggen för {url}',
    'col.url': 'URL',
    'col.events': 'Händelser',
    'col.active': 'Aktiv',
    'col.description': 'Beskrivning',
    'col.created': 'Skapad',
    'col.actions': 'Åtgärder',
    'd.heading': 'Leveranslogg',
    'd.state': 'Läge',
    'd.allStates': 'Alla lägen',
    'd.refresh': 'Uppdatera',
    'd.caption': 'Leveranser till {url}, nyaste först',
    'd.id': 'Leverans',
    'd.event': 'Händelse',
    'd.record': 'Ärende',
    'd.attempts': 'Försök',
    'd.lastAttempt': 'Senaste försök',
    'd.lastStatus': 'Senaste status',
    'd.lastError': 'Senaste fel',
    'd.next': 'Nästa försök',
    'd.delivered': 'Levererad',
    'd.retry': 'Försök leverans {id} igen',
    'd.retryShort': 'Försök igen',
    'd.retried': 'leverans {id} köad igen: den skickas härnäst',
    'state.pending': 'väntar',
    'state.delivered': 'levererad',
    'state.failed': 'misslyckad',
  },
});

export function webhooksScreen(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono().get('/webhooks', (c) =>
    directoryPage(
      c,
      '/admin/webhooks',
      'admin-webhooks.js',
      WEBHOOK_MESSAGES,
      (t) => (
        <>
          <section aria-labelledby="w-list-heading">
            <h2 id="w-list-heading">{t('w.list')}</h2>
            <div id="webhook-list"></div>
            <p class="actions">
              <button type="button" id="webhook-new">
                {t('w.new')}
              </button>
            </p>
          </section>

          <section id="webhook-once" class="panel once" aria-labelledby="webhook-once-heading" hidden>
            <h2 id="webhook-once-heading" tabindex={-1}></h2>
            <label for="webhook-secret">{t('w.secretLabel')}</label>
            <input id="webhook-secret" class="secret" readonly />
            <div class="actions">
              <button type="button" id="webhook-secret-done">
                {t('w.secretDone')}
              </button>
            </div>
          </section>

          <section id="webhook-editor" class="panel" aria-labelledby="webhook-form-heading" hidden>
            <h2 id="webhook-form-heading" tabindex={-1}></h2>
            <form id="webhook-form" class="grid" novalidate>
              <label for="w-url">{t('w.url')}</label>
              <input id="w-url" name="url" type="url" required maxlength={2000} />
              <label for="w-description">{t('w.description')}</label>
              <input id="w-description" name="description" maxlength={500} />
              <label for="w-secret" class="create-only">
                {t('w.secret')}
              </label>
              <input id="w-secret" name="secret" class="create-only" autocomplete="off" />
              <fieldset>
                <legend>{t('w.events')}</legend>
                <ul class="choices">
                  <li>
                    <label>
                      <input type="checkbox" name="events" value="*" /> {t('w.allEvents')}
                    </label>
                  </li>
                  {HISTORY_EVENT_TYPES.map((type) => (
                    <li>
                      <label>
                        <input type="checkbox" name="events" value={type} /> {type}
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
              <div class="actions">
                <button type="submit">{t('form.save')}</button>
                <button type="button" id="webhook-cancel">
                  {t('form.cancel')}
                </button>
              </div>
            </form>
          </section>

          <section id="delivery-log" aria-labelledby="d-heading" hidden>
            <h2 id="d-heading" tabindex={-1}>
              {t('d.heading')}
            </h2>
            <div class="toolbar">
              <label>
                {t('d.state')}
                <select id="d-state">
                  <option value="">{t('d.allStates')}</option>
                  {DELIVERY_STATES.map((s) => (
                    <option value={s}>{t(`state.${s}`)}</option>
                  ))}
                </select>
              </label>
              <button type="button" id="d-refresh">
                {t('d.refresh')}
              </button>
            </div>
            <div id="delivery-list"></div>
            <p class="actions">
              <button type="button" id="d-more" hidden>
                {t('table.more')}
              </button>
            </p>
          </section>
        </>
      ),
      sso,
    ),
  );
}
