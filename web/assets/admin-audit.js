// /admin/audit: the log searched by every criterion /v1/audit takes, a page at a time. The
// criteria live in the address too, so that a search can be bookmarked or sent to a colleague.
'use strict';

(() => {
  const { t, api, act, el, table, time, number } = window.Admin;
  const $ = (id) => document.getElementById(id);
  const FIELDS = ['actor', 'action', 'recordId', 'from', 'to', 'limit'];
  let entries = [];
  let nextCursor = null;
  let criteria = new URLSearchParams();

  /** A datetime-local value (the browser's zone) as an instant with its offset, as the API takes it. */
  const instant = (local) => (local ? new Date(local).toISOString() : '');
  /** An instant as a datetime-local value in the browser's zone. */
  function localValue(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  function criteriaFromForm() {
    const f = $('audit-form').elements;
    const q = new URLSearchParams();
    for (const name of FIELDS) {
      const raw = f[name].value.trim();
      const value = name === 'from' || name === 'to' ? instant(raw) : raw;
      if (value) q.set(name, value);
    }
    return q;
  }

  function formFromCriteria(q) {
    const f = $('audit-form').elements;
    for (const name of FIELDS) {
      const value = q.get(name);
      if (value === null) continue;
      f[name].value = name === 'from' || name === 'to' ? localValue(value) : value;
    }
  }

  const json = (value) => (value && Object.keys(value).length ? el('code', { class: 'json' }, JSON.stringify(value)) : null);

  function render() {
    $('audit-list').replaceChildren(
      table({
        caption: t('a.caption'),
        columns: [
          { label: t('col.at'), cell: (e) => time(e.at) },
          { label: t('col.actor'), cell: (e) => e.actor },
          { label: t('col.action'), cell: (e) => e.action },
          { label: t('col.record'), cell: (e) => (e.recordId ? el('code', {}, e.recordId) : null) },
          { label: t('col.result'), cell: (e) => e.result },
          { label: t('col.detail'), cell: (e) => json(e.detail) },
          { label: t('col.filter'), cell: (e) => json(e.filter) },
        ],
        rows: entries,
      }),
    );
    $('audit-count').textContent = t('a.found', { count: number(entries.length) });
    $('audit-more').hidden = nextCursor === null;
  }

  async function search(more = false) {
    const q = new URLSearchParams(criteria);
    if (more && nextCursor) q.set('cursor', nextCursor);
    const page = await act(
      () => api(`/v1/audit?${q}`),
      (p) => t('a.found', { count: number((more ? entries.length : 0) + p.items.length) }),
    );
    if (!page) return;
    entries = more ? [...entries, ...page.items] : page.items;
    nextCursor = page.nextCursor;
    render();
  }

  $('audit-form').addEventListener('submit', (event) => {
    event.preventDefault();
    criteria = criteriaFromForm();
    history.replaceState(null, '', `${location.pathname}${criteria.size ? `?${criteria}` : ''}`);
    void search();
  });
  $('audit-form').addEventListener('reset', () => {
    criteria = new URLSearchParams();
    history.replaceState(null, '', location.pathname);
  });
  $('audit-more').addEventListener('click', () => void search(true));

  window.Admin.ready(() => {
    const given = new URLSearchParams(location.search);
    criteria = new URLSearchParams([...given].filter(([name]) => FIELDS.includes(name)));
    formFromCriteria(criteria);
    void search();
  });
})();
