// /agent: the agent's desk. The server renders every part, hidden; the script (assets/desk.js)
// signs in, listens to the agent's event stream and shows the part that fits: the sign-in form,
// or presence, the record offered or on a call, its wrap-up, and the agent's queues.
import { t, type Language, type MessageKey } from '../i18n.js';
import { Layout } from '../layout.js';

export const AWAY_REASONS = ['break', 'lunch', 'meeting', 'training', 'admin'] as const;
export const REFUSAL_REASONS = ['language', 'skill', 'busy', 'conflict'] as const;
const OUTCOMES = ['completed', 'reestablish-later', 'customer-not-reached'] as const;

export function DeskPage({ lang, switchHref, singleSignOn }: { lang: Language; switchHref: string; singleSignOn: boolean }) {
  const say = (key: MessageKey, values?: Record<string, string | number>) => t(lang, key, values);
  return (
    <Layout lang={lang} title={say('desk.title')} scripts={['common.js', 'desk.js']} switchHref={switchHref}>
      <div class="desk" id="desk-root" data-lang={lang}>
        <p id="loading">{say('desk.loading')}</p>
        <p id="connection" role="alert" class="banner" hidden>
          {say('desk.lost')}
        </p>
        <p id="problem" role="alert" class="refusal" hidden></p>
        <p id="notice" role="status" hidden></p>

        <section id="sign-in" aria-labelledby="sign-in-heading" hidden>
          <h2 id="sign-in-heading">{say('desk.signIn')}</h2>
          <p>{say('desk.signInIntro')}</p>
          <form id="sign-in-form" novalidate>
            <label for="user">{say('desk.user')}</label>
            <input id="user" name="id" autocomplete="username" required />
            <label for="password">{say('desk.password')}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
            <button type="submit">{say('desk.signIn')}</button>
          </form>
          {singleSignOn && (
            <p>
              <a href="/v1/session/oidc/start?returnTo=/agent">{say('desk.sso')}</a>
            </p>
          )}
        </section>

        <div id="work" hidden>
          <div class="who">
            <span id="who"></span>
            <button type="button" id="sign-out">
              {say('desk.signOut')}
            </button>
          </div>

          <section id="presence" aria-labelledby="presence-heading" class="panel">
            <h2 id="presence-heading">{say('desk.presence')}</h2>
            <p>
              <strong id="state"></strong> <span id="state-reason"></span> <span id="state-since" role="timer"></span>
            </p>
            <div class="presence-controls">
              <button type="button" id="set-available">
                {say('desk.setAvailable')}
              </button>
              <label for="away-reason">{say('desk.awayReason')}</label>
              <select id="away-reason">
                {AWAY_REASONS.map((r) => (
                  <option value={say(`desk.reason.${r}`)}>{say(`desk.reason.${r}`)}</option>
                ))}
              </select>
              <button type="button" id="set-away">
                {say('desk.setAway')}
              </button>
            </div>
          </section>

          <section id="offer" aria-labelledby="offer-heading" class="panel offer" hidden>
            <h2 id="offer-heading">{say('desk.offer')}</h2>
            <p class="countdown">
              {say('desk.timeLeft')}: <strong id="countdown" role="timer"></strong>
            </p>
            <div class="offer-actions">
              <button type="button" id="accept" aria-keyshortcuts="A">
                {say('desk.accept')}
              </button>
              <label for="refuse-reason">{say('desk.refuseReason')}</label>
              <select id="refuse-reason">
                {REFUSAL_REASONS.map((r) => (
                  <option value={say(`desk.refusal.${r}`)}>{say(`desk.refusal.${r}`)}</option>
                ))}
              </select>
              <button type="button" id="refuse" class="danger" aria-keyshortcuts="R">
                {say('desk.refuse')}
              </button>
            </div>
          </section>

          <section id="call" aria-labelledby="call-heading" class="panel" hidden>
            <h2 id="call-heading">{say('desk.call')}</h2>
            <p>
              <strong id="call-stage" aria-live="polite"></strong> · {say('desk.elapsed')}: <span id="call-elapsed" role="timer"></span>
            </p>
            <button type="button" id="end-call" hidden>
              {say('desk.endCall')}
            </button>
          </section>

          <form id="wrap-up" aria-labelledby="wrap-up-heading" class="panel" novalidate hidden>
            <h2 id="wrap-up-heading">{say('desk.wrapUp')}</h2>
            <fieldset>
              <legend>{say('desk.outcome')}</legend>
              {OUTCOMES.map((o, i) => (
                <label>
                  <input type="radio" name="outcome" value={o} checked={i === 0} /> {say(`desk.outcome.${o}`)}
                </label>
              ))}
            </fieldset>
            <div id="later" hidden>
              <label for="new-time" id="new-time-label"></label>
              <input id="new-time" type="datetime-local" />
              <label>
                <input type="checkbox" id="own-list" /> {say('desk.ownList')}
              </label>
            </div>
            <label for="wrap-comment">{say('desk.wrapComment')}</label>
            <textarea id="wrap-comment" rows={3} maxlength={2000}></textarea>
            <button type="submit">{say('desk.finish')}</button>
          </form>

          <section id="record" aria-labelledby="record-heading" class="panel" hidden>
            <h2 id="record-heading">{say('desk.record')}</h2>
            <dl class="facts">
              <dt>{say('desk.phone')}</dt>
              <dd id="r-phone"></dd>
              <dt>{say('desk.customer')}</dt>
              <dd id="r-customer"></dd>
              <dt>{say('desk.language')}</dt>
              <dd id="r-language"></dd>
              <dt>{say('desk.comment')}</dt>
              <dd id="r-comment"></dd>
              <dt>{say('desk.contactData')}</dt>
              <dd id="r-contact"></dd>
              <dt>{say('desk.requested')}</dt>
              <dd id="r-requested"></dd>
              <dt>{say('desk.queue')}</dt>
              <dd id="r-queue"></dd>
              <dt>{say('desk.attempt')}</dt>
              <dd id="r-attempt"></dd>
            </dl>
            <h3>{say('desk.history')}</h3>
            <ol id="r-history" class="history"></ol>
          </section>

          <section id="queues" aria-labelledby="queues-heading" class="panel">
            <h2 id="queues-heading">{say('desk.queues')}</h2>
            <p id="queues-updated" class="muted"></p>
            <div id="queue-list"></div>
            <h3 id="own-heading">{say('desk.ownWaitingList')}</h3>
            <ul id="own-list-items" aria-labelledby="own-heading"></ul>
          </section>
        </div>
      </div>
    </Layout>
  );
}
