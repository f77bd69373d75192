// The supervisor's live view (/admin/live): per queue, its records by stage, the oldest wait, the
// expected wait and the gate's use, and each agent's presence with the time in it; both kept
// current over event streams (/v1/live/queues/events, /v1/agents/presence/events), no reload.
// A supervisor may watch some queues only: an organisation area, or queues by name.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { renderAdmin } from './layout.js';
import { COMMON, defineMessages, say } from './messages.js';
import { chooseLanguage } from '../i18n.js';

export const LIVE = defineMessages({
  en: {
    'live.intro': 'What is happening now, updated as it happens: no need to reload the page.',
    'live.choice': 'Which queues',
    'live.choice.orgArea': 'Organisation area',
    'live.choice.queues': 'Queues (names, separated by commas)',
    'live.choice.show': 'Show',
    'live.choice.all': 'All queues',
    'live.choice.hint': 'Leave both empty to watch every queue.',
    'live.queues': 'Queues',
    'live.queues.caption': 'Records per queue, by stage',
    'live.queue': 'Queue',
    'live.orgArea': 'Area',
    'live.scheduled': 'Scheduled',
    'live.due': 'Due',
    'live.offered': 'Offered',
    'live.withAgent': 'With an agent',
    'live.paused': 'Paused',
    'live.oldestDue': 'Longest wait (due)',
    'live.oldestOffered': 'Longest wait (offered)',
    'live.expectedWait': 'Expected wait',
    'live.gate': 'Gate in use',
    'live.gate.value': '{holders} of {size}',
    'live.expectedWait.unknown': 'not known yet',
    'live.agents': 'Agents',
    'live.agents.caption': "Agents' presence, and how long they have been in it",
    'live.agent': 'Agent',
    'live.state': 'State',
    'live.reason': 'Reason',
    'live.since': 'Since',
    'live.timeInState': 'Time in state',
    'live.agentQueues': 'Queues',
    'live.record': 'Record',
    'live.state.available': 'Available',
    'live.state.away': 'Away',
    'live.state.offered': 'Offered a record',
    'live.state.on-call': 'On a call',
    'live.state.wrap-up': 'Wrap-up',
    'live.state.offline': 'Offline',
    'live.stream.live': 'Live: figures of {time}.',
    'live.stream.connecting': 'Connecting to the live figures…',
    'live.stream.lost': 'The live figures are out of reach: reconnecting… (the figures shown may be old)',
  },
  sv: {
    'live.intro': 'Det som händer nu, uppdaterat när det händer: sidan behöver inte laddas om.',
    'live.choice': 'Vilka köer',
    'live.choice.orgArea': 'Organisationsområde',
    'live.choice.queues': 'Köer (namn, åtskilda med kommatecken)',
    'live.choice.show': 'Visa',
    'live.choice.all': 'Alla köer',
    'live.choice.hint': 'Lämna båda tomma för att följa alla köer.',
    'live.queues': 'Köer',
    'live.queues.caption': 'Ärenden per kö, efter steg',
    'live.queue': 'Kö',
    'live.orgArea': 'Område',
    'live.scheduled': 'Schemalagda',
    'live.due': 'Förfallna',
    'live.offered': 'Erbjudna',
    'live.withAgent': 'Hos en agent',
    'live.paused': 'Pausade',
    'live.oldestDue': 'Längsta väntan (förfallna)',
    'live.oldestOffered': 'Längsta väntan (erbjudna)',
    'live.expectedWait': 'Förväntad väntetid',
    'live.gate': 'Använda platser',
    'live.gate.value': '{holders} av {size}',
    'live.expectedWait.unknown': 'inte känd än',
    'live.agents': 'Agenter',
    'live.agents.caption': 'Agenternas närvaro, och hur länge de har haft den',
    'live.agent': 'Agent',
    'live.state': 'Status',
    'live.reason': 'Orsak',
    'live.since': 'Sedan',
    'live.timeInState': 'Tid i status',
    'live.agentQueues': 'Köer',
    'live.record': 'Ärende',
    'live.state.available': 'Tillgänglig',
    'live.state.away': 'Borta',
    'live.state.offered': 'Erbjuds ett ärende',
    'live.state.on-call': 'I samtal',
    'live.state.wrap-up': 'Efterarbete',
    'live.state.offline': 'Utloggad',
    'live.stream.live': 'Live: siffror från {time}.',
    'live.stream.connecting': 'Ansluter till realtidssiffrorna…',
    'live.stream.lost': 'Realtidssiffrorna går inte att nå: ansluter igen… (siffrorna som visas kan vara gamla)',
  },
});

export function liveScreen(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono().get('/live', (c) => {
    // Passed on as they are: the API checks them, and the page says its refusal in words.
    const orgArea = c.req.query('orgArea')?.trim() ?? '';
    const queues = c.req.query('queues')?.trim() ?? '';
    const lang = chooseLanguage(c);
    return renderAdmin(
      c,
      {
        screen: '/admin/live',
        title: say(lang, [COMMON], 'nav.live'),
        scripts: ['admin-live.js'],
        messages: [LIVE],
        data: { 'org-area': orgArea, queues },
      },
      (t) => (
        <>
          <link rel="stylesheet" href="/callback/assets/admin-live.css" />
          <p>{t('live.intro')}</p>
          <form class="toolbar" method="get" action="/admin/live" aria-label={t('live.choice')}>
            <label for="live-org-area">
              {t('live.choice.orgArea')}
              <input id="live-org-area" name="orgArea" value={orgArea} autocomplete="off" aria-describedby="live-choice-hint" />
            </label>
            <label for="live-queues">
              {t('live.choice.queues')}
              <input id="live-queues" name="queues" value={queues} autocomplete="off" aria-describedby="live-choice-hint" />
            </label>
            <button type="submit">{t('live.choice.show')}</button>
            <a href="/admin/live">{t('live.choice.all')}</a>
            <p id="live-choice-hint" class="muted">
              {t('live.choice.hint')}
            </p>
          </form>
          <p id="live-stream" class="muted" aria-live="polite">
            {t('live.stream.connecting')}
          </p>
          <section aria-labelledby="live-queues-heading">
            <h2 id="live-queues-heading">{t('live.queues')}</h2>
            <div id="live-queues-table" class="live-table"></div>
          </section>
          <section aria-labelledby="live-agents-heading">
            <h2 id="live-agents-heading">{t('live.agents')}</h2>
            <div id="live-agents-table" class="live-table"></div>
          </section>
        </>
      ),
      sso,
    );
  });
}
