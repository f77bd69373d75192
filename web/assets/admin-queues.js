// /admin/queues: the queues from /v1/queues in a table; one form creates a queue or, after
// "Change" on a row, changes it, its weekly opening hours edited period by period; a changed
// queue's holidays are listed, added and removed below it.
'use strict';

(({ Admin, AdminConfig }) => {
  Admin.ready(() => {
    const { el, t, api, act } = Admin;
    const $ = (id) => document.getElementById(id);
    const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
    const form = $('queue-form');
    /** The queue being changed, or null while the form makes a new one. */
    let editing = null;
    /** The opening hours in the form: weekday to its periods, as the API takes them. */
    let hours = {};

    const pathOf = (name) => `/v1/queues/${encodeURIComponent(name)}`;
    const periodText = (p) => `${p.from}–${p.to}`;

    /** The week in a line, days in a row with the same periods together: "Mon–Fri 08:00–17:00; Sat 10:00–14:00". */
    function hoursSummary(week) {
      const runs = [];
      WEEKDAYS.forEach((day) => {
        const periods = (week[day] ?? []).map(periodText).join(', ');
        const last = runs.at(-1);
        if (last && last.periods === periods) last.to = day;
        else runs.push({ from: day, to: day, periods });
      });
      const open = runs.filter((r) => r.periods);
      if (!open.length) return t('queues.closed');
      const days = (r) => (r.from === r.to ? t(`dayShort.${r.from}`) : `${t(`dayShort.${r.from}`)}–${t(`dayShort.${r.to}`)}`);
      return open.map((r) => `${days(r)} ${r.periods}`).join('; ');
    }

    /** The parameters a queue follows where it sets no value of its own, by name. */
    let parameters = {};

    /** A value the queue leaves to a parameter, in the table: the parameter's value now, and its name. */
    const orParameter = (value, name, format) =>
      value === null ? el('span', { class: 'muted' }, t('config.fromParameter', { value: format(parameters[name]), name })) : format(value);

    async function loadParameters() {
      const { items } = await api('/v1/parameters');
      parameters = Object.fromEntries(items.map((p) => [p.name, p.value]));
      const hints = [
        ['queue-gate-hint', 'queues.gateHint', 'callbackBufferMax'],
        ['queue-offer-hint', 'queues.offerHint', 'offerTimeoutSeconds'],
      ];
      for (const [id, key, name] of hints) $(id).textContent = `${t(key)} (${t('config.parameterNow', { value: parameters[name] })})`;
    }

    async function loadQueues() {
      const { items } = await api('/v1/queues');
      $('queues-table').replaceChildren(
        Admin.table({
          caption: t('queues.caption'),
          columns: [
            {
              label: t('queues.name'),
              cell: (q) => [
                el('div', {}, q.name),
                el('button', { type: 'button', onclick: () => edit(q) }, t('queues.edit', { name: q.name })),
              ],
            },
            { label: t('queues.area'), cell: (q) => q.orgArea },
            { label: t('queues.zone'), cell: (q) => q.timeZone },
            { label: t('queues.accepts'), cell: (q) => t(q.acceptsCallbacks ? 'form.yes' : 'form.no') },
            {
              label: t('queues.limits'),
              cell: (q) => [
                el('div', {}, `${t('queues.max')}: `, AdminConfig.limit(q.maxActiveRecords)),
                el('div', {}, `${t('queues.gateShort')}: `, orParameter(q.gateSize, 'callbackBufferMax', Admin.number)),
                el(
                  'div',
                  {},
                  `${t('queues.offerShort')}: `,
                  orParameter(q.offerTimeoutSeconds, 'offerTimeoutSeconds', (n) => t('config.seconds', { n })),
                ),
                el('div', {}, `${t('queues.wrapUpShort')}: `, t('config.seconds', { n: q.wrapUpTimeoutSeconds })),
              ],
            },
            { label: t('queues.hours'), cell: (q) => hoursSummary(q.openingHours) },
          ],
          rows: items,
        }),
      );
    }

    async function loadAreas() {
      const { items } = await api('/v1/org-areas');
      const chosen = $('queue-area').value;
      $('queue-area').replaceChildren(...items.map((a) => el('option', { value: a.id }, `${a.name} (${a.id})`)));
      if (items.some((a) => a.id === chosen)) $('queue-area').value = chosen;
    }

    function fillZones() {
      const zones = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
      $('queue-zone').replaceChildren(...[...zones].sort().map((z) => el('option', { value: z }, z)));
      $('queue-zone').value = Intl.DateTimeFormat().resolvedOptions().timeZone;
    }

    /** A queue's zone may be one the browser does not list (an alias): it stays choosable. */
    function chooseZone(zone) {
      if (![...$('queue-zone').options].some((o) => o.value === zone)) $('queue-zone').append(el('option', { value: zone }, zone));
      $('queue-zone').value = zone;
    }

    function renderDay(day) {
      const name = t(`day.${day}`);
      const list = $(`hours-${day}`);
      const periods = hours[day] ?? [];
      list.replaceChildren(
        ...periods.map((p, i) => {
          const n = i + 1;
          const input = (field) =>
            el('input', {
              value: p[field],
              size: 5,
              inputmode: 'numeric',
              placeholder: 'HH:MM',
              'aria-label': t(field === 'from' ? 'queues.fromOf' : 'queues.toOf', { day: name, n }),
              oninput: (e) => (p[field] = e.target.value.trim()),
            });
          return el(
            'li',
            {},
            el('span', { 'aria-hidden': 'true' }, t('queues.from')),
            input('from'),
            el('span', { 'aria-hidden': 'true' }, t('queues.to')),
            input('to'),
            el(
              'button',
              {
                type: 'button',
                onclick: () => {
                  periods.splice(i, 1);
                  renderDay(day);
                  list.parentElement.querySelector('.add-period').focus();
                },
              },
              t('queues.removePeriod', { day: name, n }),
            ),
          );
        }),
      );
      if (!periods.length) list.append(el('li', { class: 'muted' }, t('queues.closed')));
    }

    function setHours(week) {
      hours = Object.fromEntries(WEEKDAYS.map((d) => [d, (week[d] ?? []).map((p) => ({ ...p }))]));
      WEEKDAYS.forEach(renderDay);
    }

    for (const button of document.querySelectorAll('.add-period')) {
      button.addEventListener('click', () => {
        const day = button.dataset.day;
        const periods = hours[day];
        const last = periods.at(-1);
        periods.push(last ? { from: last.to, to: '24:00' } : { from: '08:00', to: '17:00' });
        renderDay(day);
        $(`hours-${day}`)
          .querySelectorAll('input')
          .item(2 * (periods.length - 1))
          .focus();
      });
    }
    $('queue-all-day').addEventListener('click', () =>
      setHours(Object.fromEntries(WEEKDAYS.map((d) => [d, [{ from: '00:00', to: '24:00' }]]))),
    );

    function edit(queue) {
      editing = queue;
      $('queue-form-heading').textContent = t('queues.change', { name: queue.name });
      $('queue-name').value = queue.name;
      $('queue-name').readOnly = true;
      $('queue-area').value = queue.orgArea;
      chooseZone(queue.timeZone);
      $('queue-accepts').checked = queue.acceptsCallbacks;
      $('queue-max').value = queue.maxActiveRecords ?? '';
      $('queue-gate').value = queue.gateSize ?? '';
      $('queue-offer').value = queue.offerTimeoutSeconds ?? '';
      $('queue-wrapup').value = queue.wrapUpTimeoutSeconds;
      setHours(queue.openingHours);
      $('queue-submit').textContent = t('form.save');
      $('queue-cancel').hidden = false;
      $('queue-form-heading').scrollIntoView();
      $('queue-area').focus();
      void showHolidays(queue);
    }

    function reset() {
      editing = null;
      form.reset();
      fillZones();
      setHours({});
      $('queue-form-heading').textContent = t('queues.new');
      $('queue-name').readOnly = false;
      $('queue-submit').textContent = t('form.create');
      $('queue-cancel').hidden = true;
      $('holidays').hidden = true;
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const fields = {
        orgArea: $('queue-area').value,
        timeZone: $('queue-zone').value,
        acceptsCallbacks: $('queue-accepts').checked,
        maxActiveRecords: AdminConfig.intOrNull($('queue-max')),
        gateSize: AdminConfig.intOrNull($('queue-gate')),
        offerTimeoutSeconds: AdminConfig.intOrNull($('queue-offer')),
        wrapUpTimeoutSeconds: AdminConfig.int($('queue-wrapup')),
        openingHours: Object.fromEntries(WEEKDAYS.filter((d) => hours[d].length).map((d) => [d, hours[d]])),
      };
      const name = editing ? editing.name : $('queue-name').value.trim();
      const done = editing
        ? await act(() => api(pathOf(name), { method: 'PATCH', body: fields }), t('queues.changed', { name }))
        : await act(() => api('/v1/queues', { method: 'POST', body: { name, ...fields } }), t('queues.created', { name }), 201);
      if (!done) return;
      await loadQueues();
      // A changed queue stays in the form with its holidays; a new one is ready for its own.
      edit(done);
    });
    $('queue-cancel').addEventListener('click', reset);

    // Holidays of the queue being changed.
    function holidayHours(h) {
      return 'closed' in h ? t('holidays.closedAllDay') : h.periods.map(periodText).join(', ');
    }

    async function showHolidays(queue) {
      $('holidays-heading').textContent = t('holidays.heading', { name: queue.name });
      $('holidays').hidden = false;
      await loadHolidays(queue).catch(Admin.refused);
    }

    async function loadHolidays(queue) {
      const list = await api(`${pathOf(queue.name)}/holidays`);
      $('holidays-table').replaceChildren(
        Admin.table({
          caption: t('holidays.caption', { zone: list.timeZone }),
          columns: [
            { label: t('holidays.date'), cell: (h) => h.date },
            { label: t('holidays.name'), cell: (h) => h.name },
            { label: t('holidays.hours'), cell: (h) => holidayHours(h) },
            {
              label: t('form.delete'),
              cell: (h) =>
                el(
                  'button',
                  { type: 'button', class: 'danger', onclick: () => removeHoliday(queue, h.date) },
                  t('holidays.remove', { date: h.date }),
                ),
            },
          ],
          rows: list.items,
        }),
      );
    }

    async function removeHoliday(queue, date) {
      if (!(await Admin.confirm(t('holidays.removeConfirm', { date, name: queue.name })))) return;
      const done = await act(
        () => api(`${pathOf(queue.name)}/holidays/${date}`, { method: 'DELETE' }),
        t('holidays.removed', { date, name: queue.name }),
        204,
      );
      if (done !== undefined) await loadHolidays(queue);
    }

    /** "09:00-12:00, 13:00-15:00" as periods; a piece that is not from-to goes as typed, for the API to refuse. */
    const parsePeriods = (text) =>
      text
        .split(',')
        .map((piece) => piece.trim())
        .filter(Boolean)
        .map((piece) => {
          const [from = piece, to = ''] = piece.split(/\s*[-–]\s*/);
          return { from, to };
        });

    $('holiday-kind').addEventListener('change', () => {
      $('holiday-periods').disabled = $('holiday-kind').value !== 'open';
    });

    $('holiday-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!editing) return;
      const queue = editing;
      const date = $('holiday-date').value;
      if (!date) {
        AdminConfig.say(t('holidays.needDate'));
        $('holiday-date').focus();
        return;
      }
      const name = $('holiday-name').value.trim();
      const day = $('holiday-kind').value === 'open' ? { periods: parsePeriods($('holiday-periods').value) } : { closed: true };
      const done = await act(
        () =>
          api(`${pathOf(queue.name)}/holidays/${encodeURIComponent(date)}`, { method: 'PUT', body: { ...day, ...(name ? { name } : {}) } }),
        t('holidays.added', { date, name: queue.name }),
      );
      if (!done) return;
      $('holiday-form').reset();
      $('holiday-periods').disabled = true;
      await loadHolidays(queue);
    });

    fillZones();
    setHours({});
    Promise.all([loadAreas(), loadParameters().then(loadQueues)]).catch(Admin.refused);
  });
})(window);
