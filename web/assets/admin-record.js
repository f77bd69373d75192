// One callback record's page (/admin/records/:id): every field, the history as a timeline, and
// the administrator's actions (change, copy, pause, enable, close, delete) through /v1. Actions
// the record's status does not allow are disabled with the reason beside them; close and delete
// ask first. After an action the page shows the record as its workflow left it.
'use strict';

(() => {
  const { t, api, act, confirm, el, time, number, ready, refused, data } = window.Admin;
  const $ = (id) => document.getElementById(id);
  const id = data.recordId;
  const path = `/v1/callbacks/${encodeURIComponent(id)}`;
  const CALL_STAGES = new Set(['accepted', 'dialling', 'connected']);
  const INSTANT_FIELDS = new Set(['requestedAt', 'validUntil', 'dueAt', 'rankAt', 'latestCallAt', 'closedAt', 'createdAt']);
  let record = null;

  const none = () => t('form.none');

  /** A datetime-local value (the administrator's own zone) for an instant, and back. */
  function toLocal(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  const toInstant = (local) => (local ? new Date(local).toISOString() : null);

  /** A field's value in words: times in the administrator's zone, lists and maps spelled out. */
  function shown(field, value) {
    if (field === 'requestedAt' && !value) return t('value.asap');
    if (field === 'validUntil' && !value) return t('value.forever');
    if (value === null || value === undefined || value === '') return none();
    if (INSTANT_FIELDS.has(field)) return el('time', { datetime: value }, time(value));
    if (field === 'copiedFrom') return el('a', { href: `/admin/records/${encodeURIComponent(value)}` }, value);
    if (field === 'closeRequest') return t('value.closeRequest', { actor: value.actor, at: time(value.at) });
    if (Array.isArray(value)) return value.length ? value.join(', ') : none();
    if (typeof value === 'object') {
      const entries = Object.entries(value);
      return entries.length ? entries.map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ') : none();
    }
    if (typeof value === 'number') return number(value);
    return String(value);
  }

  const FIELDS = [
    'id',
    'phone',
    'status',
    'stage',
    'queue',
    'orgArea',
    'priority',
    'requestedAt',
    'dueAt',
    'rankAt',
    'validUntil',
    'channel',
    'createdBy',
    'createdAt',
    'taskType',
    'customerId',
    'ani',
    'language',
    'comment',
    'contactData',
    'attempts',
    'outcomeCounts',
    'latestOutcome',
    'latestAgent',
    'latestCallAt',
    'agentId',
    'waitingListOf',
    'refusedBy',
    'closeRequest',
    'closeReason',
    'closedAt',
    'copiedFrom',
    'version',
  ];

  function renderFields() {
    $('record-fields').replaceChildren(
      ...FIELDS.flatMap((f) => [el('dt', {}, t(`field.${f}`)), el('dd', { dataset: { field: f } }, shown(f, record[f]))]),
    );
  }

  /** A value in a history event's detail, in words. */
  function detailValue(key, value) {
    if (value === null || value === undefined) return key === 'requestedAt' ? t('value.asap') : none();
    if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return time(value);
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  function eventDetail(event) {
    const { before, after, ...rest } = event.detail ?? {};
    const lines = [];
    // A change says each field's value before and after it.
    if (before && after && typeof after === 'object') {
      for (const field of Object.keys(after)) {
        lines.push(
          t('history.change', {
            field: t(`field.${field}`),
            before: detailValue(field, before[field]),
            after: detailValue(field, after[field]),
          }),
        );
      }
    }
    for (const [key, value] of Object.entries(rest)) lines.push(`${key}: ${detailValue(key, value)}`);
    return lines.length
      ? el(
          'ul',
          { class: 'detail' },
          lines.map((line) => el('li', {}, line)),
        )
      : null;
  }

  function renderHistory(history) {
    $('record-history').replaceChildren(
      ...history.map((event) =>
        el(
          'li',
          { dataset: { type: event.type } },
          el('time', { datetime: event.at }, time(event.at)),
          ' ',
          el('strong', {}, t(`event.${event.type}`)),
          ' ',
          el('span', { class: 'muted' }, t('history.by', { actor: event.actor })),
          eventDetail(event),
        ),
      ),
    );
  }

  /** Offers an action, or disables it and says why not. */
  function offer(button, why) {
    const reason = $(`why-${button}`);
    $(`action-${button}`).disabled = !!why;
    if (reason) reason.textContent = why ?? '';
  }

  function renderActions() {
    const closed = record.stage === 'closed';
    const inCall = CALL_STAGES.has(record.stage);
    const paused = record.stage === 'paused';
    offer('pause', closed ? t('why.closed') : inCall ? t('why.inCall') : paused ? t('why.paused') : null);
    offer('enable', closed ? t('why.closed') : paused ? null : t('why.notPaused'));
    offer('close', closed ? t('why.closed') : record.closeRequest ? t('why.closing') : null);
    offer('delete', inCall ? t('why.inCall') : null);
    const changeWhy = closed ? t('why.closed') : inCall ? t('why.inCall') : null;
    offer('change', changeWhy);
    for (const field of $('change-form').querySelectorAll('input, select, textarea')) field.disabled = !!changeWhy;
    $('close-comment').disabled = closed || !!record.closeRequest;
  }

  /** The change form holds the record's current values; only what the administrator alters is sent. */
  function fillChangeForm() {
    $('change-phone').value = record.phone;
    $('change-priority').value = String(record.priority);
    $('change-queue').value = record.queue;
    $('change-requestedAt').value = toLocal(record.requestedAt);
    $('change-asap').checked = !record.requestedAt;
    $('change-validUntil').value = toLocal(record.validUntil);
    $('change-noEnd').checked = !record.validUntil;
    $('change-comment').value = record.comment ?? '';
  }

  function render(withHistory) {
    $('record-heading').textContent = t('record.heading', { phone: record.phone });
    document.title = `${t('record.heading', { phone: record.phone })} · ${t('admin.title')}`;
    renderFields();
    renderActions();
    fillChangeForm();
    renderHistory(withHistory.history);
    $('record').hidden = false;
  }

  /** Reads the record; after an action, until the table has caught up with the workflow's answer. */
  async function load(atLeastVersion = 0) {
    let read = await api(path);
    for (let tries = 0; read.version < atLeastVersion && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      read = await api(path);
    }
    record = read;
    render(read);
    return read;
  }

  /** An action said in words, then the record as the workflow left it. */
  async function perform(work, what) {
    const result = await act(work, what);
    if (result && result.version)
      await act(
        () => load(result.version),
        () => what(result),
      );
    return result;
  }

  $('action-pause').addEventListener('click', () =>
    perform(
      () => api(`${path}/pause`, { method: 'POST' }),
      () => t('done.pause'),
    ),
  );
  $('action-enable').addEventListener('click', () =>
    perform(
      () => api(`${path}/enable`, { method: 'POST' }),
      () => t('done.enable'),
    ),
  );

  $('close-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!(await confirm(t('confirm.close', { phone: record.phone })))) return;
    const comment = $('close-comment').value.trim();
    await perform(
      () => api(`${path}/close`, { method: 'POST', body: comment ? { comment } : {} }),
      (r) => t('done.close', { status: r.status }),
    );
  });

  $('action-delete').addEventListener('click', async () => {
    if (!(await confirm(t('confirm.delete', { phone: record.phone })))) return;
    const done = await act(
      () => api(path, { method: 'DELETE' }).then(() => true),
      () => t('done.delete'),
      204,
    );
    if (!done) return;
    $('record').hidden = true;
    $('record-gone').hidden = false;
    $('back-to-search').focus();
  });

  $('action-copy').addEventListener('click', async () => {
    const copy = await act(
      () => api(`${path}/copy`, { method: 'POST', body: {} }),
      (r) => t('done.copy', { id: r.id }),
      201,
    );
    $('copy-result').replaceChildren(copy ? el('a', { href: `/admin/records/${encodeURIComponent(copy.id)}` }, t('copy.open')) : '');
  });

  $('change-asap').addEventListener('change', () => {
    if ($('change-asap').checked) $('change-requestedAt').value = '';
  });
  $('change-requestedAt').addEventListener('input', () => {
    $('change-asap').checked = !$('change-requestedAt').value;
  });
  $('change-noEnd').addEventListener('change', () => {
    if ($('change-noEnd').checked) $('change-validUntil').value = '';
  });
  $('change-validUntil').addEventListener('input', () => {
    $('change-noEnd').checked = !$('change-validUntil').value;
  });

  /** The fields the administrator altered, as PATCH takes them. */
  function changes() {
    const out = {};
    const phone = $('change-phone').value.trim();
    if (phone !== record.phone) out.phone = phone;
    const priority = Number($('change-priority').value);
    if (priority !== record.priority) out.priority = priority;
    const queue = $('change-queue').value.trim();
    if (queue !== record.queue) out.queue = queue;
    const requestedAt = $('change-asap').checked ? null : toInstant($('change-requestedAt').value);
    if (requestedAt ? toLocal(requestedAt) !== toLocal(record.requestedAt) : record.requestedAt) out.requestedAt = requestedAt;
    const validUntil = $('change-noEnd').checked ? null : toInstant($('change-validUntil').value);
    if (validUntil ? toLocal(validUntil) !== toLocal(record.validUntil) : record.validUntil) out.validUntil = validUntil;
    const comment = $('change-comment').value;
    if (comment !== (record.comment ?? '')) out.comment = comment === '' ? null : comment;
    return out;
  }

  $('change-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    // Nothing altered is sent all the same: the API says in words that a change needs a field.
    const body = changes();
    const fields = Object.keys(body)
      .map((f) => t(`field.${f}`))
      .join(', ');
    await perform(
      () => api(path, { method: 'PATCH', body }),
      () => t('done.change', { fields }),
    );
  });

  ready(async () => {
    if (data.temporalUrl) {
      const link = $('temporal-link');
      link.href = data.temporalUrl;
      link.rel = 'noopener';
      link.target = '_blank';
      link.hidden = false;
    }
    try {
      await load();
    } catch (err) {
      refused(err);
    }
  });
})();
