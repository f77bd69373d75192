// /callback/manage#token=...: the customer's own callback, from the personal link. The token stays
// in the fragment, which the browser never sends to a server; the script (assets/manage.js) reads it
// and calls the self-service API with it.
import { t, type Language } from './i18n.js';
import { Layout } from './layout.js';

export function ManagePage({ lang, switchHref }: { lang: Language; switchHref: string }) {
  return (
    <Layout lang={lang} title={t(lang, 'manage.title')} scripts={['common.js', 'manage.js']} switchHref={switchHref}>
      <section id="callback" data-lang={lang} aria-live="polite">
        <p id="loading">{t(lang, 'manage.loading')}</p>
        <dl id="details" hidden>
          <dt>{t(lang, 'manage.status')}</dt>
          <dd id="status"></dd>
          <dt>{t(lang, 'manage.when')}</dt>
          <dd id="when"></dd>
        </dl>
      </section>
      <p id="problem" role="alert" class="refusal" hidden></p>
      <p id="notice" role="status" hidden></p>
      <div id="actions" hidden>
        <form id="move-form" novalidate>
          <fieldset>
            <legend>{t(lang, 'manage.move')}</legend>
            <div id="move-time" hidden>
              <label for="move-at">{t(lang, 'manage.moveTo')}</label>
              <input id="move-at" name="requestedAt" type="datetime-local" />
            </div>
            <div id="slots" hidden>
              <div class="week-nav">
                <button type="button" id="previous-week">
                  {t(lang, 'slots.previous')}
                </button>
                <button type="button" id="next-week">
                  {t(lang, 'slots.next')}
                </button>
              </div>
              <div id="week" class="week"></div>
            </div>
            <button type="submit" id="move">
              {t(lang, 'manage.moveSlot')}
            </button>
          </fieldset>
        </form>
        <button type="button" id="cancel" class="danger">
          {t(lang, 'manage.cancel')}
        </button>
      </div>
    </Layout>
  );
}
