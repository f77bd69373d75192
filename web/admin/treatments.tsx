// /admin/treatments: an organisation area's standard treatment set and a queue's exception to it,
// in an editor that shows per outcome Close or Postpone N minutes, the thresholds, and where each
// value comes from (the product's defaults, the area's set or the queue's exception), through
// /v1/treatments.
import { Hono } from 'hono';
import { TREATABLE_OUTCOMES } from '../../domain/record.js';
import { COUNTED_OUTCOMES } from '../../domain/treatment.js';
import { chooseLanguage } from '../i18n.js';
import { CONFIG_COMMON } from './config-messages.js';
import { renderAdmin } from './layout.js';
import { COMMON, defineMessages, say } from './messages.js';

const TREATMENTS = defineMessages({
  en: {
    'treat.choose': 'Which set',
    'treat.area': 'Organisation area',
    'treat.queue': 'Queue',
    'treat.areaSet': "The area's standard set",
    'treat.headingQueue': 'Treatments of queue {queue} (area {area})',
    'treat.headingArea': 'Standard treatments of area {area}',
    'treat.caption': 'Per outcome: what happens, its threshold, and where the value comes from',
    'treat.outcome': 'Outcome',
    'treat.action': 'What happens',
    'treat.minutes': 'Postpone by (minutes)',
    'treat.threshold': 'Close at occurrence',
    'treat.source': 'Comes from',
    'treat.otherwiseArea': "Without the exception: area {area}'s set ({source})",
    'treat.otherwiseDefault': "Without it: the product's defaults",
    'treat.close': 'Close',
    'treat.postpone': 'Postpone',
    'treat.closeText': 'Close',
    'treat.postponeText': 'Postpone {n} min',
    'treat.postponeNow': 'Postpone, as soon as possible',
    'treat.thresholdText': 'close at no. {n}',
    'treat.noThreshold': 'no threshold',
    'treat.actionOf': '{outcome}: what happens',
    'treat.minutesOf': '{outcome}: postpone by minutes',
    'treat.thresholdOf': '{outcome}: close at occurrence',
    'treat.newTime': "Takes the customer's new time",
    'treat.attempts': 'Attempts in total',
    'treat.attemptsOf': 'Close after this many attempts in total',
    'treat.attemptsText': 'close after {n} attempts',
    'treat.noAttemptLimit': 'no limit of attempts',
    'treat.hint': 'Empty minutes mean as soon as possible; an empty threshold or limit means none.',
    'source.queue': 'queue exception',
    'source.org-area': 'area standard',
    'source.default': 'product default',
    'source.changed': 'changed here, not saved',
    'source.same': '{source} (same as {other})',
    'treat.inForce': 'In force: {source}{by}.',
    'treat.by': ', saved by {who} on {when}',
    'treat.saveQueue': "Save as queue {queue}'s exception",
    'treat.saveArea': "Save as area {area}'s standard set",
    'treat.removeQueue': "Remove queue {queue}'s exception (back to the area's set)",
    'treat.removeArea': "Remove area {area}'s set (back to the product's defaults)",
    'treat.removeQueueConfirm': "Remove queue {queue}'s exception? Its records follow area {area}'s set from their next outcome.",
    'treat.removeAreaConfirm':
      "Remove area {area}'s standard set? Its queues without an exception follow the product's defaults from their records' next outcome.",
    'treat.savedQueue': "queue {queue}'s exception saved",
    'treat.savedArea': "area {area}'s standard set saved",
    'treat.removedQueue': "queue {queue}'s exception removed: it follows its area's set",
    'treat.removedArea': "area {area}'s set removed: it follows the product's defaults",
    'treat.fixed': 'Outcomes no set changes',
    'treat.fixedCaption': 'Outcomes whose handling is fixed',
    'treat.fixedWhat': 'What happens',
    'treat.stored': 'Every stored set',
    'treat.storedCaption': 'Sets stored for areas and queues',
    'treat.scope': 'For',
    'treat.name': 'Area or queue',
    'treat.updatedBy': 'Saved by',
    'treat.updatedAt': 'Saved at',
    'treat.open': 'Open {name}',
    'treat.openColumn': 'Open',
    'treat.discard': 'The changes in the editor are not saved. Show another set and let them go?',
    'scope.org-area': 'Organisation area',
    'scope.queue': 'Queue',
    'outcome.busy': 'Busy',
    'outcome.no-answer': 'No answer',
    'outcome.answering-machine': 'Answering machine',
    'outcome.fax-modem': 'Fax or modem',
    'outcome.invalid-number': 'Invalid number',
    'outcome.telephony-error': 'Telephony error',
    'outcome.refused': 'Refused by the agent',
    'outcome.customer-not-reached': 'Customer not reached',
    'outcome.agent-client-terminated': "Agent's client terminated",
    'outcome.lost-during-routing': 'Lost during routing',
    'outcome.reestablish-later': 'Re-establish later',
    'outcome.answered': 'Answered',
    'outcome.completed': 'Completed',
    'outcome.expired': 'Expired',
    'outcome.agent-not-reached': 'Agent not reached',
    'fixed.answered': 'Connects the agent.',
    'fixed.completed': 'Closes the record.',
    'fixed.expired': 'Closes the record.',
    'fixed.agent-not-reached': 'The agent did not answer the call to their device: back to the queue, not counted as an attempt.',
    'fixed.reestablish-later': "Takes the customer's new time (closes when its threshold is reached).",
  },
  sv: {
    'treat.choose': 'Vilken uppsättning',
    'treat.area': 'Organisationsområde',
    'treat.queue': 'Kö',
    'treat.areaSet': 'Områdets standarduppsättning',
    'treat.headingQueue': 'Behandlingar för kön {queue} (område {area})',
    'treat.headingArea': 'Standardbehandlingar för området {area}',
    'treat.caption': 'Per utfall: vad som händer, dess tröskel och var värdet kommer ifrån',
    'treat.outcome': 'Utfall',
    'treat.action': 'Vad som händer',
    'treat.minutes': 'Skjut upp (minuter)',
    'treat.threshold': 'Stäng vid gång nr',
    'treat.source': 'Kommer från',
    'treat.otherwiseArea': 'Utan undantaget: området {area}s uppsättning ({source})',
    'treat.otherwiseDefault': 'Utan den: produktens standard',
    'treat.close': 'Stäng',
    'treat.postpone': 'Skjut upp',
    'treat.closeText': 'Stäng',
    'treat.postponeText': 'Skjut upp {n} min',
    'treat.postponeNow': 'Skjut upp, så snart som möjligt',
    'treat.thresholdText': 'stäng vid nr {n}',
    'treat.noThreshold': 'ingen tröskel',
    'treat.actionOf': '{outcome}: vad som händer',
    'treat.minutesOf': '{outcome}: skjut upp minuter',
    'treat.thresholdOf': '{outcome}: stäng vid gång nr',
    'treat.newTime': 'Tar kundens nya tid',
    'treat.attempts': 'Försök totalt',
    'treat.attemptsOf': 'Stäng efter så här många försök totalt',
    'treat.attemptsText': 'stäng efter {n} försök',
    'treat.noAttemptLimit': 'ingen gräns för försök',
    'treat.hint': 'Tomma minuter betyder så snart som möjligt; en tom tröskel eller gräns betyder ingen.',
    'source.queue': 'köns undantag',
    'source.org-area': 'områdets standard',
    'source.default': 'produktens standard',
    'source.changed': 'ändrat här, inte sparat',
    'source.same': '{source} (samma som {other})',
    'treat.inForce': 'Gäller: {source}{by}.',
    'treat.by': ', sparad av {who} {when}',
    'treat.saveQueue': 'Spara som undantag för kön {queue}',
    'treat.saveArea': 'Spara som standard för området {area}',
    'treat.removeQueue': 'Ta bort undantaget för kön {queue} (tillbaka till områdets)',
    'treat.removeArea': 'Ta bort områdets {area} uppsättning (tillbaka till produktens standard)',
    'treat.removeQueueConfirm': 'Ta bort undantaget för kön {queue}? Dess ärenden följer området {area}s uppsättning från nästa utfall.',
    'treat.removeAreaConfirm':
      'Ta bort standarduppsättningen för området {area}? Dess köer utan undantag följer produktens standard från nästa utfall.',
    'treat.savedQueue': 'undantaget för kön {queue} sparat',
    'treat.savedArea': 'standarduppsättningen för området {area} sparad',
    'treat.removedQueue': 'undantaget för kön {queue} borttaget: den följer områdets uppsättning',
    'treat.removedArea': 'uppsättningen för området {area} borttagen: det följer produktens standard',
    'treat.fixed': 'Utfall som ingen uppsättning ändrar',
    'treat.fixedCaption': 'Utfall med fast hantering',
    'treat.fixedWhat': 'Vad som händer',
    'treat.stored': 'Alla sparade uppsättningar',
    'treat.storedCaption': 'Uppsättningar sparade för områden och köer',
    'treat.scope': 'För',
    'treat.name': 'Område eller kö',
    'treat.updatedBy': 'Sparad av',
    'treat.updatedAt': 'Sparad',
    'treat.open': 'Öppna {name}',
    'treat.openColumn': 'Öppna',
    'treat.discard': 'Ändringarna i redigeraren är inte sparade. Visa en annan uppsättning och släppa dem?',
    'scope.org-area': 'Organisationsområde',
    'scope.queue': 'Kö',
    'outcome.busy': 'Upptaget',
    'outcome.no-answer': 'Inget svar',
    'outcome.answering-machine': 'Telefonsvarare',
    'outcome.fax-modem': 'Fax eller modem',
    'outcome.invalid-number': 'Ogiltigt nummer',
    'outcome.telephony-error': 'Telefonifel',
    'outcome.refused': 'Nekad av agenten',
    'outcome.customer-not-reached': 'Kunden nåddes inte',
    'outcome.agent-client-terminated': 'Agentens klient avslutades',
    'outcome.lost-during-routing': 'Förlorad under dirigering',
    'outcome.reestablish-later': 'Återuppta senare',
    'outcome.answered': 'Besvarat',
    'outcome.completed': 'Avslutat',
    'outcome.expired': 'Utgånget',
    'outcome.agent-not-reached': 'Agenten nåddes inte',
    'fixed.answered': 'Kopplar agenten.',
    'fixed.completed': 'Stänger ärendet.',
    'fixed.expired': 'Stänger ärendet.',
    'fixed.agent-not-reached': 'Agenten svarade inte i sin telefon: tillbaka till kön, räknas inte som försök.',
    'fixed.reestablish-later': 'Tar kundens nya tid (stänger när dess tröskel nås).',
  },
});

export function treatmentsScreen(sso: boolean) {
  return new Hono().get('/treatments', (c) =>
    renderAdmin(
      c,
      {
        screen: '/admin/treatments',
        title: say(chooseLanguage(c), [COMMON], 'nav.treatments'),
        scripts: ['admin-config.js', 'admin-treatments.js'],
        messages: [TREATMENTS, CONFIG_COMMON],
        data: { outcomes: JSON.stringify(TREATABLE_OUTCOMES), counted: JSON.stringify(COUNTED_OUTCOMES) },
      },
      (t) => (
        <>
          <link rel="stylesheet" href="/callback/assets/admin-config.css" />
          <section aria-labelledby="treat-choose-heading">
            <h2 id="treat-choose-heading">{t('treat.choose')}</h2>
            <form id="treat-choose" class="toolbar">
              <label for="treat-area">{t('treat.area')}</label>
              <select id="treat-area"></select>
              <label for="treat-queue">{t('treat.queue')}</label>
              <select id="treat-queue"></select>
            </form>
          </section>
          <section aria-labelledby="treat-heading" id="treat-editor" hidden>
            <h2 id="treat-heading"></h2>
            <p id="treat-in-force"></p>
            <p class="muted">{t('treat.hint')}</p>
            <div id="treat-table" class="wide"></div>
            <div class="actions">
              <button type="button" id="treat-save"></button>
              <button type="button" id="treat-remove" class="danger"></button>
            </div>
          </section>
          <section aria-labelledby="treat-fixed-heading">
            <h2 id="treat-fixed-heading">{t('treat.fixed')}</h2>
            <div id="treat-fixed"></div>
          </section>
          <section aria-labelledby="treat-stored-heading">
            <h2 id="treat-stored-heading">{t('treat.stored')}</h2>
            <div id="treat-stored"></div>
          </section>
        </>
      ),
      sso,
    ),
  );
}
