// /admin/areas: the organisation areas listed, created and changed (name, limit of active
// records, duplicate policy), through /v1/org-areas.
import { Hono } from 'hono';
import { chooseLanguage } from '../i18n.js';
import { CONFIG_COMMON } from './config-messages.js';
import { renderAdmin } from './layout.js';
import { COMMON, defineMessages, say } from './messages.js';

const AREAS = defineMessages({
  en: {
    'areas.list': 'All organisation areas',
    'areas.caption': 'Organisation areas, by id',
    'areas.id': 'Id',
    'areas.name': 'Name',
    'areas.max': 'Most active records',
    'areas.maxHint': 'Empty: no limit',
    'areas.policy': 'Duplicate policy',
    'areas.policyParameter': 'As the callbackDuplicatePolicy parameter says now',
    'areas.policyParameterNow': 'As the callbackDuplicatePolicy parameter says now ({policy})',
    'areas.new': 'New organisation area',
    'areas.change': 'Change organisation area {id}',
    'areas.edit': 'Change {id}',
    'areas.created': 'organisation area {id} created',
    'areas.changed': 'organisation area {id} changed',
    'policy.allow': 'Allow duplicates',
    'policy.avoid': 'Avoid duplicates (one active record per phone number)',
    'policy.avoid-same-task-type': 'Avoid duplicates of the same task type',
  },
  sv: {
    'areas.list': 'Alla organisationsområden',
    'areas.caption': 'Organisationsområden, efter id',
    'areas.id': 'Id',
    'areas.name': 'Namn',
    'areas.max': 'Högst antal aktiva ärenden',
    'areas.maxHint': 'Tomt: ingen gräns',
    'areas.policy': 'Dubbletthantering',
    'areas.policyParameter': 'Som parametern callbackDuplicatePolicy säger nu',
    'areas.policyParameterNow': 'Som parametern callbackDuplicatePolicy säger nu ({policy})',
    'areas.new': 'Nytt organisationsområde',
    'areas.change': 'Ändra organisationsområde {id}',
    'areas.edit': 'Ändra {id}',
    'areas.created': 'organisationsområde {id} skapat',
    'areas.changed': 'organisationsområde {id} ändrat',
    'policy.allow': 'Tillåt dubbletter',
    'policy.avoid': 'Undvik dubbletter (ett aktivt ärende per telefonnummer)',
    'policy.avoid-same-task-type': 'Undvik dubbletter med samma ärendetyp',
  },
});

export function areasScreen(sso: boolean) {
  return new Hono().get('/areas', (c) =>
    renderAdmin(
      c,
      {
        screen: '/admin/areas',
        title: say(chooseLanguage(c), [COMMON], 'nav.areas'),
        scripts: ['admin-config.js', 'admin-areas.js'],
        messages: [AREAS, CONFIG_COMMON],
      },
      (t) => (
        <>
          <link rel="stylesheet" href="/callback/assets/admin-config.css" />
          <section aria-labelledby="areas-list-heading">
            <h2 id="areas-list-heading">{t('areas.list')}</h2>
            <div id="areas-table"></div>
          </section>
          <section class="panel" aria-labelledby="area-form-heading">
            <h2 id="area-form-heading">{t('areas.new')}</h2>
            <form id="area-form" class="grid" novalidate>
              <label for="area-id">{t('areas.id')}</label>
              <input id="area-id" name="id" autocomplete="off" required />
              <label for="area-name">{t('areas.name')}</label>
              <input id="area-name" name="name" autocomplete="off" required />
              <label for="area-max">{t('areas.max')}</label>
              <input id="area-max" name="maxActiveRecords" inputmode="numeric" aria-describedby="area-max-hint" />
              <span></span>
              <span id="area-max-hint" class="muted">
                {t('areas.maxHint')}
              </span>
              <label for="area-policy">{t('areas.policy')}</label>
              <select id="area-policy" name="duplicatePolicy">
                <option value="">{t('areas.policyParameter')}</option>
                <option value="allow">{t('policy.allow')}</option>
                <option value="avoid">{t('policy.avoid')}</option>
                <option value="avoid-same-task-type">{t('policy.avoid-same-task-type')}</option>
              </select>
              <div class="actions">
                <button type="submit" id="area-submit">
                  {t('form.create')}
                </button>
                <button type="button" id="area-cancel" hidden>
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
