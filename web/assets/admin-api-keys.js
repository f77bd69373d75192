// /admin/api-keys: the keys, a form that makes one (its secret shown once, to be copied now) and
// revocation after a confirmation; a refusal (the last admin key) is said in words.
'use strict';

(() => {
  const { t, api, act, confirm, el, table, time } = window.Admin;
  const $ = (id) => document.getElementById(id);
  let keys = [];

  async function load() {
    keys = (await api('/v1/api-keys')).items;
    render();
  }

  function render() {
    const showRevoked = $('k-show-revoked').checked;
    // Newest first: the key just made is at the top.
    const wanted = $('k-find').value.trim().toLowerCase();
    const rows = keys.filter((k) => (showRevoked || k.revokedAt === null) && (!wanted || k.name.toLowerCase().includes(wanted))).reverse();
    $('key-list').replaceChildren(
      table({
        caption: t('k.list'),
        columns: [
          { label: t('col.name'), cell: (k) => k.name },
          { label: t('col.role'), cell: (k) => t(`role.${k.role}`) },
          { label: t('col.created'), cell: (k) => time(k.createdAt) },
          { label: t('col.createdBy'), cell: (k) => k.createdBy },
          { label: t('col.lastUsed'), cell: (k) => (k.lastUsedAt ? time(k.lastUsedAt) : t('never')) },
          { label: t('col.revoked'), cell: (k) => (k.revokedAt ? time(k.revokedAt) : null) },
          { label: t('col.agent'), cell: (k) => k.agentId },
          {
            label: t('col.actions'),
            cell: (k) =>
              k.revokedAt
                ? null
                : el(
                    'button',
                    { type: 'button', class: 'danger', 'aria-label': t('k.revoke', { name: k.name }), onclick: () => revoke(k) },
                    t('k.revokeShort'),
                  ),
          },
        ],
        rows,
      }),
    );
  }

  async function revoke(k) {
    if (!(await confirm(t('k.revokeConfirm', { name: k.name })))) return;
    if (await act(() => api(`/v1/api-keys/${k.id}`, { method: 'DELETE' }), t('k.revoked', { name: k.name }))) await load();
  }

  $('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target.elements;
    const body = { name: f.name.value.trim(), role: f.role.value };
    const made = await act(
      () => api('/v1/api-keys', { method: 'POST', body }),
      (k) => t('k.made', { name: k.name }),
      201,
    );
    if (!made) return;
    event.target.reset();
    f.role.value = 'integration';
    $('key-once-heading').textContent = t('k.shownOnce', { name: made.name });
    $('key-secret').value = made.key;
    $('key-copied').textContent = '';
    $('key-once').hidden = false;
    $('key-once-heading').focus();
    await load();
  });

  $('key-copy').addEventListener('click', async () => {
    $('key-secret').select();
    try {
      await navigator.clipboard.writeText($('key-secret').value);
      $('key-copied').textContent = t('k.copied');
    } catch {
      $('key-copied').textContent = t('k.copyFailed');
    }
  });

  // Once put away, the secret is gone from the page: only its hash exists anywhere.
  $('key-done').addEventListener('click', () => {
    $('key-secret').value = '';
    $('key-once').hidden = true;
    $('k-name').focus();
  });

  $('k-show-revoked').addEventListener('change', render);
  $('k-find').addEventListener('input', render);

  window.Admin.ready(() => {
    load().catch(window.Admin.refused);
  });
})();
