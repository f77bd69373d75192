// /admin/agents: the agent directory and people's accounts, each a table with its actions, and
// the forms that make or change them.
'use strict';

(() => {
  const { t, api, act, confirm, el, table, time } = window.Admin;
  const $ = (id) => document.getElementById(id);
  let agents = [];
  let people = [];
  let editing = null; // the agent in the form, or null for a new one
  let passwordFor = null;

  const enc = encodeURIComponent;
  const yesNo = (b) => t(b ? 'form.yes' : 'form.no');
  const button = (text, label, onclick, extra = {}) => el('button', { type: 'button', 'aria-label': label, onclick, ...extra }, text);

  async function load() {
    [agents, people] = await Promise.all([api('/v1/agents').then((a) => a.items), api('/v1/people').then((p) => p.items)]);
    render();
  }

  /** Whether an agent or a person matches what is typed in the search field (id, name or email). */
  function matches(x) {
    const wanted = $('directory-find').value.trim().toLowerCase();
    return !wanted || [x.id, x.displayName, x.email ?? ''].some((s) => s.toLowerCase().includes(wanted));
  }

  function render() {
    const accountOf = new Map(people.map((p) => [p.id, p]));
    $('agent-list').replaceChildren(
      table({
        caption: t('ag.list'),
        columns: [
          { label: t('col.id'), cell: (a) => a.id },
          { label: t('col.name'), cell: (a) => a.displayName },
          {
            label: t('col.queues'),
            cell: (a) => a.queues.map((q) => (q.priority === null ? q.queue : `${q.queue} (${q.priority})`)).join(', ') || null,
          },
          { label: t('col.languages'), cell: (a) => a.languages.join(', ') || null },
          { label: t('col.address'), cell: (a) => a.address },
          { label: t('col.email'), cell: (a) => a.email },
          { label: t('col.active'), cell: (a) => yesNo(a.active) },
          {
            label: t('col.account'),
            cell: (a) => {
              const p = accountOf.get(a.id);
              return p ? `${t(`pe.role.${p.role}`)}${p.active ? '' : ` (${t('form.no')})`}` : t('none.account');
            },
          },
          {
            label: t('col.actions'),
            cell: (a) =>
              el(
                'div',
                { class: 'actions' },
                button(t('form.edit'), t('ag.edit', { id: a.id }), () => editAgent(a)),
                accountOf.has(a.id) ? null : button(t('ag.makeAccountShort'), t('ag.makeAccount', { id: a.id }), () => newPerson(a)),
                a.active
                  ? button(t('ag.deactivateShort'), t('ag.deactivate', { id: a.id }), () => deactivateAgent(a), { class: 'danger' })
                  : null,
              ),
          },
        ],
        rows: agents.filter(matches),
      }),
    );
    $('people-list').replaceChildren(
      table({
        caption: t('pe.list'),
        columns: [
          { label: t('col.id'), cell: (p) => p.id },
          { label: t('col.name'), cell: (p) => p.displayName },
          { label: t('col.role'), cell: (p) => t(`pe.role.${p.role}`) },
          { label: t('col.email'), cell: (p) => p.email },
          { label: t('col.active'), cell: (p) => yesNo(p.active) },
          { label: t('col.password'), cell: (p) => t(p.hasPassword ? 'pe.has' : 'pe.hasNot') },
          { label: t('col.locked'), cell: (p) => (p.lockedUntil ? time(p.lockedUntil) : null) },
          { label: t('col.createdBy'), cell: (p) => p.createdBy },
          {
            label: t('col.actions'),
            cell: (p) =>
              el(
                'div',
                { class: 'actions' },
                button(t('pe.setPasswordShort'), t('pe.setPassword', { id: p.id }), () => askPassword(p)),
                p.active
                  ? button(t('pe.deactivateShort'), t('pe.deactivate', { id: p.id }), () => setActive(p, false), { class: 'danger' })
                  : button(t('pe.activateShort'), t('pe.activate', { id: p.id }), () => setActive(p, true)),
              ),
          },
        ],
        rows: people.filter(matches),
      }),
    );
  }

  async function loadQueues() {
    const queues = (await api('/v1/queues')).items;
    $('queue-names').replaceChildren(...queues.map((q) => el('option', { value: q.name })));
  }

  /** One row of the queue list: the queue (suggested from the queues there are) and its priority. */
  function queueRow(q = { queue: '', priority: null }) {
    const list = $('agent-queues');
    const n = list.children.length + 1;
    const row = el(
      'li',
      { class: 'queue-row' },
      el('input', { class: 'queue-name', list: 'queue-names', value: q.queue, 'aria-label': t('q.queue', { n }) }),
      el('input', {
        class: 'queue-priority',
        type: 'number',
        min: '1',
        max: '99',
        value: q.priority === null ? '' : String(q.priority),
        'aria-label': t('q.priority', { n }),
      }),
    );
    row.append(
      button(t('q.removeShort'), t('q.remove', { n }), () => {
        row.remove();
        $('agent-queue-add').focus();
      }),
    );
    list.append(row);
    return row;
  }

  function editAgent(a) {
    editing = a;
    const f = $('agent-form').elements;
    f.id.value = a?.id ?? '';
    f.id.readOnly = Boolean(a);
    f.displayName.value = a?.displayName ?? '';
    f.languages.value = a?.languages.join(', ') ?? '';
    f.address.value = a?.address ?? '';
    f.email.value = a?.email ?? '';
    f.active.checked = a?.active ?? true;
    $('agent-queues').replaceChildren();
    for (const q of a?.queues ?? []) queueRow(q);
    $('agent-form-heading').textContent = a ? t('ag.changeHeading', { id: a.id }) : t('ag.createHeading');
    $('agent-editor').hidden = false;
    $('agent-form-heading').focus();
  }

  $('agent-new').addEventListener('click', () => editAgent(null));
  $('agent-cancel').addEventListener('click', () => {
    $('agent-editor').hidden = true;
    $('agent-new').focus();
  });
  $('agent-queue-add').addEventListener('click', () => queueRow().querySelector('input').focus());

  $('agent-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target.elements;
    const queues = [...$('agent-queues').children].map((row) => {
      const priority = row.querySelector('.queue-priority').value.trim();
      return { queue: row.querySelector('.queue-name').value.trim(), priority: priority === '' ? null : Number(priority) };
    });
    const body = {
      displayName: f.displayName.value.trim(),
      queues,
      languages: f.languages.value
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
      address: f.address.value.trim() || null,
      email: f.email.value.trim() || null,
      active: f.active.checked,
    };
    const saved = editing
      ? await act(
          () => api(`/v1/agents/${enc(editing.id)}`, { method: 'PATCH', body }),
          (a) => t('ag.changed', { id: a.id }),
        )
      : await act(
          () => api('/v1/agents', { method: 'POST', body: { id: f.id.value.trim(), ...body } }),
          (a) => t('ag.created', { id: a.id }),
          201,
        );
    if (!saved) return;
    $('agent-editor').hidden = true;
    await load();
  });

  async function deactivateAgent(a) {
    if (!(await confirm(t('ag.deactivateConfirm', { id: a.id })))) return;
    if (await act(() => api(`/v1/agents/${enc(a.id)}`, { method: 'DELETE' }), t('ag.deactivated', { id: a.id }))) await load();
  }

  function newPerson(agent) {
    const f = $('person-form');
    f.reset();
    if (agent) {
      f.elements.id.value = agent.id;
      f.elements.role.value = 'agent';
      f.elements.email.value = agent.email ?? '';
    }
    $('person-editor').hidden = false;
    $('person-form-heading').focus();
  }

  $('person-new').addEventListener('click', () => newPerson(null));
  $('person-cancel').addEventListener('click', () => {
    $('person-editor').hidden = true;
    $('person-new').focus();
  });

  $('person-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target.elements;
    const body = {
      id: f.id.value.trim(),
      role: f.role.value,
      ...(f.displayName.value.trim() ? { displayName: f.displayName.value.trim() } : {}),
      email: f.email.value.trim() || null,
      ...(f.password.value ? { password: f.password.value } : {}),
    };
    const made = await act(
      () => api('/v1/people', { method: 'POST', body }),
      (p) => t('pe.created', { id: p.id }),
      201,
    );
    if (!made) return;
    event.target.reset();
    $('person-editor').hidden = true;
    await load();
  });

  function askPassword(p) {
    passwordFor = p;
    $('password-form').reset();
    $('password-heading').textContent = t('pe.passwordHeading', { id: p.id });
    $('password-editor').hidden = false;
    $('pw-new').focus();
  }

  $('password-cancel').addEventListener('click', () => {
    $('password-editor').hidden = true;
  });

  $('password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = passwordFor.id;
    const body = { password: $('pw-new').value };
    const done = await act(() => api(`/v1/people/${enc(id)}/password`, { method: 'POST', body }), t('pe.passwordSet', { id }));
    if (!done) return;
    event.target.reset();
    $('password-editor').hidden = true;
    await load();
  });

  /** Deactivating ends the person's sessions, so it asks first; activating takes nothing away. */
  async function setActive(p, active) {
    if (!active && !(await confirm(t('pe.deactivateConfirm', { id: p.id })))) return;
    const what = t(active ? 'pe.activated' : 'pe.deactivated', { id: p.id });
    if (await act(() => api(`/v1/people/${enc(p.id)}`, { method: 'PATCH', body: { active } }), what)) await load();
  }

  $('directory-find').addEventListener('input', render);

  window.Admin.ready(() => {
    for (const template of document.querySelectorAll('template.after-sign-in')) template.replaceWith(template.content.cloneNode(true));
    load().catch(window.Admin.refused);
    loadQueues().catch(window.Admin.refused);
  });
})();
