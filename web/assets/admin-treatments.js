// /admin/treatments: the set in force for an area or a queue, in an editor whose every value says
// where it comes from: the queue's exception, the area's standard set or the product's defaults.
// A set is stored whole (api/treatments.ts), so a value comes from the set in force; beside it
// stands the value that would apply without that set, and "same as" marks a value it repeats.
'use strict';

(({ Admin, AdminConfig }) => {
  Admin.ready(() => {
    const { el, t, api, act } = Admin;
    const $ = (id) => document.getElementById(id);
    const OUTCOMES = JSON.parse(Admin.data.outcomes);
    const COUNTED = JSON.parse(Admin.data.counted);
    let areas = [];
    let queues = [];
    /** What is shown: { kind: 'queue' | 'org-area', area, queue }, the set in force, and the one below it. */
    let scope = null;
    let effective = null;
    let fallback = null;
    /** Whether the editor holds a change not saved. */
    let unsaved = false;

    const enc = encodeURIComponent;
    const pathOf = (s) => (s.kind === 'queue' ? `/v1/treatments/queues/${enc(s.queue)}` : `/v1/treatments/org-areas/${enc(s.area)}`);

    // Values as text, to compare what the editor holds with what is stored.
    const ruleText = (rule) =>
      rule.action === 'close'
        ? t('treat.closeText')
        : rule.delayMinutes === 0
          ? t('treat.postponeNow')
          : t('treat.postponeText', { n: rule.delayMinutes });
    const thresholdText = (n) => (n === undefined ? t('treat.noThreshold') : t('treat.thresholdText', { n }));
    const attemptsText = (n) => (n === null ? t('treat.noAttemptLimit') : t('treat.attemptsText', { n }));
    const sameRule = (a, b) => a.action === b.action && (a.action === 'close' || String(a.delayMinutes) === String(b.delayMinutes));
    const same = (a, b) => String(a ?? '') === String(b ?? '');

    /** The set as the editor holds it, in the API's shape; what is not a number goes as typed, for the API to refuse. */
    function draft() {
      const onOutcome = {};
      const closeAfter = {};
      for (const outcome of OUTCOMES) {
        const action = $(`action-${outcome}`).value;
        const minutes = $(`minutes-${outcome}`);
        onOutcome[outcome] =
          action === 'close' ? { action } : { action, delayMinutes: minutes.value.trim() === '' ? 0 : AdminConfig.int(minutes) };
      }
      for (const outcome of COUNTED) {
        const input = $(`threshold-${outcome}`);
        if (!input.disabled && input.value.trim() !== '') closeAfter[outcome] = AdminConfig.int(input);
      }
      return { onOutcome, closeAfter, maxAttempts: AdminConfig.intOrNull($('max-attempts')) };
    }

    /** Where a value comes from: changed in the editor, or the set in force (and whether it repeats the one below). */
    function sourceOf(held, below) {
      if (!held) return t('source.changed');
      const source = t(`source.${effective.source}`);
      if (effective.source === scope.kind && below) return t('source.same', { source, other: t(`source.${fallback.source}`) });
      return source;
    }

    /** Says where the value of `key`'s row comes from; a value this set changes, or the editor does, stands out. */
    function showSource(key, held, below) {
      if (!held) unsaved = true;
      const cell = $(`source-${key}`);
      cell.textContent = sourceOf(held, below);
      cell.classList.toggle('own', !held || (effective.source === scope.kind && !below));
    }

    function refreshSources() {
      unsaved = false;
      const now = draft();
      const set = effective.treatment;
      const under = fallback.treatment;
      for (const outcome of OUTCOMES) {
        const held = sameRule(now.onOutcome[outcome], set.onOutcome[outcome]) && same(now.closeAfter[outcome], set.closeAfter[outcome]);
        const below =
          sameRule(set.onOutcome[outcome], under.onOutcome[outcome]) && same(set.closeAfter[outcome], under.closeAfter[outcome]);
        showSource(outcome, held, below);
        const closes = $(`action-${outcome}`).value === 'close';
        $(`minutes-${outcome}`).disabled = closes;
        $(`threshold-${outcome}`).disabled = closes;
      }
      const later = 'reestablish-later';
      showSource(later, same(now.closeAfter[later], set.closeAfter[later]), same(set.closeAfter[later], under.closeAfter[later]));
      showSource('max-attempts', same(now.maxAttempts, set.maxAttempts), same(set.maxAttempts, under.maxAttempts));
    }

    const numberInput = (id, value, label) =>
      el('input', {
        id,
        value: value === undefined || value === null ? '' : String(value),
        size: 4,
        inputmode: 'numeric',
        'aria-label': label,
      });

    function renderEditor() {
      const set = effective.treatment;
      const under = fallback.treatment;
      const name = (outcome) => t(`outcome.${outcome}`);
      const otherwise =
        scope.kind === 'queue'
          ? t('treat.otherwiseArea', { area: scope.area, source: t(`source.${fallback.source}`) })
          : t('treat.otherwiseDefault');
      const head = el(
        'thead',
        {},
        el(
          'tr',
          {},
          [t('treat.outcome'), t('treat.action'), t('treat.minutes'), t('treat.threshold'), t('treat.source'), otherwise].map((label) =>
            el('th', { scope: 'col' }, label),
          ),
        ),
      );
      const outcomeRows = OUTCOMES.map((outcome) => {
        const rule = set.onOutcome[outcome];
        return el(
          'tr',
          {},
          el('th', { scope: 'row' }, name(outcome), el('br'), el('code', { class: 'muted' }, outcome)),
          el(
            'td',
            {},
            el(
              'select',
              { id: `action-${outcome}`, 'aria-label': t('treat.actionOf', { outcome: name(outcome) }) },
              el('option', { value: 'close', selected: rule.action === 'close' }, t('treat.close')),
              el('option', { value: 'postpone', selected: rule.action === 'postpone' }, t('treat.postpone')),
            ),
          ),
          el('td', {}, numberInput(`minutes-${outcome}`, rule.delayMinutes, t('treat.minutesOf', { outcome: name(outcome) }))),
          el('td', {}, numberInput(`threshold-${outcome}`, set.closeAfter[outcome], t('treat.thresholdOf', { outcome: name(outcome) }))),
          el('td', { id: `source-${outcome}`, class: 'source' }),
          el('td', {}, `${ruleText(under.onOutcome[outcome])}, ${thresholdText(under.closeAfter[outcome])}`),
        );
      });
      const later = 'reestablish-later';
      const laterRow = el(
        'tr',
        {},
        el('th', { scope: 'row' }, name(later), el('br'), el('code', { class: 'muted' }, later)),
        el('td', { colspan: '2' }, t('treat.newTime')),
        el('td', {}, numberInput(`threshold-${later}`, set.closeAfter[later], t('treat.thresholdOf', { outcome: name(later) }))),
        el('td', { id: `source-${later}`, class: 'source' }),
        el('td', {}, thresholdText(under.closeAfter[later])),
      );
      const attemptsRow = el(
        'tr',
        {},
        el('th', { scope: 'row' }, t('treat.attempts')),
        el('td', { colspan: '3' }, numberInput('max-attempts', set.maxAttempts, t('treat.attemptsOf'))),
        el('td', { id: 'source-max-attempts', class: 'source' }),
        el('td', {}, attemptsText(under.maxAttempts)),
      );
      const table = el(
        'table',
        { class: 'treatments' },
        el('caption', {}, t('treat.caption')),
        head,
        el('tbody', {}, outcomeRows, laterRow, attemptsRow),
      );
      table.addEventListener('input', refreshSources);
      table.addEventListener('change', refreshSources);
      $('treat-table').replaceChildren(table);
      refreshSources();
    }

    function renderScope() {
      const own = effective.source === scope.kind;
      const vars = { queue: scope.queue, area: scope.area };
      $('treat-heading').textContent = t(scope.kind === 'queue' ? 'treat.headingQueue' : 'treat.headingArea', vars);
      $('treat-in-force').textContent = t('treat.inForce', {
        source: t(`source.${effective.source}`),
        by: effective.updatedBy ? t('treat.by', { who: effective.updatedBy, when: Admin.time(effective.updatedAt) }) : '',
      });
      $('treat-save').textContent = t(scope.kind === 'queue' ? 'treat.saveQueue' : 'treat.saveArea', vars);
      $('treat-remove').textContent = t(scope.kind === 'queue' ? 'treat.removeQueue' : 'treat.removeArea', vars);
      $('treat-remove').hidden = !own;
      $('treat-editor').hidden = false;
      renderEditor();
    }

    async function show(next) {
      scope = next;
      const below = next.kind === 'queue' ? api(`/v1/treatments/org-areas/${enc(next.area)}`) : api('/v1/treatments/defaults');
      const [inForce, under] = await Promise.all([api(pathOf(next)), below]);
      effective = inForce;
      fallback = next.kind === 'queue' ? under : { treatment: under.treatment, source: 'default' };
      const query = new URLSearchParams(next.kind === 'queue' ? { queue: next.queue } : { area: next.area });
      history.replaceState(null, '', `?${query}`);
      renderScope();
    }

    function fillQueues(area, chosen = '') {
      const inArea = queues.filter((q) => q.orgArea === area);
      $('treat-queue').replaceChildren(
        el('option', { value: '' }, t('treat.areaSet')),
        ...inArea.map((q) => el('option', { value: q.name }, q.name)),
      );
      $('treat-queue').value = chosen;
    }

    function choose(area, queue = '') {
      $('treat-area').value = area;
      fillQueues(area, queue);
      return show(queue ? { kind: 'queue', area, queue } : { kind: 'org-area', area });
    }

    /** Another set is shown once the administrator has let go of the changes not saved in this one. */
    async function switchTo(area, queue) {
      if (unsaved && !(await Admin.confirm(t('treat.discard')))) {
        $('treat-area').value = scope.area;
        fillQueues(scope.area, scope.queue ?? '');
        return;
      }
      await choose(area, queue);
    }

    $('treat-area').addEventListener('change', () => switchTo($('treat-area').value, '').catch(Admin.refused));
    $('treat-queue').addEventListener('change', () => switchTo($('treat-area').value, $('treat-queue').value).catch(Admin.refused));

    $('treat-save').addEventListener('click', async () => {
      const s = scope;
      const vars = { queue: s.queue, area: s.area };
      const saved = await act(
        () => api(pathOf(s), { method: 'PUT', body: draft() }),
        t(s.kind === 'queue' ? 'treat.savedQueue' : 'treat.savedArea', vars),
      );
      if (!saved) return;
      await show(s);
      await loadStored();
    });

    $('treat-remove').addEventListener('click', async () => {
      const s = scope;
      const vars = { queue: s.queue, area: s.area };
      if (!(await Admin.confirm(t(s.kind === 'queue' ? 'treat.removeQueueConfirm' : 'treat.removeAreaConfirm', vars)))) return;
      const done = await act(
        () => api(pathOf(s), { method: 'DELETE' }),
        t(s.kind === 'queue' ? 'treat.removedQueue' : 'treat.removedArea', vars),
        204,
      );
      if (done === undefined) return;
      await show(s);
      await loadStored();
    });

    async function loadStored() {
      const { items } = await api('/v1/treatments');
      $('treat-stored').replaceChildren(
        Admin.table({
          caption: t('treat.storedCaption'),
          columns: [
            { label: t('treat.scope'), cell: (s) => t(`scope.${s.scope}`) },
            { label: t('treat.name'), cell: (s) => s.name },
            { label: t('treat.updatedBy'), cell: (s) => s.updatedBy },
            { label: t('treat.updatedAt'), cell: (s) => Admin.time(s.updatedAt) },
            {
              label: t('treat.openColumn'),
              cell: (s) => {
                const area = s.scope === 'queue' ? queues.find((q) => q.name === s.name)?.orgArea : s.name;
                if (!area) return null;
                const open = () => switchTo(area, s.scope === 'queue' ? s.name : '').catch(Admin.refused);
                return el('button', { type: 'button', onclick: open }, t('treat.open', { name: s.name }));
              },
            },
          ],
          rows: items,
        }),
      );
    }

    async function loadFixed() {
      const { fixedOutcomes } = await api('/v1/treatments/defaults');
      $('treat-fixed').replaceChildren(
        Admin.table({
          caption: t('treat.fixedCaption'),
          columns: [
            { label: t('treat.outcome'), cell: (o) => t(`outcome.${o}`) },
            { label: t('treat.fixedWhat'), cell: (o) => t(`fixed.${o}`) },
          ],
          rows: Object.keys(fixedOutcomes),
        }),
      );
    }

    async function start() {
      [areas, queues] = await Promise.all([api('/v1/org-areas'), api('/v1/queues')]).then(([a, q]) => [a.items, q.items]);
      $('treat-area').replaceChildren(...areas.map((a) => el('option', { value: a.id }, `${a.name} (${a.id})`)));
      const asked = new URLSearchParams(location.search);
      const queue = queues.find((q) => q.name === asked.get('queue'));
      const area = queue?.orgArea ?? areas.find((a) => a.id === asked.get('area'))?.id ?? areas[0]?.id;
      await Promise.all([loadStored(), loadFixed(), area ? choose(area, queue?.name ?? '') : null]);
    }

    start().catch(Admin.refused);
  });
})(window);
