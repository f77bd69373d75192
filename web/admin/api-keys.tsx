// /admin/api-keys: the keys other systems call the API with: listed (never a secret), made (the
// key shown once, to be copied there and then) and revoked.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { ROLES } from '../../domain/roles.js';
import { directoryPage } from './directory-page.js';
import { defineMessages } from './messages.js';

const KEY_MESSAGES = defineMessages({
  en: {
    'k.list': 'API keys',
    'k.new': 'Make a key',
    'k.name': 'Name (who calls with it, e.g. ivr-stockholm)',
    'k.role': 'Role',
    'k.make': 'Make the key',
    'k.made': 'key {name} made',
    'k.shownOnce': 'The key {name}: copy it now, it will not be shown again.',
    'k.secret': 'The new key',
    'k.copy': 'Copy the key',
    'k.copied': 'Copied.',
    'k.copyFailed': 'Could not copy: select the key and copy it yourself.',
    'k.done': 'I have copied it',
    'k.revoke': 'Revoke key {name}',
    'k.revokeShort': 'Revoke',
    'k.revokeConfirm': 'Revoke the key {name}? Whatever calls with it is refused within seconds; this cannot be undone.',
    'k.revoked': 'key {name} revoked',
    'k.showRevoked': 'Show revoked keys',
    'k.find': 'Find by name',
    'col.name': 'Name',
    'col.role': 'Role',
    'col.created': 'Made',
    'col.createdBy': 'Made by',
    'col.lastUsed': 'Last used',
    'col.revoked': 'Revoked',
    'col.agent': 'Agent (personal token)',
    'col.actions': 'Actions',
    'role.ivr': 'IVR',
    'role.web': 'Web page',
    'role.agent': 'Agent desktop',
    'role.admin': 'Administrator',
    'role.supervisor': 'Supervisor (watches and reads)',
    'role.integration': 'Integration',
    never: 'never',
  },
  sv: {
    'k.list': 'API-nycklar',
    'k.new': 'Skapa en nyckel',
    'k.name': 'Namn (vem som anropar med den, t.ex. ivr-stockholm)',
    'k.role': 'Roll',
    'k.make': 'Skapa nyckeln',
    'k.made': 'nyckeln {name} skapad',
    'k.shownOnce': 'Nyckeln {name}: kopiera den nu, den visas inte igen.',
    'k.secret': 'Den nya nyckeln',
    'k.copy': 'Kopiera nyckeln',
    'k.copied': 'Kopierad.',
    'k.copyFailed': 'Kunde inte kopiera: markera nyckeln och kopiera den själv.',
    'k.done': 'Jag har kopierat den',
    'k.revoke': 'Återkalla nyckeln {name}',
    'k.revokeShort': 'Återkalla',
    'k.revokeConfirm': 'Återkalla nyckeln {name}? Allt som anropar med den nekas inom några sekunder; det går inte att ångra.',
    'k.revoked': 'nyckeln {name} återkallad',
    'k.showRevoked': 'Visa återkallade nycklar',
    'k.find': 'Sök på namn',
    'col.name': 'Namn',
    'col.role': 'Roll',
    'col.created': 'Skapad',
    'col.createdBy': 'Skapad av',
    'col.lastUsed': 'Senast använd',
    'col.revoked': 'Återkallad',
    'col.agent': 'Agent (personlig nyckel)',
    'col.actions': 'Åtgärder',
    'role.ivr': 'IVR',
    'role.web': 'Webbsida',
    'role.agent': 'Agentens skrivbord',
    'role.admin': 'Administratör',
    'role.supervisor': 'Arbetsledare (följer och läser)',
    'role.integration': 'Integration',
    never: 'aldrig',
  },
});

export function apiKeysScreen(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono().get('/api-keys', (c) =>
    directoryPage(
      c,
      '/admin/api-keys',
      'admin-api-keys.js',
      KEY_MESSAGES,
      (t) => (
        <>
          <section class="panel" aria-labelledby="k-new-heading">
            <h2 id="k-new-heading">{t('k.new')}</h2>
            <form id="key-form" class="grid" novalidate>
              <label for="k-name">{t('k.name')}</label>
              <input id="k-name" name="name" required maxlength={64} autocomplete="off" />
              <label for="k-role">{t('k.role')}</label>
              <select id="k-role" name="role">
                {ROLES.map((r) => (
                  <option value={r} selected={r === 'integration'}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
              <div class="actions">
                <button type="submit">{t('k.make')}</button>
              </div>
            </form>
          </section>

          <section id="key-once" class="panel once" aria-labelledby="key-once-heading" hidden>
            <h2 id="key-once-heading" tabindex={-1}></h2>
            <label for="key-secret">{t('k.secret')}</label>
            <input id="key-secret" class="secret" readonly />
            <div class="actions">
              <button type="button" id="key-copy">
                {t('k.copy')}
              </button>
              <button type="button" id="key-done">
                {t('k.done')}
              </button>
            </div>
            <p id="key-copied" role="status"></p>
          </section>

          <section aria-labelledby="k-list-heading">
            <h2 id="k-list-heading">{t('k.list')}</h2>
            <search class="toolbar">
              <label>
                {t('k.find')}
                <input id="k-find" type="search" autocomplete="off" />
              </label>
              <label class="inline">
                <input id="k-show-revoked" type="checkbox" /> {t('k.showRevoked')}
              </label>
            </search>
            <div id="key-list"></div>
          </section>
        </>
      ),
      sso,
    ),
  );
}
