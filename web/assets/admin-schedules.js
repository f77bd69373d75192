// /admin/schedules: the schedules, the form that makes or changes one, its exception dates, and
// a calendar of its slots a week at a time with the places taken and free.
'use strict';

(() => {
  const { t, api, act, confirm, el, table } = window.Admin;
  const $ = (id) => document.getElementById(id);
  const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  let schedules = [];
  let current = null; // the schedule open in the form and the calendar, or null for a new one
  let calendarFrom = null;

  /** "09:00-12:00, 13:00-16:00" as periods; whatever does not read as one goes to the API as typed, which says what is wrong. */
  const periodsOf = (text) =>
    text
      .split(/[,;]/)
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [from = '', to = ''] = part.split(/\s*[-–]\s*/);
        return { from, to };
      });
  const periodsText = (periods = []) => periods.map((p) => `${p.from}-${p.to}`).join(', ');
  const numberOrUndefined = (value) => (value.trim() === '' ? undefined : Number(value));

  /** A read that says nothing when it works (the action's answer stays), and the refusal when not. */
  async function quietly(work) {
    try {
      return await work();
    } catch (err) {
      window.Admin.refused(err);
      return undefined;
    }
  }

  /** YYYY-MM-DD plus days, by the calendar (no zone involved). */
  function addDays(date, days) {
    const [y, m, d] = date.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
  }

  async function loadList() {
    schedules = (await api('/v1/schedules')).items;
    $('schedule-list').replaceChildren(
      table({
        caption: t('sch.list'),
        columns: [
          { label: t('col.id'), cell: (s) => s.id },
          { label: t('col.name'), cell: (s) => s.name },
          { label: t('col.queue'), cell: (s) => s.queue },
          { label: t('col.zone'), cell: (s) => s.timeZone },
          { label: t('col.capacity'), cell: (s) => String(s.capacity) },
          { label: t('col.active'), cell: (s) => t(s.active ? 'form.yes' : 'form.no') },
          {
            label: t('col.actions'),
            cell: (s) =>
              el('button', { type: 'button', 'aria-label': t('sch.open', { id: s.id }), onclick: () => open(s.id) }, t('sch.openShort')),
          },
        ],
        rows: schedules,
      }),
    );
  }

  async function loadQueues() {
    const queues = (await api('/v1/queues')).items;
    $('queue-names').replaceChildren(...queues.map((q) => el('option', { value: q.name })));
  }

  function fillForm(s) {
    const f = $('schedule-form');
    f.elements.id.value = s?.id ?? '';
    f.elements.id.readOnly = Boolean(s);
    f.elements.name.value = s?.name ?? '';
    f.elements.queue.value = s?.queue ?? '';
    f.elements.timeZone.value = s?.timeZone ?? '';
    f.elements.taskType.value = s?.taskType ?? '';
    f.elements.capacity.value = s ? String(s.capacity) : '';
    f.elements.horizonDays.value = String(s?.horizonDays ?? 30);
    f.elements.minimumNoticeMinutes.value = String(s?.minimumNoticeMinutes ?? 60);
    f.elements.identification.value = s?.identification ?? 'none';
    f.elements.priority.value = String(s?.priority ?? 5);
    f.elements.active.checked = s?.active ?? true;
    for (const day of WEEKDAYS) {
      $(`week-${day}`).value = periodsText(s?.week[day]?.periods);
      $(`week-${day}-minutes`).value = s?.week[day] ? String(s.week[day].minutesPerAppointment) : '';
    }
    $('schedule-form-heading').textContent = s ? t('sch.changeHeading', { id: s.id }) : t('sch.createHeading');
    $('schedule-editor').hidden = false;
  }

  function formBody() {
    const f = $('schedule-form').elements;
    const week = {};
    for (const day of WEEKDAYS) {
      const periods = periodsOf($(`week-${day}`).value);
      if (periods.length) week[day] = { periods, minutesPerAppointment: numberOrUndefined($(`week-${day}-minutes`).value) };
    }
    return {
      name: f.name.value.trim(),
      queue: f.queue.value.trim(),
      ...(f.timeZone.value.trim() ? { timeZone: f.timeZone.value.trim() } : {}),
      taskType: f.taskType.value.trim() || null,
      capacity: numberOrUndefined(f.capacity.value),
      horizonDays: numberOrUndefined(f.horizonDays.value),
      minimumNoticeMinutes: numberOrUndefined(f.minimumNoticeMinutes.value),
      identification: f.identification.value,
      priority: numberOrUndefined(f.priority.value),
      active: f.active.checked,
      week,
    };
  }

  $('schedule-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = formBody();
    const saved = current
      ? await act(
          () => api(`/v1/schedules/${encodeURIComponent(current.id)}`, { method: 'PATCH', body }),
          (s) => t('sch.changed', { id: s.id }),
        )
      : await act(
          () => api('/v1/schedules', { method: 'POST', body: { id: $('sch-id').value.trim(), ...body } }),
          (s) => t('sch.created', { id: s.id }),
          201,
        );
    if (!saved) return;
    await loadList();
    await open(saved.id);
  });

  $('schedule-new').addEventListener('click', () => {
    current = null;
    $('schedule-detail').hidden = true;
    fillForm(null);
    $('sch-id').focus();
  });
  $('schedule-cancel').addEventListener('click', () => {
    $('schedule-editor').hidden = true;
    $('schedule-new').focus();
  });

  async function open(id) {
    const found = await quietly(() => api(`/v1/schedules/${encodeURIComponent(id)}`));
    if (!found) return;
    current = found;
    fillForm(current);
    renderExceptions();
    $('schedule-detail').hidden = false;
    calendarFrom = null;
    await showCalendar();
    $('schedule-form-heading').focus();
  }

  function renderExceptions() {
    $('exception-list').replaceChildren(
      table({
        caption: t('exc.caption', { id: current.id }),
        columns: [
          { label: t('exc.date'), cell: (e) => e.date },
          { label: t('exc.kind'), cell: (e) => t(e.closed ? 'exc.closed' : 'exc.other') },
          { label: t('exc.hours'), cell: (e) => (e.closed ? null : `${periodsText(e.periods)} (${e.minutesPerAppointment} min)`) },
          { label: t('exc.note'), cell: (e) => e.note ?? null },
          {
            label: t('col.actions'),
            cell: (e) =>
              el(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  'aria-label': t('exc.removeLabel', { date: e.date }),
                  onclick: () => removeException(e.date),
                },
                t('exc.remove'),
              ),
          },
        ],
        rows: current.exceptions,
      }),
    );
  }

  async function refreshCurrent() {
    current = await api(`/v1/schedules/${encodeURIComponent(current.id)}`);
    renderExceptions();
    await showCalendar();
  }

  async function removeException(date) {
    if (!(await confirm(t('exc.removeConfirm', { date })))) return;
    const path = `/v1/schedules/${encodeURIComponent(current.id)}/exceptions/${date}`;
    if ((await act(() => api(path, { method: 'DELETE' }), t('exc.removed', { date }), 204)) !== undefined) await refreshCurrent();
  }

  $('exception-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target.elements;
    const date = f.date.value;
    const note = f.note.value.trim() || undefined;
    const body =
      f.kind.value === 'closed'
        ? { closed: true, note }
        : { periods: periodsOf(f.periods.value), minutesPerAppointment: numberOrUndefined(f.minutes.value), note };
    // An empty date still goes to the API, which names it; the path needs something in its place.
    const path = `/v1/schedules/${encodeURIComponent(current.id)}/exceptions/${encodeURIComponent(date || '-')}`;
    if (await act(() => api(path, { method: 'PUT', body }), t('exc.saved', { date }))) {
      event.target.reset();
      await refreshCurrent();
    }
  });

  /** The week's slots as a grid: a row per start time, a column per date, each cell its places taken and free. */
  function calendarGrid(answer) {
    const dates = Array.from({ length: answer.days }, (_, i) => addDays(answer.from, i));
    const clock = (slot) => slot.localStart.slice(11, 16);
    const times = [...new Set(answer.slots.map(clock))].sort();
    const dateLabel = (date) =>
      new Intl.DateTimeFormat(window.Admin.locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
        new Date(`${date}T12:00:00Z`),
      );
    if (times.length === 0) return el('p', {}, t('cal.none'));
    return el(
      'table',
      { class: 'calendar-grid' },
      el('caption', {}, t('cal.caption', { id: answer.scheduleId, from: answer.from, to: dates.at(-1), zone: answer.timeZone })),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, t('cal.time')),
          dates.map((d) => el('th', { scope: 'col' }, dateLabel(d))),
        ),
      ),
      el(
        'tbody',
        {},
        times.map((time) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, time),
            dates.map((date) => {
              const slots = answer.slots.filter((s) => s.date === date && clock(s) === time);
              if (slots.length === 0) return el('td', { class: 'no-slot' }, '');
              return el(
                'td',
                {},
                slots.map((s) => {
                  const state = s.notBookable === 'past' ? 'past' : s.free === 0 ? 'full' : s.taken > 0 ? 'some' : 'empty';
                  const note = state === 'past' ? t('cal.past') : state === 'full' ? t('cal.full') : '';
                  return el(
                    'span',
                    { class: `slot slot-${state}`, title: `${s.localStart} – ${s.localEnd}`, dataset: { start: s.start } },
                    t('cal.cell', { taken: s.taken, free: s.free }),
                    note ? el('span', { class: 'slot-note' }, ` (${note})`) : null,
                  );
                }),
              );
            }),
          ),
        ),
      ),
    );
  }

  let calendarAsked = 0;

  /** Shows the week from calendarFrom; only the latest week asked for is shown, however the answers arrive. */
  async function showCalendar() {
    const asked = ++calendarAsked;
    const query = new URLSearchParams({ days: '7', ...(calendarFrom ? { from: calendarFrom } : {}) });
    const path = `/v1/schedules/${encodeURIComponent(current.id)}/slots?${query}`;
    const answer = await quietly(() => api(path));
    if (!answer || asked !== calendarAsked) return;
    calendarFrom = answer.from;
    $('cal-from').value = answer.from;
    $('cal-stopped').hidden = answer.active;
    $('calendar').replaceChildren(calendarGrid(answer));
  }

  $('cal-previous').addEventListener('click', () => {
    calendarFrom = addDays(calendarFrom, -7);
    void showCalendar();
  });
  $('cal-next').addEventListener('click', () => {
    calendarFrom = addDays(calendarFrom, 7);
    void showCalendar();
  });
  $('cal-from').addEventListener('change', () => {
    if (!$('cal-from').value) return;
    calendarFrom = $('cal-from').value;
    void showCalendar();
  });

  window.Admin.ready(() => {
    loadList().catch(window.Admin.refused);
    loadQueues().catch(window.Admin.refused);
  });
})();
