// The callback records search (/admin): the criteria live in the page's query string (a search
// can be bookmarked, and back and forward go through earlier searches), the results come a page
// at a time from GET /v1/callbacks, the CSV link exports the same search, and a bulk action on it
// shows how many records it touches (GET /v1/callbacks/count) before it is confirmed.
'use strict';

(() => {
  const { t, api, act, confirm, el, table, time, number, ready, refused, data } = window.Admin;
  const $ = (id) => document.getElementById(id);
  const form = $('search-form');

  /** The API's criteria, as the form's fields are named. */
  const CRITERIA = [
    'phone',
    'queue',
    'orgArea',
    'status',
    'stage',
    'taskType',
    'channel',
    'customerId',
    'closeReason',
    'latestOutcome',
    'latestAgent',
    'waitingListOf',
    'createdFrom',
    'createdTo',
    'dueFrom',
    'dueTo',
  ];
  const INSTANTS = new Set(['createdFrom', 'createdTo', 'dueFrom', 'dueTo']);
  const MORE = ['stage', 'taskType', 'channel', 'customerId', 'closeReason', 'latestOutcome', 'latestAgent', 'waitingListOf', ...INSTANTS];
  const DEFAULT_SORT = '-createdAt';
  const DEFAULT_LIMIT = '50';
  const MAX_BULK = Number(data.maxBulk);

  /** A datetime-local field's value (the administrator's own zone) as an instant, and back. */
  const toInstant = (local) => (local ? new Date(local).toISOString() : '');
  function toLocal(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  /** The search in the URL: criteria, sort and page size (what the API takes, instants in UTC). */
  function searchOfUrl() {
    const url = new URLSearchParams(location.search);
    const criteria = {};
    for (const key of CRITERIA) {
      const value = url.get(key);
      if (value) criteria[key] = value;
    }
    return { criteria, sort: url.get('sort') || DEFAULT_SORT, limit: url.get('limit') || DEFAULT_LIMIT };
  }

  function searchOfForm() {
    const criteria = {};
    for (const key of CRITERIA) {
      const value = form.elements[key].value.trim();
      if (value) criteria[key] = INSTANTS.has(key) ? toInstant(value) : value;
    }
    return { criteria, sort: form.elements.sort.value, limit: form.elements.limit.value };
  }

  function fillForm({ criteria, sort, limit }) {
    for (const key of CRITERIA) {
      const value = criteria[key] ?? '';
      form.elements[key].value = INSTANTS.has(key) && value ? toLocal(value) : value;
    }
    form.elements.sort.value = sort;
    // A bookmarked page size the list does not offer is kept, not lost at the next search.
    const sizes = form.elements.limit;
    if (![...sizes.options].some((o) => o.value === limit)) sizes.append(el('option', { value: limit }, limit));
    sizes.value = limit;
    if (MORE.some((key) => criteria[key])) $('more-criteria').open = true;
  }

  const query = (params) => new URLSearchParams(params).toString();
  const criteriaQuery = (search) => query(search.criteria);
  function fullQuery(search) {
    const params = { ...search.criteria };
    if (search.sort !== DEFAULT_SORT) params.sort = search.sort;
    if (search.limit !== DEFAULT_LIMIT) params.limit = search.limit;
    return query(params);
  }

  let current = null;
  let shown = [];
  let nextCursor = null;
  let total = { count: 0, more: false };

  /** How many a count says: its number, or "more than" it when the API stopped counting. */
  const howMany = ({ count, more }) => (more ? t('count.more', { count: number(count) }) : number(count));

  const SORTABLE = { dueAt: 'col.dueAt', createdAt: 'col.createdAt', priority: 'col.priority' };

  /** A column header that orders the search by it: ascending first, then descending. */
  function sortHeader(field) {
    const label = t(SORTABLE[field]);
    const active = current.sort.replace('-', '') === field;
    const descending = current.sort.startsWith('-');
    const next = active && !descending ? `-${field}` : field;
    const arrow = active ? (descending ? ' ↓' : ' ↑') : '';
    return el(
      'button',
      { type: 'button', class: 'link', title: t(`sort.${next}`), onclick: () => go({ ...current, sort: next }) },
      `${label}${arrow}`,
    );
  }

  function renderResults() {
    const statusOf = (r) => `${r.status} (${r.stage})`;
    const columns = [
      {
        label: t('col.phone'),
        cell: (r) =>
          el(
            'a',
            {
              href: `/admin/records/${encodeURIComponent(r.id)}`,
              'aria-label': t('record.open', { phone: r.phone, created: time(r.createdAt) }),
            },
            r.phone,
          ),
      },
      { label: t('col.status'), cell: statusOf },
      { label: t('col.queue'), cell: (r) => r.queue },
      { label: t('col.orgArea'), cell: (r) => r.orgArea },
      { label: t('col.priority'), cell: (r) => String(r.priority), field: 'priority' },
      { label: t('col.dueAt'), cell: (r) => time(r.dueAt), field: 'dueAt' },
      { label: t('col.createdAt'), cell: (r) => time(r.createdAt), field: 'createdAt' },
      { label: t('col.latestOutcome'), cell: (r) => r.latestOutcome },
      { label: t('col.attempts'), cell: (r) => number(r.attempts) },
      { label: t('col.taskType'), cell: (r) => r.taskType },
      { label: t('col.customerId'), cell: (r) => r.customerId },
    ];
    const order = t(`sort.${current.sort}`);
    const node = table({ caption: t('results.caption', { order: order.toLowerCase() }), columns, rows: shown });
    // The sortable columns' headers order the search, and say which order it has (aria-sort).
    node.querySelectorAll('thead th').forEach((th, i) => {
      const field = columns[i].field;
      if (!field) return;
      th.replaceChildren(sortHeader(field));
      if (current.sort.replace('-', '') === field) th.setAttribute('aria-sort', current.sort.startsWith('-') ? 'descending' : 'ascending');
    });
    $('results').replaceChildren(node);
    $('more').hidden = !nextCursor;
    $('results-summary').textContent = t('results.summary', { shown: number(shown.length), count: howMany(total) });
  }

  /** Runs the search in the URL: the first page and how many match, said in words. */
  async function run() {
    current = searchOfUrl();
    fillForm(current);
    const exportQuery = criteriaQuery(current);
    $('export-link').href = `/v1/callbacks/export.csv${exportQuery ? `?${exportQuery}` : ''}`;
    resetBulk();
    const q = fullQuery(current);
    const result = await act(
      async () => {
        const [page, counted] = await Promise.all([
          api(`/v1/callbacks${q ? `?${q}` : ''}`),
          api(`/v1/callbacks/count${exportQuery ? `?${exportQuery}` : ''}`),
        ]);
        return { page, counted };
      },
      (r) => t('results.searched', { count: howMany(r.counted) }),
    );
    if (!result) {
      shown = [];
      nextCursor = null;
      total = { count: 0, more: false };
      $('results').replaceChildren();
      $('results-summary').textContent = '';
      $('more').hidden = true;
      return;
    }
    shown = result.page.items;
    nextCursor = result.page.nextCursor;
    total = result.counted;
    renderResults();
  }

  /** Goes to a search: a new entry in the browser's history, then runs it. */
  function go(search) {
    const q = fullQuery(search);
    history.pushState(null, '', `${location.pathname}${q ? `?${q}` : ''}`);
    void run();
  }

  $('more').addEventListener('click', async () => {
    const params = { ...current.criteria, sort: current.sort, limit: current.limit, cursor: nextCursor };
    const page = await act(
      () => api(`/v1/callbacks?${query(params)}`),
      (p) => t('results.moreLoaded', { shown: number(shown.length + p.items.length), count: howMany(total) }),
    );
    if (!page) return;
    shown = shown.concat(page.items);
    nextCursor = page.nextCursor;
    renderResults();
    // Keyboard users continue where the new page begins.
    const rows = $('results').querySelectorAll('tbody tr');
    rows[shown.length - page.items.length]?.querySelector('a')?.focus();
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go(searchOfForm());
  });
  $('search-clear').addEventListener('click', () => go({ criteria: {}, sort: DEFAULT_SORT, limit: DEFAULT_LIMIT }));
  window.addEventListener('popstate', () => void run());

  // Bulk actions on the current search.
  const bulk = $('bulk');
  const ACTION_LABEL = {
    pause: 'bulk.pause',
    enable: 'bulk.enable',
    close: 'bulk.close',
    delete: 'bulk.delete',
    'change-queue': 'bulk.changeQueue',
    'change-priority': 'bulk.changePriority',
  };
  const UNDOABLE = new Set(['pause', 'enable']);
  let preview = null;

  function resetBulk() {
    preview = null;
    $('bulk-preview').hidden = true;
    $('bulk-result').replaceChildren();
    const none = Object.keys(current?.criteria ?? {}).length === 0;
    $('bulk-needs-criteria').hidden = !none;
    $('bulk-form').querySelector('button[type=submit]').disabled = none;
  }

  function showActionFields() {
    const action = $('bulk-action').value;
    for (const kind of ['change-queue', 'change-priority', 'close']) {
      for (const node of bulk.querySelectorAll(`.for-${kind}`)) node.hidden = action !== kind;
    }
    preview = null;
    $('bulk-preview').hidden = true;
  }
  $('bulk-action').addEventListener('change', showActionFields);

  $('bulk-open').addEventListener('click', () => {
    bulk.hidden = !bulk.hidden;
    $('bulk-open').setAttribute('aria-expanded', String(!bulk.hidden));
    if (!bulk.hidden) $('bulk-action').focus();
  });

  /** The bulk request for the chosen action, on the current search's criteria. */
  function bulkBody() {
    const action = $('bulk-action').value;
    const filter = current.criteria;
    if (action === 'change-queue') return { action: 'change', filter, changes: { queue: $('bulk-queue').value.trim() } };
    if (action === 'change-priority') return { action: 'change', filter, changes: { priority: Number($('bulk-priority').value) } };
    if (action === 'close') {
      const comment = $('bulk-comment').value.trim();
      return { action: 'close', filter, ...(comment ? { comment } : {}) };
    }
    return { action, filter };
  }

  $('bulk-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const action = $('bulk-action').value;
    const label = t(ACTION_LABEL[action]);
    const counted = await act(
      () => api(`/v1/callbacks/count?${criteriaQuery(current)}`),
      (r) => t('bulk.previewed', { count: howMany(r) }),
    );
    if (!counted) return;
    const { count } = counted;
    preview = { body: bulkBody(), count, label, action };
    $('bulk-count').textContent =
      count === 0
        ? t('bulk.previewNone')
        : count > MAX_BULK
          ? t('bulk.previewTooMany', { count: howMany(counted), max: number(MAX_BULK) })
          : t('bulk.previewCount', { action: label, count: number(count) });
    const button = $('bulk-go');
    button.hidden = count === 0 || count > MAX_BULK;
    button.textContent = t('bulk.go', { action: label, count: number(count) });
    $('bulk-preview').hidden = false;
    $('bulk-result').replaceChildren();
    if (!button.hidden) button.focus();
  });

  $('bulk-go').addEventListener('click', async () => {
    if (!preview) return;
    const { body, count, label, action } = preview;
    const undo = UNDOABLE.has(action) ? '' : t('bulk.cannotUndo');
    if (!(await confirm(t('bulk.confirm', { action: label, count: number(count), undo }).trim()))) return;
    const result = await act(
      () => api('/v1/callbacks/bulk', { method: 'POST', body }),
      (r) => t('bulk.done', { action: label, matched: number(r.matched), succeeded: number(r.succeeded), failed: number(r.failed) }),
    );
    if (!result) return;
    preview = null;
    $('bulk-preview').hidden = true;
    const failures = result.results.filter((r) => !r.ok);
    $('bulk-result').replaceChildren(
      el(
        'p',
        { id: 'bulk-summary' },
        t('bulk.done', {
          action: label,
          matched: number(result.matched),
          succeeded: number(result.succeeded),
          failed: number(result.failed),
        }),
      ),
      failures.length
        ? table({
            caption: t('bulk.failures'),
            columns: [
              { label: t('bulk.record'), cell: (r) => el('a', { href: `/admin/records/${encodeURIComponent(r.id)}` }, r.id) },
              { label: t('bulk.problem'), cell: (r) => `${r.problem.status} ${r.problem.type}: ${r.problem.detail ?? r.problem.title}` },
            ],
            rows: failures,
          })
        : null,
    );
    // The list shows the records as the action left them; the answer stays said.
    await refresh();
  });

  /** The current search again, keeping the bulk result on screen. */
  async function refresh() {
    const q = fullQuery(current);
    try {
      const [page, counted] = await Promise.all([
        api(`/v1/callbacks${q ? `?${q}` : ''}`),
        api(`/v1/callbacks/count${criteriaQuery(current) ? `?${criteriaQuery(current)}` : ''}`),
      ]);
      shown = page.items;
      nextCursor = page.nextCursor;
      total = counted;
      renderResults();
    } catch (err) {
      refused(err);
    }
  }

  /** Queue names and area ids the criteria fields suggest. */
  async function suggestions() {
    try {
      const [queues, areas] = await Promise.all([api('/v1/queues'), api('/v1/org-areas')]);
      $('queue-names').replaceChildren(...queues.items.map((q) => el('option', { value: q.name })));
      $('area-ids').replaceChildren(...areas.items.map((a) => el('option', { value: a.id }, a.name)));
    } catch {
      // Only suggestions: the fields take any name.
    }
  }

  ready(() => {
    void suggestions();
    void run();
  });
})();
