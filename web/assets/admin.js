// What every admin screen's script shares: the texts, the signed-in session (the sign-in form
// until there is one), calls to the API with the session's CSRF token, every answer said in
// words, a confirmation before what cannot be undone, and small DOM helpers. A screen's script
// registers with Admin.ready(fn): fn runs once an administrator is signed in.
'use strict';

window.Admin = (() => {
  const $ = (id) => document.getElementById(id);
  const root = $('admin-root');
  const lang = root.dataset.lang === 'sv' ? 'sv' : 'en';
  const locale = lang === 'sv' ? 'sv-SE' : 'en-GB';
  const strings = JSON.parse(root.dataset.strings);
  const readyFns = [];
  let csrf = null;
  let who = null;

  /** A text with its {placeholders} filled in; the key itself when there is none. */
  function t(key, values = {}) {
    return (strings[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  /** A refusal from the API, with its problem+json body. */
  class ApiProblem extends Error {
    constructor(status, body) {
      super(body?.title ?? `HTTP ${status}`);
      this.status = status;
      this.body = body ?? {};
    }
  }

  /**
   * A call to the API as the signed-in person: JSON in, JSON out (null for 204); `raw` answers
   * the Response itself (a CSV). A refusal is thrown as an ApiProblem; a session that has ended
   * brings the sign-in form back.
   */
  async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
    const sent = { ...headers };
    if (body !== undefined) sent['content-type'] = 'application/json';
    if (method !== 'GET' && csrf) sent['x-csrf-token'] = csrf;
    const res = await fetch(path, {
      method,
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    if (!res.ok) {
      const answer = await res.json().catch(() => null);
      const problem = new ApiProblem(res.status, answer);
      if (res.status === 401 && who) signedOut(t('signIn.ended'));
      throw problem;
    }
    if (raw) return res;
    if (res.status === 204) return null;
    return res.json();
  }

  /** The API's refusal in words: status, type, title, detail, and each field that was wrong. */
  function describe(err) {
    if (!(err instanceof ApiProblem)) return t('answer.unreachable');
    const { type = 'error', title = err.message, detail, errors = [] } = err.body;
    const parts = [t('answer.refused', { status: err.status, type, title })];
    if (detail && detail !== title) parts.push(detail);
    for (const e of errors) parts.push(t('answer.field', { path: e.path || '(body)', message: e.message }));
    return parts.join(' · ');
  }

  function show(element, message) {
    element.textContent = message;
    element.hidden = !message;
  }

  /** Says the API's answer to an action that worked. */
  function answered(what, status = 200) {
    show($('admin-problem'), '');
    show($('admin-answer'), t('answer.ok', { status, what }));
  }

  /** Says why an action did not work. */
  function refused(err) {
    show($('admin-answer'), '');
    show($('admin-problem'), describe(err));
  }

  /**
   * Runs an action and says how it went: `what` (a text, or a function of the result) when it
   * worked, the API's refusal when not. Resolves to the result, or undefined when refused.
   */
  async function act(work, what, status = 200) {
    show($('admin-problem'), '');
    show($('admin-answer'), '');
    try {
      const result = await work();
      answered(typeof what === 'function' ? what(result) : what, status);
      return result;
    } catch (err) {
      refused(err);
      return undefined;
    }
  }

  /** Asks before an action that cannot be undone; resolves true when the person confirms. */
  function confirm(message) {
    const dialog = $('confirm');
    $('confirm-message').textContent = message;
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true });
      dialog.returnValue = '';
      dialog.showModal();
    });
  }

  /** An element: `el('button', { type: 'button', onclick }, 'Save')`; children may be strings, nodes or arrays. */
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
      else if (name === 'dataset') Object.assign(node.dataset, value);
      else if (name in node && typeof value !== 'string') node[name] = value;
      else node.setAttribute(name, value === true ? '' : value);
    }
    node.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
    return node;
  }

  /**
   * A table of `rows`: columns are `{ label, cell(row) }`, a cell a string or a node. With a
   * caption for screen readers; an empty list says so.
   */
  function table({ caption, columns, rows }) {
    return el(
      'table',
      {},
      caption ? el('caption', {}, caption) : null,
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          columns.map((c) => el('th', { scope: 'col' }, c.label)),
        ),
      ),
      el(
        'tbody',
        {},
        rows.length
          ? rows.map((row) =>
              el(
                'tr',
                {},
                columns.map((c) => el('td', {}, c.cell(row) ?? t('form.none'))),
              ),
            )
          : el('tr', {}, el('td', { colspan: String(columns.length) }, t('table.empty'))),
      ),
    );
  }

  /** An instant in the administrator's own zone, or in `timeZone`. */
  const time = (iso, timeZone) =>
    iso
      ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', ...(timeZone ? { timeZone } : {}) }).format(
          new Date(iso),
        )
      : t('form.none');
  const number = (n, digits = 0) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);

  /** Runs `fn(who)` once an administrator is signed in (at once when one is). */
  function ready(fn) {
    if (who) fn(who);
    else readyFns.push(fn);
  }

  function showSignIn(message) {
    $('admin-loading').hidden = true;
    $('screen').hidden = true;
    $('who-bar').hidden = true;
    $('sign-in').hidden = false;
    if (message) show($('admin-problem'), message);
    $('sign-in-user').focus();
  }

  function signedOut(message) {
    who = null;
    csrf = null;
    showSignIn(message);
  }

  async function start() {
    let session;
    try {
      session = await api('/v1/session');
    } catch (err) {
      if (!(err instanceof ApiProblem && err.status === 401)) refused(err);
      return showSignIn();
    }
    if (session.kind !== 'person' || !['admin', 'supervisor'].includes(session.role)) return showSignIn(t('signIn.notAdmin'));
    csrf = session.csrfToken;
    who = session;
    $('who').textContent = t('who.signedInAs', { name: session.person?.displayName ?? session.name });
    $('admin-loading').hidden = true;
    $('sign-in').hidden = true;
    $('who-bar').hidden = false;
    // What the role may not use is not offered: other screens' links, and parts marked .admin-only.
    document.body.dataset.role = session.role;
    for (const item of document.querySelectorAll('.admin-nav li[data-roles]'))
      item.hidden = !item.dataset.roles.split(' ').includes(session.role);
    if (!(root.dataset.roles ?? 'admin').split(' ').includes(session.role)) return show($('admin-problem'), t('signIn.notForRole'));
    $('screen').hidden = false;
    for (const fn of readyFns.splice(0)) fn(session);
  }

  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    show($('admin-problem'), '');
    try {
      await api('/v1/session', { method: 'POST', body: { id: $('sign-in-user').value.trim(), password: $('sign-in-password').value } });
      $('sign-in-password').value = '';
      await start();
    } catch (err) {
      show($('admin-problem'), t('signIn.failed', { detail: describe(err) }));
    }
  });

  $('sign-out').addEventListener('click', async () => {
    try {
      await api('/v1/session', { method: 'DELETE' });
    } finally {
      signedOut('');
    }
  });

  void start();

  return {
    lang,
    locale,
    t,
    api,
    ApiProblem,
    describe,
    answered,
    refused,
    act,
    confirm,
    el,
    table,
    time,
    number,
    ready,
    data: root.dataset,
  };
})();
