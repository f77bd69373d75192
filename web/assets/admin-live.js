// The supervisor's live view: the queues' figures and the agents' presence, each read once and
// then kept current by its event stream; the waits and times in state tick every second in the
// page. The streams end with the session; the sign-in form comes back, and the view starts again
// once someone signs in.
/* global Admin */
'use strict';

Admin.ready(function watch() {
  const { el, t, number } = Admin;
  const $ = (id) => document.getElementById(id);
  const choice = new URLSearchParams();
  if (Admin.data.orgArea) choice.set('orgArea', Admin.data.orgArea);
  if (Admin.data.queues) choice.set('queues', Admin.data.queues);
  const query = choice.toString() ? `?${choice}` : '';

  let figures = null;
  const agents = new Map();
  const sources = [];
  let stopped = false;

  const two = (n) => String(n).padStart(2, '0');
  /** A length of time as the agent desk shows it: mm:ss, or h:mm:ss. */
  const span = (seconds) => {
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600);
    return h > 0 ? `${h}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${two(Math.floor(s / 60))}:${two(s % 60)}`;
  };
  const since = (iso) => span((Date.now() - Date.parse(iso)) / 1000);
  const clock = (iso) => new Intl.DateTimeFormat(Admin.locale, { timeStyle: 'medium' }).format(new Date(iso));
  /** A time that ticks: its text is refreshed every second from its data-since. */
  const ticking = (iso) => (iso ? el('time', { datetime: iso, class: 'ticking', dataset: { since: iso } }, since(iso)) : null);
  const numeric = (label, cell) => ({ label, cell, numeric: true });

  /** A table whose first column heads its rows (th scope=row) and whose figures line up on the right. */
  function table(caption, columns, rows) {
    const built = Admin.table({ caption, columns, rows });
    built.querySelectorAll('thead th').forEach((th, i) => columns[i].numeric && th.classList.add('number'));
    for (const tr of built.querySelectorAll('tbody tr')) {
      const cells = [...tr.children];
      if (cells.length !== columns.length) continue;
      cells.forEach((td, i) => columns[i].numeric && td.classList.add('number'));
      const head = el('th', { scope: 'row' }, ...cells[0].childNodes);
      cells[0].replaceWith(head);
    }
    return built;
  }

  function showQueues() {
    const rows = figures?.queues ?? [];
    $('live-queues-table').replaceChildren(
      table(
        t('live.queues.caption'),
        [
          { label: t('live.queue'), cell: (q) => q.queue },
          { label: t('live.orgArea'), cell: (q) => q.orgArea },
          numeric(t('live.scheduled'), (q) => number(q.records.scheduled)),
          numeric(t('live.due'), (q) => number(q.records.due)),
          numeric(t('live.offered'), (q) => number(q.records.offered)),
          numeric(t('live.withAgent'), (q) => number(q.records.withAgent)),
          numeric(t('live.paused'), (q) => number(q.records.paused)),
          numeric(t('live.oldestDue'), (q) => ticking(q.oldestDueAt)),
          numeric(t('live.oldestOffered'), (q) => ticking(q.oldestOfferedAt)),
          numeric(t('live.expectedWait'), (q) =>
            q.expectedWaitSeconds === null ? t('live.expectedWait.unknown') : span(q.expectedWaitSeconds),
          ),
          numeric(t('live.gate'), (q) =>
            el('span', { class: q.gate.holders >= q.gate.size ? 'full' : null }, t('live.gate.value', q.gate)),
          ),
        ],
        rows,
      ),
    );
  }

  /** The agents who serve a queue shown; every agent when every queue is. */
  function shownAgents() {
    const all = [...agents.values()].sort((a, b) => a.agentId.localeCompare(b.agentId));
    if (!query || !figures) return query ? [] : all;
    const names = new Set(figures.queues.map((q) => q.queue));
    return all.filter((a) => a.queues.some((q) => names.has(q)));
  }

  function showAgents() {
    $('live-agents-table').replaceChildren(
      table(
        t('live.agents.caption'),
        [
          { label: t('live.agent'), cell: (a) => (a.displayName === a.agentId ? a.agentId : `${a.displayName} (${a.agentId})`) },
          { label: t('live.state'), cell: (a) => el('span', { class: `state state-${a.state}` }, t(`live.state.${a.state}`)) },
          { label: t('live.reason'), cell: (a) => a.reason },
          { label: t('live.since'), cell: (a) => el('time', { datetime: a.since }, clock(a.since)) },
          numeric(t('live.timeInState'), (a) => ticking(a.since)),
          {
            label: t('live.record'),
            cell: (a) => (a.recordId ? el('a', { href: `/admin/records/${encodeURIComponent(a.recordId)}` }, a.recordId) : null),
          },
          { label: t('live.agentQueues'), cell: (a) => a.queues.join(', ') },
        ],
        shownAgents(),
      ),
    );
  }

  function streamState(key, values) {
    $('live-stream').textContent = t(key, values);
  }

  /** An agent's newer state replaces the one shown; a late event about an earlier one does not. */
  function heard(p) {
    const known = agents.get(p.agentId);
    if (known && Date.parse(p.since) < Date.parse(known.since)) return;
    agents.set(p.agentId, p);
  }

  function stop() {
    stopped = true;
    for (const s of sources.splice(0)) s.close();
  }

  /**
   * A stream ended, or was refused: the view starts again, at once while the session stands, after
   * sign-in when it has ended (Admin.api brings the form back), after a while when the API is out of reach.
   */
  async function startAgain() {
    stop();
    streamState('live.stream.connecting');
    try {
      await Admin.api('/v1/session');
    } catch (err) {
      if (!(err instanceof Admin.ApiProblem && err.status === 401)) await new Promise((r) => setTimeout(r, 5000));
    }
    Admin.ready(watch);
  }

  function listen(path, handlers) {
    const source = new EventSource(path, { withCredentials: true });
    sources.push(source);
    for (const [event, handle] of Object.entries(handlers)) source.addEventListener(event, (e) => handle(JSON.parse(e.data)));
    source.addEventListener('error', () => {
      if (stopped) return;
      streamState('live.stream.lost');
      // Closed for good (a refusal, such as an ended session): the browser will not try again.
      if (source.readyState === EventSource.CLOSED) void startAgain();
    });
    return source;
  }

  async function start() {
    try {
      figures = await Admin.api(`/v1/live/queues${query}`);
      for (const p of (await Admin.api('/v1/agents/presence')).items) heard(p);
    } catch (err) {
      Admin.refused(err);
      // Out of reach, or failing behind the API: try again in a while. A refusal of the choice stands.
      if (!(err instanceof Admin.ApiProblem) || err.status >= 500) setTimeout(() => void startAgain(), 5000);
      return;
    }
    showQueues();
    showAgents();
    listen(`/v1/live/queues/events${query}`, {
      queues: (data) => {
        figures = data;
        streamState('live.stream.live', { time: clock(data.at) });
        showQueues();
        showAgents();
      },
      ended: () => void startAgain(),
    });
    listen('/v1/agents/presence/events', {
      presence: (p) => {
        heard(p);
        showAgents();
      },
    });
  }

  const ticker = setInterval(() => {
    if (stopped) return clearInterval(ticker);
    for (const node of document.querySelectorAll('time.ticking')) node.textContent = since(node.dataset.since);
  }, 1000);

  void start();
});
