// /admin/parameters: each parameter's value and default from /v1/parameters, and its form (the
// server rendered the control its type needs) sending the new value, which the API validates.
'use strict';

(({ Admin, AdminConfig }) => {
  Admin.ready(() => {
    const { t, api, act } = Admin;
    const $ = (id) => document.getElementById(id);

    const shown = (value) =>
      value === null ? t('param.none') : value === true ? t('param.true') : value === false ? t('param.false') : String(value);

    function fill(p) {
      $(`param-${p.name}-value`).textContent = shown(p.value);
      $(`param-${p.name}-default`).textContent = shown(p.default);
      $(`param-${p.name}-input`).value = p.value === null ? '' : String(p.value);
    }

    /** The value the form holds, typed as the parameter is; a number field's text goes as typed when it is not one. */
    function valueOf(form) {
      const input = $(`param-${form.dataset.name}-input`);
      if (form.dataset.kind === 'boolean') return input.value === 'true';
      if (form.dataset.kind === 'choice') return input.value;
      return input.dataset.nullable === 'true' ? AdminConfig.intOrNull(input) : AdminConfig.int(input);
    }

    for (const form of document.querySelectorAll('form.parameter')) {
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const name = form.dataset.name;
        const changed = await act(
          () => api(`/v1/parameters/${encodeURIComponent(name)}`, { method: 'PUT', body: { value: valueOf(form) } }),
          (p) => t('param.changed', { name, value: shown(p.value) }),
        );
        if (changed) fill(changed);
      });
    }

    api('/v1/parameters')
      .then(({ items }) => items.forEach(fill))
      .catch(Admin.refused);
  });
})(window);
