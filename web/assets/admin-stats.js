// The statistics screen (/admin/stats): asks GET /v1/stats for the chosen period and queues, and
// shows each queue's figures as a table with the period's totals and as SVG charts drawn here
// (no chart library: a few rectangles and lines, coloured by admin-stats.css). The period and
// queues live in the address, so a report can be bookmarked or sent to a colleague.
'use strict';

(() => {
  const { el, t, api, act, number, locale } = window.Admin;
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const CHANNELS = ['ivr', 'web', 'agent', 'admin', 'api'];

  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  // A day of the report is a calendar date of the queue's zone: shown as that date, whatever the browser's zone.
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const shortDay = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const showDay = (day) => dayFormat.format(new Date(`${day}T00:00:00Z`));
  const showShortDay = (day) => shortDay.format(new Date(`${day}T00:00:00Z`));
  const none = () => t('form.none');
  const rate = (x) => (x === null ? none() : percent.format(x));

  /** Seconds as people read a wait: 42 s, 3 min 5 s, 2 h 10 min. */
  function duration(seconds) {
    if (seconds === null) return none();
    const s = Math.round(seconds);
    if (s < 60) return t('unit.seconds', { n: number(seconds, 1) });
    if (s < 3600) return t('unit.minutes', { m: Math.floor(s / 60), s: s % 60 });
    return t('unit.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
  }

  /** An axis's label: whole seconds, minutes or hours, short enough for the margin. */
  function shortDuration(seconds) {
    if (seconds < 120) return t('unit.seconds', { n: number(seconds) });
    if (seconds < 7200) return t('unit.shortMinutes', { m: number(seconds / 60, 1) });
    return t('unit.shortHours', { h: number(seconds / 3600, 1) });
  }

  /** The table's columns: a label and the cell of a day's (or the period's) figures. */
  function columnsFor(queue) {
    const reasons = Object.keys(queue.total.closed.byReason).filter((r) => r !== 'completed' && queue.total.closed.byReason[r] > 0);
    return [
      { label: t('col.requested'), cell: (f) => number(f.requested.total) },
      ...CHANNELS.map((c) => ({ label: t(`col.${c}`), cell: (f) => number(f.requested[c]) })),
      { label: t('col.completed'), cell: (f) => number(f.completed) },
      { label: t('col.closed'), cell: (f) => number(f.closed.total) },
      ...reasons.map((r) => ({ label: t('col.closedBy', { reason: r }), cell: (f) => number(f.closed.byReason[r]) })),
      { label: t('col.successRate'), cell: (f) => rate(f.successRate) },
      { label: t('col.attempts'), cell: (f) => (f.attemptsPerCompleted === null ? none() : number(f.attemptsPerCompleted, 2)) },
      { label: t('col.connected'), cell: (f) => number(f.connected) },
      { label: t('col.p50'), cell: (f) => duration(f.connectSeconds.p50) },
      { label: t('col.p90'), cell: (f) => duration(f.connectSeconds.p90) },
      { label: t('col.refused'), cell: (f) => number(f.offers.refused) },
      { label: t('col.timedOut'), cell: (f) => number(f.offers.timedOut) },
      { label: t('col.booked'), cell: (f) => number(f.appointments.booked) },
      { label: t('col.kept'), cell: (f) => number(f.appointments.kept) },
      { label: t('col.missed'), cell: (f) => number(f.appointments.missed) },
    ];
  }

  function queueTable(queue, report) {
    const columns = columnsFor(queue);
    const line = (head, figures) =>
      el(
        'tr',
        {},
        head,
        columns.map((c) => el('td', { class: 'number' }, c.cell(figures))),
      );
    return el(
      'div',
      { class: 'stats-table' },
      el(
        'table',
        {},
        el('caption', {}, t('stats.tableCaption', { queue: queue.queue, from: showDay(report.from), to: showDay(report.to) })),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col' }, t('col.day')),
            columns.map((c) => el('th', { scope: 'col', class: 'number' }, c.label)),
          ),
        ),
        el(
          'tbody',
          {},
          queue.days.map((d) => line(el('th', { scope: 'row' }, el('time', { datetime: d.day }, showDay(d.day))), d)),
        ),
        el('tfoot', {}, line(el('th', { scope: 'row' }, t('col.total')), queue.total)),
      ),
    );
  }

  function summary(total) {
    const item = (label, value) => el('div', {}, el('dt', {}, label), el('dd', {}, value));
    return el(
      'dl',
      { class: 'stats-summary', 'aria-label': t('stats.summary') },
      item(t('col.requested'), number(total.requested.total)),
      item(t('col.completed'), number(total.completed)),
      item(t('col.successRate'), rate(total.successRate)),
      item(t('col.p50'), duration(total.connectSeconds.p50)),
      item(t('col.p90'), duration(total.connectSeconds.p90)),
      item(t('col.booked'), number(total.appointments.booked)),
    );
  }

  function svg(tag, attrs = {}, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs)) if (value !== undefined && value !== null) node.setAttribute(name, String(value));
    node.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
    return node;
  }

  const WIDTH = 640;
  const HEIGHT = 200;
  const PLOT = { left: 64, right: 8, top: 10, bottom: 26 };
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;

  /** The smallest round number at or above `x` (1, 2, 5 times a power of ten), so that axes read easily. */
  function roundUp(x) {
    if (x <= 0) return 1;
    const power = 10 ** Math.floor(Math.log10(x));
    return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= x);
  }

  /** Axes of a chart over `days` whose values run 0 to `max`: three labelled gridlines and the first, middle and last day. */
  function axes(days, max, label) {
    const ys = [0, max / 2, max];
    const y = (v) => PLOT.top + plotHeight - (v / max) * plotHeight;
    const xAt = (i) => PLOT.left + ((i + 0.5) / days.length) * plotWidth;
    const marks = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])];
    return svg(
      'g',
      { class: 'axes', 'aria-hidden': 'true' },
      ys.map((v) => [
        svg('line', { class: 'grid', x1: PLOT.left, x2: WIDTH - PLOT.right, y1: y(v), y2: y(v) }),
        svg('text', { x: PLOT.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, label(v)),
      ]),
      marks.map((i) => svg('text', { x: xAt(i), y: HEIGHT - 8, 'text-anchor': 'middle' }, showShortDay(days[i].day))),
    );
  }

  function legend(series) {
    return el(
      'ul',
      { class: 'stats-legend' },
      series.map((s) => el('li', {}, el('span', { class: `swatch ${s.className}`, 'aria-hidden': 'true' }), s.label)),
    );
  }

  /** A figure: its caption names the chart for screen readers too; the table below has the same numbers. */
  function figure(id, title, chart, series) {
    return el('figure', { class: 'stats-chart' }, el('figcaption', { id: `${id}-caption` }, title), chart, legend(series));
  }

  function chartFrame(captionId, description) {
    return svg(
      'svg',
      { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': captionId, preserveAspectRatio: 'xMidYMid meet' },
      svg('desc', {}, description),
    );
  }

  /** Bars side by side per day, one per series. */
  function barChart(id, title, days, series) {
    const max = roundUp(Math.max(...days.flatMap((d) => series.map((s) => s.value(d)))));
    const describe = series.map((s) => `${s.label} ${days.map((d) => s.value(d)).join(', ')}`).join('; ');
    const chart = chartFrame(`${id}-caption`, t('stats.chart.describe', { what: title, points: describe }));
    chart.append(axes(days, max, (v) => number(v, 1)));
    const slot = plotWidth / days.length;
    const bar = (slot * 0.8) / series.length;
    days.forEach((d, i) => {
      series.forEach((s, k) => {
        const value = s.value(d);
        const h = (value / max) * plotHeight;
        chart.append(
          svg(
            'rect',
            {
              class: `bar ${s.className}`,
              x: PLOT.left + i * slot + slot * 0.1 + k * bar,
              y: PLOT.top + plotHeight - h,
              width: Math.max(bar, 0.5),
              height: h,
              'data-day': d.day,
              'data-series': s.className,
              'data-value': value,
            },
            svg('title', {}, `${showDay(d.day)} · ${s.label}: ${number(value)}`),
          ),
        );
      });
    });
    return figure(id, title, chart, series);
  }

  /** Lines through the days that have a value (a day without one breaks the line), with a dot per value. */
  function lineChart(id, title, days, series, { max, label, show }) {
    const top = max ?? roundUp(Math.max(0, ...days.flatMap((d) => series.map((s) => s.value(d) ?? 0))));
    const known = (s) => days.filter((d) => s.value(d) !== null);
    const describe = series
      .map(
        (s) =>
          `${s.label} ${
            known(s).length
              ? known(s)
                  .map((d) => `${showShortDay(d.day)} ${show(s.value(d))}`)
                  .join(', ')
              : t('stats.chart.noData')
          }`,
      )
      .join('; ');
    const chart = chartFrame(`${id}-caption`, t('stats.chart.describe', { what: title, points: describe }));
    chart.append(axes(days, top, label));
    const x = (i) => PLOT.left + ((i + 0.5) / days.length) * plotWidth;
    const y = (v) => PLOT.top + plotHeight - (Math.min(v, top) / top) * plotHeight;
    for (const s of series) {
      let path = '';
      let drawing = false;
      days.forEach((d, i) => {
        const v = s.value(d);
        if (v === null) {
          drawing = false;
          return;
        }
        path += `${drawing ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
        drawing = true;
      });
      if (path) chart.append(svg('path', { class: `line ${s.className}`, d: path.trim() }));
      days.forEach((d, i) => {
        const v = s.value(d);
        if (v === null) return;
        chart.append(
          svg(
            'circle',
            { class: `dot ${s.className}`, cx: x(i), cy: y(v), r: 3, 'data-day': d.day, 'data-series': s.className, 'data-value': v },
            svg('title', {}, `${showDay(d.day)} · ${s.label}: ${show(v)}`),
          ),
        );
      });
    }
    return figure(id, title, chart, series);
  }

  function queueSection(queue, report, index) {
    const id = `stats-q${index}`;
    const days = queue.days;
    return el(
      'section',
      { class: 'panel stats-queue', 'aria-labelledby': `${id}-heading` },
      el('h2', { id: `${id}-heading` }, t('stats.queueHeading', { queue: queue.queue, zone: queue.timeZone })),
      summary(queue.total),
      el(
        'div',
        { class: 'stats-charts' },
        barChart(`${id}-volume`, t('stats.chart.volume'), days, [
          { label: t('col.requested'), className: 'requested', value: (d) => d.requested.total },
          { label: t('col.completed'), className: 'completed', value: (d) => d.completed },
        ]),
        lineChart(
          `${id}-rate`,
          t('stats.chart.rate'),
          days,
          [{ label: t('col.successRate'), className: 'rate', value: (d) => d.successRate }],
          {
            max: 1,
            label: (v) => percent.format(v),
            show: (v) => percent.format(v),
          },
        ),
        lineChart(
          `${id}-connect`,
          t('stats.chart.connect'),
          days,
          [
            { label: t('col.p50'), className: 'p50', value: (d) => d.connectSeconds.p50 },
            { label: t('col.p90'), className: 'p90', value: (d) => d.connectSeconds.p90 },
          ],
          { label: shortDuration, show: duration },
        ),
      ),
      queueTable(queue, report),
    );
  }

  /** The query of the form: the period, and each queue chosen. */
  function query() {
    const q = new URLSearchParams({ from: $('stats-from').value, to: $('stats-to').value });
    for (const option of $('stats-queues').selectedOptions) q.append('queue', option.value);
    return q;
  }

  async function show() {
    const q = query();
    const report = await act(
      () => api(`/v1/stats?${q}`),
      (r) => t('stats.shown', { queues: r.queues.length, from: showDay(r.from), to: showDay(r.to) }),
    );
    if (!report) return;
    history.replaceState(null, '', `${location.pathname}?${q}`);
    const csv = $('stats-csv');
    csv.href = `/v1/stats?${q}&format=csv`;
    csv.hidden = false;
    $('stats-report').replaceChildren(
      ...(report.queues.length ? report.queues.map((queue, i) => queueSection(queue, report, i)) : [el('p', {}, t('stats.nothing'))]),
    );
  }

  const isoDate = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

  window.Admin.ready(async () => {
    const given = new URLSearchParams(location.search);
    const today = new Date();
    const weekAgo = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6);
    $('stats-from').value = given.get('from') ?? isoDate(weekAgo);
    $('stats-to').value = given.get('to') ?? isoDate(today);
    const chosen = new Set(given.getAll('queue').flatMap((q) => q.split(',')));
    try {
      const { items } = await api('/v1/queues');
      $('stats-queues').replaceChildren(...items.map((q) => el('option', { value: q.name, selected: chosen.has(q.name) }, q.name)));
    } catch (err) {
      window.Admin.refused(err);
    }
    $('stats-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void show();
    });
    await show();
  });
})();
