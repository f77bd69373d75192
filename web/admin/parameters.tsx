// /admin/parameters: every system parameter with its value, its default and what it does, each
// changed with a control that fits its type (read from the parameter's own schema), through
// /v1/parameters.
import { Hono } from 'hono';
import { z } from 'zod';
import { PARAMETERS, PARAMETER_NAMES, type ParameterName } from '../../domain/parameters.js';
import { chooseLanguage } from '../i18n.js';
import { CONFIG_COMMON } from './config-messages.js';
import { renderAdmin } from './layout.js';
import { COMMON, defineMessages, say } from './messages.js';

/** What the English effect says, in Swedish: the English is the API's own documentation. */
const EFFECT_SV: Record<ParameterName, string> = {
  enableCallbackService:
    'När false nekas varje begäran om återuppringning (409 callback-service-disabled); ärenden som redan finns fortsätter.',
  callbackBufferMax:
    'Hur många ärenden som får vara i en kö samtidigt (erbjudna, ringda, i samtal, i efterarbete) när kön inte har en egen grindstorlek; förfallna ärenden utöver det väntar på plats.',
  callbackDuplicatePolicy:
    'Dubbletthanteringen ett nytt organisationsområde får när det inte anger någon: allow, avoid (ett aktivt ärende per telefonnummer i området) eller avoid-same-task-type.',
  waitingListFirst:
    'Dirigeringsordning för återuppringningar till en viss agent: true, en agent som tar nästa ärende får sin egen väntelistas ärenden före teamköns; false, en gemensam kö efter prioritet och plats i kön.',
  defaultValidityHours:
    'Ett ärende som begärs utan validUntil gäller så här många timmar efter sin ringtid (sedan stängs det som utgånget, "End contact - Automatic"); null: tills det rings. Gäller ärenden som begärs efter ändringen.',
  offerTimeoutSeconds:
    'Hur länge ett erbjudande väntar på en agent innan det går till en annan (ett väntelisteärende går till hela kön; en köns erbjudande räknas som förlorat under dirigering och följer sin behandling), för köer som inte har en egen tid. Läses vid varje erbjudande.',
  lastAgentRetentionDays:
    'Hur länge ett stängt ärende behåller namnet på sin senaste agent (latestAgent); arbetarens städning rensar det efter så här många dagar. null: behålls.',
  agentRoutingOrder:
    'Vilken ledig agent ett ärende reserveras för: longest-idle, agenten som varit ledig längst; queue-priority, agenten med bäst prioritet för ärendets kö (1 först; agenter utan prioritet sist), den som varit ledig längst bland lika.',
  afterWrapUp:
    'En agents status när återkopplingen avslutar efterarbetet: available (får nästa ärende direkt) eller away (orsak after-call).',
  agentOfflineAfterSeconds:
    'En ledig eller frånvarande agent vars skrivbord inte har lyssnat (GET /v1/agents/me/events) så här länge går offline; en agent i samtal behåller sin status.',
};

const PARAMETER_TEXTS = defineMessages({
  en: {
    'param.value': 'Value now',
    'param.default': 'Default',
    'param.newValue': 'New value of {name}',
    'param.save': 'Save {name}',
    'param.none': 'none (null)',
    'param.noneHint': 'Empty: none (null)',
    'param.range': 'A whole number from {min} to {max}',
    'param.changed': '{name} is now {value}',
    'param.true': 'Yes (true)',
    'param.false': 'No (false)',
    ...Object.fromEntries(PARAMETER_NAMES.map((n) => [`param.effect.${n}`, PARAMETERS[n].effect])),
  },
  sv: {
    'param.value': 'Värde nu',
    'param.default': 'Standard',
    'param.newValue': 'Nytt värde för {name}',
    'param.save': 'Spara {name}',
    'param.none': 'inget (null)',
    'param.noneHint': 'Tomt: inget (null)',
    'param.range': 'Ett heltal från {min} till {max}',
    'param.changed': '{name} är nu {value}',
    'param.true': 'Ja (true)',
    'param.false': 'Nej (false)',
    ...Object.fromEntries(PARAMETER_NAMES.map((n) => [`param.effect.${n}`, EFFECT_SV[n]])),
  },
});

/** The control a parameter's value needs, read from its schema's JSON Schema. */
type Control =
  { kind: 'boolean' } | { kind: 'choice'; values: string[] } | { kind: 'integer'; min: number; max: number; nullable: boolean };

interface JsonSchema {
  type?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
}

function controlOf(name: ParameterName): Control {
  const schema = z.toJSONSchema(PARAMETERS[name].schema) as JsonSchema;
  const options = schema.anyOf ?? [schema];
  const value = options.find((s) => s.type !== 'null')!;
  if (value.type === 'boolean') return { kind: 'boolean' };
  if (value.enum) return { kind: 'choice', values: value.enum };
  if (value.type === 'integer') {
    return { kind: 'integer', min: value.minimum ?? 0, max: value.maximum ?? Number.MAX_SAFE_INTEGER, nullable: options.length > 1 };
  }
  throw new Error(`parameter ${name}: no control for its type`);
}

export function parametersScreen(sso: boolean) {
  return new Hono().get('/parameters', (c) =>
    renderAdmin(
      c,
      {
        screen: '/admin/parameters',
        title: say(chooseLanguage(c), [COMMON], 'nav.parameters'),
        scripts: ['admin-config.js', 'admin-parameters.js'],
        messages: [PARAMETER_TEXTS, CONFIG_COMMON],
      },
      (t) => (
        <>
          <link rel="stylesheet" href="/callback/assets/admin-config.css" />
          <div class="cards parameters">
            {PARAMETER_NAMES.map((name) => {
              const control = controlOf(name);
              const id = `param-${name}`;
              return (
                <section class="panel" aria-labelledby={`${id}-heading`}>
                  <h2 id={`${id}-heading`}>
                    <code>{name}</code>
                  </h2>
                  <p>{t(`param.effect.${name}`)}</p>
                  <dl>
                    <dt>{t('param.value')}</dt>
                    <dd id={`${id}-value`}>…</dd>
                    <dt>{t('param.default')}</dt>
                    <dd id={`${id}-default`}>…</dd>
                  </dl>
                  <form class="parameter" data-name={name} data-kind={control.kind} novalidate>
                    <label for={`${id}-input`}>{t('param.newValue', { name })}</label>
                    {control.kind === 'boolean' ? (
                      <select id={`${id}-input`}>
                        <option value="true">{t('param.true')}</option>
                        <option value="false">{t('param.false')}</option>
                      </select>
                    ) : control.kind === 'choice' ? (
                      <select id={`${id}-input`}>
                        {control.values.map((v) => (
                          <option value={v}>{v}</option>
                        ))}
                      </select>
                    ) : (
                      <>
                        <input
                          id={`${id}-input`}
                          inputmode="numeric"
                          data-nullable={String(control.nullable)}
                          aria-describedby={`${id}-hint`}
                        />
                        <span id={`${id}-hint`} class="muted">
                          {t('param.range', { min: control.min, max: control.max })}
                          {control.nullable ? `; ${t('param.noneHint')}` : ''}
                        </span>
                      </>
                    )}
                    <button type="submit">{t('param.save', { name })}</button>
                  </form>
                </section>
              );
            })}
          </div>
        </>
      ),
      sso,
    ),
  );
}
