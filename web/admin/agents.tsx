// /admin/agents: the agent directory (queues with routing priorities, languages, where the
// dialler reaches them) and the accounts people sign in with (an agent's or an administrator's):
// made, given a new password, deactivated and activated again.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { PERSON_ROLES } from '../../domain/roles.js';
import { directoryPage } from './directory-page.js';
import { defineMessages } from './messages.js';

const AGENT_MESSAGES = defineMessages({
  en: {
    'ag.list': 'Agents',
    'ag.new': 'New agent',
    'ag.createHeading': 'New agent',
    'ag.changeHeading': 'Change agent {id}',
    'ag.edit': 'Change agent {id}',
    'ag.deactivate': 'Deactivate agent {id}',
    'ag.deactivateShort': 'Deactivate',
    'ag.deactivateConfirm':
      "Deactivate agent {id}? Their sessions end and their personal tokens stop working; the records' history keeps their name.",
    'ag.deactivated': 'agent {id} deactivated',
    'ag.created': 'agent {id} added',
    'ag.changed': 'agent {id} changed',
    'ag.makeAccount': 'Make an account for {id}',
    'ag.makeAccountShort': 'Make account',
    'col.id': 'Id',
    'col.name': 'Name',
    'col.queues': 'Queues (priority)',
    'col.languages': 'Languages',
    'col.address': 'Reached at',
    'col.email': 'Email',
    'col.active': 'Active',
    'col.account': 'Account',
    'col.actions': 'Actions',
    'col.role': 'Role',
    'col.password': 'Password',
    'col.locked': 'Locked until',
    'col.createdBy': 'Made by',
    'f.id': 'Id',
    'f.displayName': 'Name',
    'f.languages': 'Languages (comma separated, e.g. sv, en)',
    'f.address': 'Phone number or device address (optional)',
    'f.email': 'Email (optional)',
    'f.active': 'Active',
    'q.legend': 'Queues and routing priorities',
    'q.help': 'Priority 1 is offered first; leave empty for none.',
    'q.queue': 'Queue {n}',
    'q.priority': 'Priority in queue {n}',
    'q.add': 'Add a queue',
    'q.remove': 'Remove queue {n}',
    'q.removeShort': 'Remove',
    'pe.list': "People's accounts",
    'pe.new': 'New account',
    'pe.createHeading': 'New account',
    'pe.created': 'account {id} made',
    'pe.role': 'Role',
    'pe.role.agent': 'Agent',
    'pe.role.supervisor': 'Supervisor',
    'pe.role.admin': 'Administrator',
    'pe.displayName': "Name (the agent's when empty)",
    'pe.password': 'First password (at least 12 characters; empty: single sign-on only)',
    'pe.has': 'Yes',
    'pe.hasNot': 'No (single sign-on)',
    'pe.setPassword': 'Set a new password for {id}',
    'pe.setPasswordShort': 'New password',
    'pe.passwordHeading': 'New password for {id}',
    'pe.newPassword': 'New password (at least 12 characters)',
    'pe.passwordSet': "{id}'s password set: their sessions have ended",
    'pe.deactivate': 'Deactivate account {id}',
    'pe.activate': 'Activate account {id}',
    'pe.deactivateShort': 'Deactivate',
    'pe.activateShort': 'Activate',
    'pe.deactivateConfirm': 'Deactivate the account {id}? They can no longer sign in, and their sessions end.',
    'pe.deactivated': 'account {id} deactivated',
    'pe.activated': 'account {id} activated',
    'none.account': 'No account',
    find: 'Find by id, name or email',
  },
  sv: {
    'ag.list': 'Agenter',
    'ag.new': 'Ny agent',
    'ag.createHeading': 'Ny agent',
    'ag.changeHeading': 'Ändra agenten {id}',
    'ag.edit': 'Ändra agenten {id}',
    'ag.deactivate': 'Inaktivera agenten {id}',
    'ag.deactivateShort': 'Inaktivera',
    'ag.deactivateConfirm':
      'Inaktivera agenten {id}? Agentens sessioner avslutas och personliga nycklar slutar fungera; ärendenas historik behåller namnet.',
    'ag.deactivated': 'agenten {id} inaktiverad',
    'ag.created': 'agenten {id} tillagd',
    'ag.changed': 'agenten {id} ändrad',
    'ag.makeAccount': 'Skapa ett konto för {id}',
    'ag.makeAccountShort': 'Skapa konto',
    'col.id': 'Id',
    'col.name': 'Namn',
    'col.queues': 'Köer (prioritet)',
    'col.languages': 'Språk',
    'col.address': 'Nås på',
    'col.email': 'E-post',
    'col.active': 'Aktiv',
    'col.account': 'Konto',
    'col.actions': 'Åtgärder',
    'col.role': 'Roll',
    'col.password': 'Lösenord',
    'col.locked': 'Låst till',
    'col.createdBy': 'Skapat av',
    'f.id': 'Id',
    'f.displayName': 'Namn',
    'f.languages': 'Språk (kommaseparerade, t.ex. sv, en)',
    'f.address': 'Telefonnummer eller enhetsadress (valfri)',
    'f.email': 'E-post (valfri)',
    'f.active': 'Aktiv',
    'q.legend': 'Köer och prioriteter',
    'q.help': 'Prioritet 1 erbjuds först; lämna tomt för ingen.',
    'q.queue': 'Kö {n}',
    'q.priority': 'Prioritet i kö {n}',
    'q.add': 'Lägg till en kö',
    'q.remove': 'Ta bort kö {n}',
    'q.removeShort': 'Ta bort',
    'pe.list': 'Personers konton',
    'pe.new': 'Nytt konto',
    'pe.createHeading': 'Nytt konto',
    'pe.created': 'kontot {id} skapat',
    'pe.role': 'Roll',
    'pe.role.agent': 'Agent',
    'pe.role.supervisor': 'Arbetsledare',
    'pe.role.admin': 'Administratör',
    'pe.displayName': 'Namn (agentens om tomt)',
    'pe.password': 'Första lösenord (minst 12 tecken; tomt: endast gemensam inloggning)',
    'pe.has': 'Ja',
    'pe.hasNot': 'Nej (gemensam inloggning)',
    'pe.setPassword': 'Sätt ett nytt lösenord för {id}',
    'pe.setPasswordShort': 'Nytt lösenord',
    'pe.passwordHeading': 'Nytt lösenord för {id}',
    'pe.newPassword': 'Nytt lösenord (minst 12 tecken)',
    'pe.passwordSet': 'lösenordet för {id} satt: personens sessioner har avslutats',
    'pe.deactivate': 'Inaktivera kontot {id}',
    'pe.activate': 'Aktivera kontot {id}',
    'pe.deactivateShort': 'Inaktivera',
    'pe.activateShort': 'Aktivera',
    'pe.deactivateConfirm': 'Inaktivera kontot {id}? Personen kan inte längre logga in, och sessionerna avslutas.',
    'pe.deactivated': 'kontot {id} inaktiverat',
    'pe.activated': 'kontot {id} aktiverat',
    'none.account': 'Inget konto',
    find: 'Sök på id, namn eller e-post',
  },
});

export function agentsScreen(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono().get('/agents', (c) =>
    directoryPage(
      c,
      '/admin/agents',
      'admin-agents.js',
      AGENT_MESSAGES,
      (t) => (
        <>
          <search class="toolbar">
            <label>
              {t('find')}
              <input id="directory-find" type="search" autocomplete="off" />
            </label>
          </search>
          <section aria-labelledby="ag-list-heading">
            <h2 id="ag-list-heading">{t('ag.list')}</h2>
            <div id="agent-list"></div>
            <p class="actions">
              <button type="button" id="agent-new">
                {t('ag.new')}
              </button>
            </p>
          </section>

          <section id="agent-editor" class="panel" aria-labelledby="agent-form-heading" hidden>
            <h2 id="agent-form-heading" tabindex={-1}></h2>
            <form id="agent-form" class="grid" novalidate>
              <label for="ag-id">{t('f.id')}</label>
              <input id="ag-id" name="id" required maxlength={100} />
              <label for="ag-name">{t('f.displayName')}</label>
              <input id="ag-name" name="displayName" required maxlength={100} />
              <fieldset>
                <legend>{t('q.legend')}</legend>
                <p class="muted">{t('q.help')}</p>
                <datalist id="queue-names"></datalist>
                <ol id="agent-queues" class="queue-rows"></ol>
                <button type="button" id="agent-queue-add">
                  {t('q.add')}
                </button>
              </fieldset>
              <label for="ag-languages">{t('f.languages')}</label>
              <input id="ag-languages" name="languages" />
              <label for="ag-address">{t('f.address')}</label>
              <input id="ag-address" name="address" maxlength={200} />
              <label for="ag-email">{t('f.email')}</label>
              <input id="ag-email" name="email" type="email" maxlength={254} />
              <label for="ag-active">{t('f.active')}</label>
              <input id="ag-active" name="active" type="checkbox" checked />
              <div class="actions">
                <button type="submit">{t('form.save')}</button>
                <button type="button" id="agent-cancel">
                  {t('form.cancel')}
                </button>
              </div>
            </form>
          </section>

          <section aria-labelledby="pe-list-heading">
            <h2 id="pe-list-heading">{t('pe.list')}</h2>
            <div id="people-list"></div>
            <p class="actions">
              <button type="button" id="person-new">
                {t('pe.new')}
              </button>
            </p>
          </section>

          <section id="person-editor" class="panel" aria-labelledby="person-form-heading" hidden>
            <h2 id="person-form-heading" tabindex={-1}>
              {t('pe.createHeading')}
            </h2>
            <form id="person-form" class="grid" novalidate>
              <label for="pe-id">{t('f.id')}</label>
              <input id="pe-id" name="id" required maxlength={100} autocomplete="off" />
              <label for="pe-role">{t('pe.role')}</label>
              <select id="pe-role" name="role">
                {PERSON_ROLES.map((r) => (
                  <option value={r}>{t(`pe.role.${r}`)}</option>
                ))}
              </select>
              <label for="pe-name">{t('pe.displayName')}</label>
              <input id="pe-name" name="displayName" maxlength={100} />
              <label for="pe-email">{t('f.email')}</label>
              <input id="pe-email" name="email" type="email" maxlength={254} />
              {/* Password fields join the page once an administrator is signed in (admin-agents.js): until
                  then the sign-in form's is the only one, for password managers and screen readers alike. */}
              <template class="after-sign-in">
                <label for="pe-password">{t('pe.password')}</label>
                <input id="pe-password" name="password" type="password" autocomplete="new-password" />
              </template>
              <div class="actions">
                <button type="submit">{t('form.create')}</button>
                <button type="button" id="person-cancel">
                  {t('form.cancel')}
                </button>
              </div>
            </form>
          </section>

          <section id="password-editor" class="panel" aria-labelledby="password-heading" hidden>
            <h2 id="password-heading" tabindex={-1}></h2>
            <form id="password-form" class="grid" novalidate>
              <template class="after-sign-in">
                <label for="pw-new">{t('pe.newPassword')}</label>
                <input id="pw-new" name="password" type="password" autocomplete="new-password" required />
              </template>
              <div class="actions">
                <button type="submit">{t('form.save')}</button>
                <button type="button" id="password-cancel">
                  {t('form.cancel')}
                </button>
              </div>
            </form>
          </section>
        </>
      ),
      sso,
    ),
  );
}
