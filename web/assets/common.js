// What the pages' scripts share: their texts, calls to the page API with its problems in words,
// times in the customer's own zone, the proof of work, and the week view of free slots.
'use strict';

window.Callback = (() => {
  const API = '/callback/api';
  const lang = document.documentElement.lang === 'sv' ? 'sv' : 'en';
  const strings = fetch(`${API}/strings/${lang}`).then((r) => r.json());

  /** A message with its {placeholders} filled in. */
  async function text(key, values = {}) {
    const all = await strings;
    return (all[key] ?? all['error.generic']).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  class Problem extends Error {
    constructor(status, body) {
      super(body?.title ?? `HTTP ${status}`);
      this.status = status;
      this.body = body ?? {};
    }
  }

  /** JSON in and out; a refusal is thrown as a Problem with the problem+json body. */
  async function call(path, { method = 'GET', body, headers = {} } = {}) {
    const res = await fetch(`${API}${path}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = await res.json().catch(() => null);
    if (!res.ok) throw new Problem(res.status, answer);
    return answer;
  }

  /** The problem in the customer's words; never the raw answer. */
  async function explain(err, values = {}) {
    if (!(err instanceof Problem)) return text('error.generic');
    const { type, errors = [] } = err.body;
    if (type === 'validation-error') {
      const paths = errors.map((e) => e.path);
      if (paths.includes('phone')) return text('error.invalid-phone');
      if (paths.includes('consent')) return text('error.consent');
      if (paths.some((p) => p === 'requestedAt' || p === 'slotStart')) return text('error.invalid-time');
      return text('error.generic');
    }
    if (type === 'invalid-time') return text('error.invalid-time');
    const all = await strings;
    return all[`error.${type}`] ? text(`error.${type}`, values) : text('error.generic');
  }

  const timeFormat = new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { dateStyle: 'full', timeStyle: 'short' });
  const dayFormat = new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long' });
  const clockFormat = new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
  /** An instant, in the customer's own time zone. */
  const when = (iso) => timeFormat.format(new Date(iso));

  function zeroBits(bytes) {
    let bits = 0;
    for (const byte of bytes) {
      if (byte === 0) {
        bits += 8;
        continue;
      }
      return bits + Math.clz32(byte) - 24;
    }
    return bits;
  }

  /** A fresh challenge and its nonce: sha256(salt + nonce) starts with `bits` zero bits. */
  async function proofOfWork() {
    const challenge = await call('/challenge');
    const encoder = new TextEncoder();
    for (let nonce = 0; ; nonce++) {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(`${challenge.salt}${nonce}`)));
      if (zeroBits(digest) >= challenge.bits) return { challenge, nonce: String(nonce) };
    }
  }

  const addDays = (date, days) => {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };

  /**
   * A schedule's free slots a week at a time, grouped by the customer's own days, each slot a radio
   * button; the first free slot is preselected, looking ahead a few weeks when this one is full.
   */
  function weekView({ container, previous, next, scheduleId, exclude = null }) {
    let from = null;
    let first = null;

    async function load(start, { lookAhead = 0, after = null } = {}) {
      container.replaceChildren(Object.assign(document.createElement('p'), { textContent: await text('slots.loading') }));
      const query = start ? `?from=${start}&days=7` : '?days=7';
      const week = await call(`/schedules/${encodeURIComponent(scheduleId)}/availability${query}`);
      from = week.from;
      first ??= week.from;
      const free = week.slots.filter((s) => s.free > 0 && s.start !== exclude);
      if (free.length === 0 && lookAhead > 0) return load(addDays(week.from, 7), { lookAhead: lookAhead - 1, after });
      render(free, after);
      previous.disabled = from <= first;
      return free;
    }

    async function render(free, after) {
      container.replaceChildren();
      if (free.length === 0) {
        container.append(Object.assign(document.createElement('p'), { textContent: await text('slots.none') }));
        return;
      }
      const chosen = free.find((s) => !after || Date.parse(s.start) > Date.parse(after)) ?? free[0];
      const days = new Map();
      for (const slot of free) {
        const day = dayFormat.format(new Date(slot.start));
        if (!days.has(day)) days.set(day, []);
        days.get(day).push(slot);
      }
      for (const [day, slots] of days) {
        const group = document.createElement('div');
        group.className = 'day';
        group.setAttribute('role', 'group');
        group.setAttribute('aria-label', day);
        group.append(Object.assign(document.createElement('h3'), { textContent: day }));
        for (const slot of slots) {
          const label = document.createElement('label');
          const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'slot', value: slot.start });
          input.checked = slot === chosen;
          input.setAttribute('aria-label', when(slot.start));
          label.append(input, ` ${clockFormat.format(new Date(slot.start))}`);
          group.append(label);
        }
        container.append(group);
      }
    }

    previous.addEventListener('click', () => from && load(addDays(from, -7)));
    next.addEventListener('click', () => from && load(addDays(from, 7)));

    return {
      /** The first week with a free slot, up to eight weeks ahead. */
      start: () => load(null, { lookAhead: 8 }),
      /** This week again, with the first free slot after `after` chosen. */
      reload: (after) => load(from, { lookAhead: 8, after }),
      selected: () => container.querySelector('input[name="slot"]:checked')?.value ?? null,
    };
  }

  /** A datetime-local value, read in the customer's zone, as an instant; null when empty or invalid. */
  function instantOf(value) {
    if (!value) return null;
    const at = new Date(value);
    return Number.isNaN(at.getTime()) ? null : at.toISOString();
  }

  function show(element, message) {
    element.textContent = message;
    element.hidden = !message;
  }

  return { lang, text, call, explain, when, proofOfWork, weekView, instantOf, show, Problem };
})();
