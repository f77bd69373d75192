// /callback: the customer asks to be called back, now or at a chosen time, or books an
// appointment from a schedule's free slots. The server writes what it knows now (open or closed,
// the expected wait, whether callbacks are taken); the script (assets/callback.js) does the rest.
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js';
import type { queueStatusNow } from '../services/queue-status.js';
import { dayName, t, type Language } from './i18n.js';
import { Layout } from './layout.js';

/** The countries the phone field offers first; any other number can be typed with its +code. */
const COUNTRIES: readonly CountryCode[] = ['SE', 'NO', 'DK', 'FI', 'IS', 'DE', 'NL', 'GB', 'IE', 'FR', 'ES', 'PL', 'US'];

export interface CustomerPageProps {
  lang: Language;
  switchHref: string;
  status: Awaited<ReturnType<typeof queueStatusNow>> | null;
  opensAt: { date: string; weekday: string; time: string } | null;
  scheduleId: string | null;
  defaultCountry: string;
}

export function CustomerPage({ lang, switchHref, status, opensAt, scheduleId, defaultCountry }: CustomerPageProps) {
  const title = t(lang, 'page.title');
  if (!status) {
    return (
      <Layout lang={lang} title={title} scripts={[]} switchHref={switchHref}>
        <p role="alert">{t(lang, 'page.noQueue')}</p>
      </Layout>
    );
  }
  const closed = !status.openNow;
  const opens =
    opensAt &&
    t(lang, 'status.opensAt', {
      day: dayName(lang, opensAt.weekday, opensAt.date, status.today.date),
      time: opensAt.time,
      zone: status.timeZone,
    });
  const regionName = new Intl.DisplayNames([lang], { type: 'region' });
  const countries = COUNTRIES.includes(defaultCountry as CountryCode) ? COUNTRIES : [defaultCountry as CountryCode, ...COUNTRIES];
  const defaultWhen = scheduleId ? 'appointment' : closed ? 'later' : 'now';

  return (
    <Layout lang={lang} title={title} scripts={['common.js', 'callback.js']} switchHref={switchHref}>
      <p>{t(lang, 'page.intro')}</p>
      <section class="status" aria-label={t(lang, 'manage.status')}>
        <p>{closed ? t(lang, 'status.closed') : t(lang, 'status.open')}</p>
        {closed && opens ? <p>{opens}</p> : null}
        {!closed && status.expectedWaitSeconds !== null ? (
          <p>{t(lang, 'status.expectedWait', { minutes: Math.max(1, Math.round(status.expectedWaitSeconds / 60)) })}</p>
        ) : null}
      </section>
      {!status.callbackOffered ? (
        <p role="alert" class="refusal">
          {status.notOfferedBecause.some((r) => r.endsWith('limit-reached')) ? t(lang, 'error.limit-reached') : t(lang, 'status.notTaking')}
        </p>
      ) : (
        <form
          id="callback-form"
          novalidate
          data-queue={status.queue}
          data-schedule={scheduleId ?? ''}
          data-lang={lang}
          data-closed={closed ? 'true' : 'false'}
          data-opens={opens ?? ''}
        >
          <fieldset>
            <legend>{t(lang, 'when.legend')}</legend>
            <label>
              <input type="radio" name="when" value="now" checked={defaultWhen === 'now'} /> {t(lang, 'when.now')}
            </label>
            <label>
              <input type="radio" name="when" value="later" checked={defaultWhen === 'later'} /> {t(lang, 'when.later')}
            </label>
            {scheduleId ? (
              <label>
                <input type="radio" name="when" value="appointment" checked={defaultWhen === 'appointment'} /> {t(lang, 'when.appointment')}
              </label>
            ) : null}
          </fieldset>

          <div id="later" hidden={defaultWhen !== 'later'}>
            <label for="requested-at">{t(lang, 'when.time')}</label>
            <input id="requested-at" name="requestedAt" type="datetime-local" />
          </div>

          {scheduleId ? (
            <fieldset id="slots" hidden={defaultWhen !== 'appointment'}>
              <legend>{t(lang, 'slots.legend')}</legend>
              <div class="week-nav">
                <button type="button" id="previous-week">
                  {t(lang, 'slots.previous')}
                </button>
                <button type="button" id="next-week">
                  {t(lang, 'slots.next')}
                </button>
              </div>
              <div id="week" class="week" aria-live="polite">
                <p>{t(lang, 'slots.loading')}</p>
              </div>
            </fieldset>
          ) : null}

          <div class="phone">
            <div>
              <label for="country">{t(lang, 'form.country')}</label>
              <select id="country" name="country">
                {countries.map((code) => (
                  <option value={code} selected={code === defaultCountry}>
                    {`${regionName.of(code) ?? code} (+${getCountryCallingCode(code)})`}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="phone">{t(lang, 'form.phone')}</label>
              <input id="phone" name="phone" type="tel" autocomplete="tel" required maxlength={32} />
            </div>
          </div>
          <label for="name">{t(lang, 'form.name')}</label>
          <input id="name" name="name" type="text" autocomplete="name" maxlength={100} />
          <label for="message">{t(lang, 'form.message')}</label>
          <textarea id="message" name="message" rows={3} maxlength={2000}></textarea>
          <label class="consent">
            <input id="consent" name="consent" type="checkbox" required /> {t(lang, 'form.consent')}
          </label>
          <p id="problem" role="alert" class="refusal" hidden></p>
          <button type="submit" id="submit">
            {t(lang, 'form.submit')}
          </button>
        </form>
      )}
      <section id="done" role="status" aria-live="polite" hidden>
        <h2>{t(lang, 'done.title')}</h2>
        <p id="done-text"></p>
        <p id="done-link" hidden>
          <a id="self-service-link" href="#" target="_top"></a>
          <br />
          {t(lang, 'done.keepLink')}
        </p>
      </section>
    </Layout>
  );
}
