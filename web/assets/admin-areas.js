// /admin/areas: the organisation areas from /v1/org-areas in a table; one form creates an area
// or, after "Change" on a row, changes it.
'use strict';

(({ Admin, AdminConfig }) => {
  Admin.ready(() => {
    const { el, t, api, act } = Admin;
    const $ = (id) => document.getElementById(id);
    const form = $('area-form');
    const policy = $('area-policy');
    /** The area being changed, or null while the form makes a new one. */
    let editing = null;

    async function load() {
      const { items } = await api('/v1/org-areas');
      $('areas-table').replaceChildren(
        Admin.table({
          caption: t('areas.caption'),
          columns: [
            { label: t('areas.id'), cell: (a) => a.id },
            { label: t('areas.name'), cell: (a) => a.name },
            { label: t('areas.max'), cell: (a) => AdminConfig.limit(a.maxActiveRecords) },
            { label: t('areas.policy'), cell: (a) => t(`policy.${a.duplicatePolicy}`) },
            {
              label: t('form.edit'),
              cell: (a) => el('button', { type: 'button', onclick: () => edit(a) }, t('areas.edit', { id: a.id })),
            },
          ],
          rows: items,
        }),
      );
    }

    function edit(area) {
      editing = area;
      $('area-form-heading').textContent = t('areas.change', { id: area.id });
      $('area-id').value = area.id;
      $('area-id').readOnly = true;
      $('area-name').value = area.name;
      $('area-max').value = area.maxActiveRecords ?? '';
      // A stored area always has a policy: "as the parameter" is for new ones only.
      policy.options[0].hidden = true;
      policy.value = area.duplicatePolicy;
      $('area-submit').textContent = t('form.save');
      $('area-cancel').hidden = false;
      $('area-name').focus();
    }

    function reset() {
      editing = null;
      form.reset();
      $('area-form-heading').textContent = t('areas.new');
      $('area-id').readOnly = false;
      policy.options[0].hidden = false;
      $('area-submit').textContent = t('form.create');
      $('area-cancel').hidden = true;
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const fields = {
        name: $('area-name').value,
        maxActiveRecords: AdminConfig.intOrNull($('area-max')),
        ...(policy.value ? { duplicatePolicy: policy.value } : {}),
      };
      const id = editing ? editing.id : $('area-id').value.trim();
      const done = editing
        ? await act(() => api(`/v1/org-areas/${encodeURIComponent(id)}`, { method: 'PATCH', body: fields }), t('areas.changed', { id }))
        : await act(() => api('/v1/org-areas', { method: 'POST', body: { id, ...fields } }), t('areas.created', { id }), 201);
      if (done) {
        reset();
        await load();
      }
    });
    $('area-cancel').addEventListener('click', reset);

    /** The parameter a new area without a policy takes, named in the choice that means it. */
    async function showParameter() {
      const { items } = await api('/v1/parameters');
      const now = items.find((p) => p.name === 'callbackDuplicatePolicy')?.value;
      if (now) policy.options[0].textContent = t('areas.policyParameterNow', { policy: now });
    }

    Promise.all([load(), showParameter()]).catch(Admin.refused);
  });
})(window);
