// The agent's desk: sign-in, presence, the offer pushed over the event stream, the call and its
// wrap-up, and the agent's queues. Everything goes through the API with the session cookie; a
// state-changing request carries the session's CSRF token.
'use strict';

(() => {
  const { text, lang } = window.Callback;
  const $ = (id) => document.getElementById(id);
  const locale = lang === 'sv' ? 'sv-SE' : 'en-GB';
  /** How often the queues' lists are read again: they change with every record, which no event announces. */
  const QUEUES_EVERY_MS = 5000;
  /** How often the record's stage is read while a call is in progress (presence tells only on-call as a whole). */
  const STAGE_EVERY_MS = 1000;

  let csrf = null;
  let agentId = null;
  let events = null;
  let presence = null;
  let offer = null;
  let current = null;
  const zones = new Map();
  const timers = [];

  class ApiProblem extends Error {
    constructor(status, body) {
      super(body?.title ?? `HTTP ${status}`);
      this.status = status;
      this.body = body ?? {};
    }
  }

  async function api(path, { method = 'GET', body } = {}) {
    const headers = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    const res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    if (res.status === 204) return null;
    const answer = await res.json().catch(() => null);
    if (!res.ok) throw new ApiProblem(res.status, answer);
    return answer;
  }

  /** The problem in the agent's words, never the raw answer. */
  async function explain(err) {
    const type = err instanceof ApiProblem ? err.body.type : null;
    const message = type ? await text(`desk.error.${type}`) : null;
    return message && message !== (await text('error.generic')) ? message : text('desk.error.generic');
  }

  function show(element, message) {
    element.textContent = message;
    element.hidden = !message;
  }

  /** Runs an action; its problem is shown in words, and a session that ended brings the sign-in back. */
  async function act(work) {
    show($('problem'), '');
    try {
      await work();
    } catch (err) {
      show($('problem'), await explain(err));
      if (err instanceof ApiProblem && err.status === 401 && agentId) stop();
    }
  }

  const duration = (ms) => {
    const s = Math.max(0, Math.floor(ms / 1000));
    const two = (n) => String(n).padStart(2, '0');
    const h = Math.floor(s / 3600);
    return h > 0 ? `${h}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${two(Math.floor(s / 60))}:${two(s % 60)}`;
  };
  const format = (iso, timeZone) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
  const clock = (iso) => new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(new Date(iso));

  function validZone(zone) {
    if (typeof zone !== 'string' || !zone) return null;
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return zone;
    } catch {
      return null;
    }
  }

  /** The zone's offset from UTC at an instant, in ms. */
  function offsetAt(zone, ms) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
        .formatToParts(new Date(ms))
        .map((p) => [p.type, Number(p.value)]),
    );
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(ms / 1000) * 1000;
  }

  /** A datetime-local value read as wall time in `zone`, as an instant; null when empty. */
  function instantIn(value, zone) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value ?? '');
    if (!m) return null;
    const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
    let at = wall - offsetAt(zone, wall);
    at = wall - offsetAt(zone, at);
    return new Date(at).toISOString();
  }

  async function queueZone(queue) {
    if (!zones.has(queue))
      zones.set(
        queue,
        api(`/v1/queues/${encodeURIComponent(queue)}`).then(
          (q) => q.timeZone,
          () => null,
        ),
      );
    return zones.get(queue);
  }

  /** The customer's zone when the record says it (contactData.timeZone), else null. */
  const customerZone = (record) => validZone(record.contactData?.timeZone);

  async function renderRecord(record, attempt, maxAttempts) {
    current = {
      ...current,
      ...record,
      attempt: attempt ?? current?.attempt ?? record.attempts + 1,
      maxAttempts: maxAttempts ?? current?.maxAttempts ?? null,
    };
    $('r-phone').textContent = record.phone;
    $('r-customer').textContent =
      record.contactData?.name ??
      (record.customerId ? await text('desk.customerId', { id: record.customerId }) : await text('desk.unnamed'));
    $('r-language').textContent = record.language ?? '—';
    $('r-comment').textContent = record.comment ?? '—';
    const contact = Object.entries(record.contactData ?? {}).filter(([k]) => k !== 'name' && k !== 'timeZone');
    $('r-contact').textContent = contact.length ? contact.map(([k, v]) => `${k}: ${v}`).join('; ') : await text('desk.none');
    $('r-queue').textContent = record.queue;
    $('r-attempt').textContent = current.maxAttempts
      ? await text('desk.attemptOf', { n: current.attempt, m: current.maxAttempts })
      : await text('desk.attemptN', { n: current.attempt });
    const requested = $('r-requested');
    if (!record.requestedAt) {
      requested.textContent = await text('desk.asap');
    } else {
      const zone = customerZone(record);
      const yours = await text('desk.yourTime', { time: format(record.requestedAt) });
      const theirs = zone
        ? await text('desk.customerTime', { time: format(record.requestedAt, zone), zone })
        : await text('desk.zoneUnknown', {
            zone: (await queueZone(record.queue)) ?? '?',
            time: format(record.requestedAt, (await queueZone(record.queue)) ?? undefined),
          });
      requested.replaceChildren(
        Object.assign(document.createElement('span'), { textContent: yours }),
        document.createElement('br'),
        theirs,
      );
    }
    $('record').hidden = false;
  }

  async function loadHistory(id) {
    return renderHistory(await api(`/v1/callbacks/${encodeURIComponent(id)}`));
  }

  function renderHistory(full) {
    if (current?.id !== full.id) return full;
    const list = $('r-history');
    list.replaceChildren(
      ...full.history.map((e) => {
        const li = document.createElement('li');
        const detail = e.detail?.outcome ?? e.detail?.reason ?? '';
        li.textContent = `${format(e.at)} · ${e.type}${detail ? ` (${detail})` : ''} · ${e.actor}`;
        return li;
      }),
    );
    return full;
  }

  function tick() {
    const now = Date.now();
    if (presence) $('state-since').textContent = `(${duration(now - Date.parse(presence.since))})`;
    if (offer) $('countdown').textContent = duration(Date.parse(offer.until) - now);
    if (presence?.state === 'on-call') $('call-elapsed').textContent = duration(now - Date.parse(presence.since));
  }

  let stagePoll = null;
  async function pollStage() {
    if (presence?.state !== 'on-call' || !presence.recordId) return;
    const record = await api(`/v1/callbacks/${encodeURIComponent(presence.recordId)}`).catch(() => null);
    if (!record || presence?.state !== 'on-call') return;
    renderHistory(record);
    const stage = record.agentId === agentId && ['accepted', 'dialling', 'connected'].includes(record.stage) ? record.stage : 'ended';
    const words = await text(`desk.stage.${stage}`);
    if ($('call-stage').textContent !== words) $('call-stage').textContent = words;
    $('end-call').hidden = stage !== 'connected';
  }

  // The stream's events and the answers to the agent's own changes are shown one at a time, in the order they came.
  let chain = Promise.resolve();
  const inOrder = (work) => (chain = chain.then(work).catch(() => undefined));

  async function onPresence(p) {
    // An answer that comes after the stream told of a later change is out of date.
    if (presence && Date.parse(p.since) < Date.parse(presence.since)) return;
    presence = p;
    $('state').textContent = await text(`desk.state.${p.state}`);
    $('state-reason').textContent = p.reason ? `(${p.reason})` : '';
    const own = ['available', 'away', 'offline'].includes(p.state);
    $('set-available').disabled = !own || p.state === 'available';
    $('set-away').disabled = !own;
    $('set-available').setAttribute('aria-pressed', String(p.state === 'available'));
    $('set-away').setAttribute('aria-pressed', String(p.state === 'away'));
    if (p.state !== 'offered') hideOffer();
    const calling = p.state === 'on-call';
    $('call').hidden = !calling;
    clearInterval(stagePoll);
    stagePoll = null;
    if (calling) {
      $('call-stage').textContent = await text('desk.stage.accepted');
      $('end-call').hidden = true;
      stagePoll = setInterval(() => void pollStage(), STAGE_EVERY_MS);
      void pollStage();
    }
    $('wrap-up').hidden = p.state !== 'wrap-up';
    if (p.state === 'wrap-up') await prepareWrapUp();
    if ((calling || p.state === 'wrap-up') && p.recordId && current?.id !== p.recordId) {
      await act(async () => {
        current = { id: p.recordId };
        await renderRecord(await loadHistory(p.recordId));
      });
    } else if (p.state === 'wrap-up' && p.recordId) {
      void act(() => loadHistory(p.recordId));
    }
    if (!['offered', 'on-call', 'wrap-up'].includes(p.state)) {
      $('record').hidden = true;
      current = null;
      void loadQueues();
    }
    tick();
  }

  async function onOffer({ reservation, record }) {
    offer = reservation;
    current = { id: record.id };
    await renderRecord(record, reservation.attempt, reservation.maxAttempts);
    $('offer').hidden = false;
    tick();
    $('accept').focus();
    void act(() => loadHistory(record.id));
  }

  function hideOffer() {
    offer = null;
    $('offer').hidden = true;
  }

  async function prepareWrapUp() {
    const zone = (current && customerZone(current)) ?? (current?.queue ? await queueZone(current.queue) : null) ?? 'UTC';
    $('new-time').dataset.zone = zone;
    $('new-time-label').textContent = await text('desk.newTime', { zone });
  }

  function listen() {
    events?.close();
    events = new EventSource('/v1/agents/me/events');
    events.addEventListener('open', () => ($('connection').hidden = true));
    events.addEventListener('error', () => {
      $('connection').hidden = false;
      // A network error reconnects by itself; an answer that is not a stream (the session ended) does not.
      if (events.readyState === EventSource.CLOSED) {
        setTimeout(() => void act(restart), 3000);
      }
    });
    events.addEventListener('presence', (e) => void inOrder(() => onPresence(JSON.parse(e.data))));
    events.addEventListener('offer', (e) => void inOrder(() => onOffer(JSON.parse(e.data))));
  }

  async function restart() {
    if (!agentId) return;
    try {
      await api('/v1/session');
    } catch (err) {
      if (err instanceof ApiProblem && err.status === 401) {
        stop();
        return;
      }
    }
    listen();
  }

  function item(record) {
    const li = document.createElement('li');
    const who = record.contactData?.name ?? record.customerId ?? '';
    li.textContent = [record.requestedAt ? format(record.requestedAt) : format(record.dueAt), record.phone, who]
      .filter(Boolean)
      .join(' · ');
    return li;
  }

  async function loadQueues() {
    if (!agentId) return;
    let mine;
    try {
      mine = await api('/v1/agents/me');
    } catch (err) {
      // The session ended (idle, signed out elsewhere, deactivated): back to the sign-in, saying why.
      if (err instanceof ApiProblem && err.status === 401 && agentId) {
        stop();
        show($('problem'), await explain(err));
      }
      return;
    }
    const lists = await Promise.all(
      mine.queues.map(async ({ queue }) => ({
        queue,
        answer: await api(`/v1/queues/${encodeURIComponent(queue)}/callbacks?limit=500`).catch(() => null),
      })),
    );
    const blocks = [];
    const own = [];
    for (const { queue, answer } of lists) {
      const section = document.createElement('section');
      section.className = 'queue';
      const heading = Object.assign(document.createElement('h3'), { textContent: queue, id: `queue-${queue}` });
      section.setAttribute('aria-labelledby', heading.id);
      section.append(heading);
      const items = answer?.items ?? [];
      for (const r of items) if (r.waitingListOf === agentId) own.push(r);
      for (const timing of ['due', 'overdue', 'upcoming']) {
        const these = items.filter((r) => r.timing === timing);
        const label = await text(`desk.timing.${timing}`);
        const group = document.createElement('div');
        group.className = `timing ${timing}`;
        group.append(Object.assign(document.createElement('h4'), { textContent: `${label}: ${these.length}` }));
        const ul = document.createElement('ul');
        ul.setAttribute('aria-label', `${queue}: ${label}`);
        ul.append(...these.slice(0, 10).map(item));
        group.append(ul);
        section.append(group);
      }
      blocks.push(section);
    }
    $('queue-list').replaceChildren(...blocks);
    const empty = Object.assign(document.createElement('li'), { textContent: await text('desk.emptyList') });
    $('own-list-items').replaceChildren(...(own.length ? own.map(item) : [empty]));
    $('queues-updated').textContent = await text('desk.updated', { time: clock(new Date().toISOString()) });
  }

  async function start() {
    let who;
    try {
      who = await api('/v1/session');
    } catch (err) {
      if (!(err instanceof ApiProblem && err.status === 401)) show($('problem'), await explain(err));
      return showSignIn();
    }
    $('loading').hidden = true;
    if (who.kind !== 'person') return showSignIn();
    csrf = who.csrfToken;
    if (!who.agentId) {
      show($('problem'), await text('desk.notAnAgent'));
      return showSignIn();
    }
    agentId = who.agentId;
    $('who').textContent = await text('desk.signedInAs', { name: who.person?.displayName ?? who.agentId });
    $('sign-in').hidden = true;
    $('work').hidden = false;
    listen();
    timers.push(
      setInterval(tick, 250),
      setInterval(() => void loadQueues(), QUEUES_EVERY_MS),
    );
    void loadQueues();
    $('set-available').focus();
  }

  function showSignIn() {
    $('loading').hidden = true;
    $('work').hidden = true;
    $('sign-in').hidden = false;
  }

  /** Signed out, or the session ended: nothing of the desk keeps running. */
  function stop() {
    events?.close();
    events = null;
    for (const t of timers.splice(0)) clearInterval(t);
    clearInterval(stagePoll);
    agentId = null;
    csrf = null;
    presence = null;
    current = null;
    hideOffer();
    $('connection').hidden = true;
    showSignIn();
  }

  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void act(async () => {
      await api('/v1/session', { method: 'POST', body: { id: $('user').value.trim(), password: $('password').value } });
      $('password').value = '';
      await start();
    });
  });

  $('sign-out').addEventListener('click', () =>
    act(async () => {
      await api('/v1/session', { method: 'DELETE' });
      stop();
    }),
  );

  const setPresence = (body) =>
    act(async () => {
      const now = await api('/v1/agents/me/presence', { method: 'PUT', body });
      await inOrder(() => onPresence(now));
    });
  $('set-available').addEventListener('click', () => setPresence({ state: 'available' }));
  $('set-away').addEventListener('click', () => setPresence({ state: 'away', reason: $('away-reason').value }));

  const accept = () =>
    act(async () => {
      if (!offer) return;
      const id = offer.recordId;
      hideOffer();
      await renderRecord(await api(`/v1/callbacks/${encodeURIComponent(id)}/accept`, { method: 'POST', body: {} }));
    });
  const refuse = () =>
    act(async () => {
      if (!offer) return;
      const id = offer.recordId;
      hideOffer();
      $('record').hidden = true;
      await api(`/v1/callbacks/${encodeURIComponent(id)}/refuse`, { method: 'POST', body: { reason: $('refuse-reason').value } });
    });
  $('accept').addEventListener('click', accept);
  $('refuse').addEventListener('click', refuse);
  document.addEventListener('keydown', (event) => {
    if (!offer || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target instanceof Element && event.target.closest('input, select, textarea')) return;
    const key = event.key.toLowerCase();
    if (key === 'a') {
      event.preventDefault();
      void accept();
    } else if (key === 'r') {
      event.preventDefault();
      void refuse();
    }
  });

  $('end-call').addEventListener('click', () => setPresence({ state: 'wrap-up' }));

  const outcome = () => document.querySelector('input[name="outcome"]:checked')?.value;
  for (const radio of document.querySelectorAll('input[name="outcome"]')) {
    radio.addEventListener('change', () => ($('later').hidden = outcome() !== 'reestablish-later'));
  }

  $('wrap-up').addEventListener('submit', (event) => {
    event.preventDefault();
    void act(async () => {
      if (!presence?.recordId) return;
      const body = { outcome: outcome() };
      if (body.outcome === 'reestablish-later') {
        const at = instantIn($('new-time').value, $('new-time').dataset.zone ?? 'UTC');
        if (!at || Date.parse(at) <= Date.now()) throw new ApiProblem(400, { type: 'invalid-time' });
        body.requestedAt = at;
        if ($('own-list').checked) body.toOwnWaitingList = true;
      }
      const comment = $('wrap-comment').value.trim();
      if (comment) body.comment = comment;
      await api(`/v1/callbacks/${encodeURIComponent(presence.recordId)}/feedback`, { method: 'POST', body });
      $('wrap-up').reset();
      $('later').hidden = true;
      show($('notice'), await text('desk.finished'));
      setTimeout(() => show($('notice'), ''), 5000);
    });
  });

  void start();
})();
