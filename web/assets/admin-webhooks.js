// /admin/webhooks: the subscriptions with their actions, the form that makes or changes one, and
// a subscription's delivery log a page at a time, with retry of a failed delivery.
'use strict';

(() => {
  const { t, api, act, confirm, el, table, time } = window.Admin;
  const $ = (id) => document.getElementById(id);
  let subscriptions = [];
  let editing = null; // the subscription in the form, or null for a new one
  let logOf = null; // the subscription whose delivery log is shown
  let nextCursor = null;
  let deliveries = [];

  const button = (text, label, onclick, extra = {}) => el('button', { type: 'button', 'aria-label': label, onclick, ...extra }, text);

  async function load() {
    subscriptions = (await api('/v1/webhooks')).items;
    $('webhook-list').replaceChildren(
      table({
        caption: t('w.list'),
        columns: [
          { label: t('col.url'), cell: (s) => el('code', {}, s.url) },
          { label: t('col.events'), cell: (s) => s.events.join(', ') },
          { label: t('col.active'), cell: (s) => t(s.active ? 'form.yes' : 'form.no') },
          { label: t('col.description'), cell: (s) => s.description },
          { label: t('col.created'), cell: (s) => `${time(s.createdAt)} · ${s.createdBy}` },
          {
            label: t('col.actions'),
            cell: (s) =>
              el(
                'div',
                { class: 'actions' },
                button(t('w.logShort'), t('w.log', { url: s.url }), () => showLog(s)),
                button(t('form.edit'), t('w.edit', { url: s.url }), () => edit(s)),
                s.active
                  ? button(t('w.pauseShort'), t('w.pause', { url: s.url }), () => setActive(s, false))
                  : button(t('w.resumeShort'), t('w.resume', { url: s.url }), () => setActive(s, true)),
                button(t('form.delete'), t('w.delete', { url: s.url }), () => remove(s), { class: 'danger' }),
              ),
          },
        ],
        rows: subscriptions,
      }),
    );
  }

  const eventBoxes = () => [...$('webhook-form').querySelectorAll('input[name="events"]')];

  function edit(s) {
    editing = s;
    const f = $('webhook-form');
    f.reset();
    f.elements.url.value = s?.url ?? '';
    f.elements.description.value = s?.description ?? '';
    for (const box of eventBoxes()) box.checked = s ? s.events.includes(box.value) : false;
    for (const node of f.querySelectorAll('.create-only')) node.hidden = Boolean(s);
    $('webhook-form-heading').textContent = s ? t('w.changeHeading', { url: s.url }) : t('w.createHeading');
    $('webhook-editor').hidden = false;
    $('webhook-form-heading').focus();
  }

  $('webhook-new').addEventListener('click', () => edit(null));
  $('webhook-cancel').addEventListener('click', () => {
    $('webhook-editor').hidden = true;
    $('webhook-new').focus();
  });

  $('webhook-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target.elements;
    const events = eventBoxes()
      .filter((b) => b.checked)
      .map((b) => b.value);
    const description = f.description.value.trim();
    let saved;
    if (editing) {
      const body = { url: f.url.value.trim(), events, description: description || null };
      saved = await act(
        () => api(`/v1/webhooks/${editing.id}`, { method: 'PATCH', body }),
        (s) => t('w.changed', { url: s.url }),
      );
    } else {
      const secret = f.secret.value.trim();
      const body = { url: f.url.value.trim(), events, ...(description ? { description } : {}), ...(secret ? { secret } : {}) };
      saved = await act(
        () => api('/v1/webhooks', { method: 'POST', body }),
        (s) => t('w.created', { url: s.url }),
        201,
      );
      if (saved) {
        $('webhook-once-heading').textContent = t('w.secretOnce', { url: saved.url });
        $('webhook-secret').value = saved.secret;
        $('webhook-once').hidden = false;
      }
    }
    if (!saved) return;
    $('webhook-editor').hidden = true;
    await load();
    if (!editing) $('webhook-once-heading').focus();
  });

  $('webhook-secret-done').addEventListener('click', () => {
    $('webhook-secret').value = '';
    $('webhook-once').hidden = true;
  });

  async function setActive(s, active) {
    const what = t(active ? 'w.resumed' : 'w.paused', { url: s.url });
    if (await act(() => api(`/v1/webhooks/${s.id}`, { method: 'PATCH', body: { active } }), what)) await load();
  }

  async function remove(s) {
    if (!(await confirm(t('w.deleteConfirm', { url: s.url })))) return;
    if ((await act(() => api(`/v1/webhooks/${s.id}`, { method: 'DELETE' }), t('w.deleted', { url: s.url }), 204)) === undefined) return;
    if (logOf?.id === s.id) {
      logOf = null;
      $('delivery-log').hidden = true;
    }
    await load();
  }

  /** Loads the first page of the log (or the next one with `more`), in the chosen state. */
  async function loadDeliveries(more = false) {
    const state = $('d-state').value;
    const query = new URLSearchParams({ limit: '20', ...(state ? { state } : {}), ...(more && nextCursor ? { cursor: nextCursor } : {}) });
    const page = await act(() => api(`/v1/webhooks/${logOf.id}/deliveries?${query}`), t('w.logShown', { url: logOf.url }));
    if (!page) return;
    deliveries = more ? [...deliveries, ...page.items] : page.items;
    nextCursor = page.nextCursor;
    $('d-more').hidden = nextCursor === null;
    renderDeliveries();
  }

  function renderDeliveries() {
    $('delivery-list').replaceChildren(
      table({
        caption: t('d.caption', { url: logOf.url }),
        columns: [
          { label: t('d.id'), cell: (d) => d.id },
          { label: t('d.event'), cell: (d) => `${d.eventType} · ${time(d.createdAt)}` },
          { label: t('d.record'), cell: (d) => el('code', {}, d.recordId) },
          { label: t('d.state'), cell: (d) => el('span', { class: `state state-${d.state}` }, t(`state.${d.state}`)) },
          { label: t('d.attempts'), cell: (d) => String(d.attempts) },
          { label: t('d.lastAttempt'), cell: (d) => (d.lastAttemptAt ? time(d.lastAttemptAt) : null) },
          { label: t('d.lastStatus'), cell: (d) => (d.lastStatus === null ? null : String(d.lastStatus)) },
          { label: t('d.lastError'), cell: (d) => (d.lastError ? el('code', {}, d.lastError) : null) },
          { label: t('d.next'), cell: (d) => (d.nextAttemptAt ? time(d.nextAttemptAt) : null) },
          { label: t('d.delivered'), cell: (d) => (d.deliveredAt ? time(d.deliveredAt) : null) },
          {
            label: t('col.actions'),
            cell: (d) => (d.state === 'failed' ? button(t('d.retryShort'), t('d.retry', { id: d.id }), () => retry(d)) : null),
          },
        ],
        rows: deliveries,
      }),
    );
  }

  async function retry(d) {
    const path = `/v1/webhooks/${logOf.id}/deliveries/${d.id}/retry`;
    const retried = await act(() => api(path, { method: 'POST' }), t('d.retried', { id: d.id }));
    if (!retried) return;
    deliveries = deliveries.map((x) => (x.id === retried.id ? retried : x));
    renderDeliveries();
  }

  function showLog(s) {
    logOf = s;
    nextCursor = null;
    $('delivery-log').hidden = false;
    $('d-heading').textContent = t('w.log', { url: s.url });
    void loadDeliveries().then(() => $('d-heading').focus());
  }

  $('d-state').addEventListener('change', () => void loadDeliveries());
  $('d-refresh').addEventListener('click', () => void loadDeliveries());
  $('d-more').addEventListener('click', () => void loadDeliveries(true));

  window.Admin.ready(() => {
    load().catch(window.Admin.refused);
  });
})();
