// The Import screen: reads the chosen CSV file in the browser and sends it to POST /v1/imports as
// text/csv (Admin.api sends JSON only), checks it or imports it after a confirmation, and shows the
// report: counts, the rows that matter, a link to the report's CSV. Past imports are listed below.
'use strict';

(() => {
  const { t, el, api, table, time, number, ready, answered, refused, confirm, ApiProblem } = window.Admin;
  const $ = (id) => document.getElementById(id);
  let csrf = null;

  const kindName = (kind) => t(`kind.${kind}`);

  /** Sends the file; resolves to the status and the report, or throws the API's refusal. */
  async function send(kind, dryRun, text) {
    const res = await fetch(`/v1/imports?kind=${encodeURIComponent(kind)}&dryRun=${dryRun}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'text/csv; charset=utf-8', 'x-csrf-token': csrf ?? '' },
      body: text,
    });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new ApiProblem(res.status, body);
    return { status: res.status, report: body };
  }

  /** The chosen file's name and text, or null (said) when none is chosen. */
  async function chosenFile() {
    const file = $('import-file').files[0];
    if (!file) {
      $('admin-answer').hidden = true;
      $('admin-problem').textContent = t('form.noFile');
      $('admin-problem').hidden = false;
      $('import-file').focus();
      return null;
    }
    return { name: file.name, text: await file.text() };
  }

  const whyOf = (r) =>
    [
      r.problem ? `${r.problem}: ${r.message ?? ''}` : r.message,
      ...r.errors.map((e) => t('answer.field', { path: e.column || '(row)', message: e.message })),
    ]
      .filter(Boolean)
      .join(' · ');

  function rowsTable(rows, caption) {
    return table({
      caption,
      columns: [
        { label: t('row.row'), cell: (r) => String(r.row) },
        { label: t('row.result'), cell: (r) => `${t(`result.${r.result}`)}${r.earlier ? ` ${t('row.earlier')}` : ''}` },
        {
          label: t('row.what'),
          // A record's own page is the records screen's (/admin/records/:id).
          cell: (r) =>
            r.recordId
              ? el('a', { href: `/admin/records/${encodeURIComponent(r.recordId)}` }, el('code', {}, r.recordId))
              : r.name && el('code', {}, r.name),
        },
        { label: t('row.problem'), cell: (r) => whyOf(r) || null },
      ],
      rows,
    });
  }

  /** Shows a report: a dry run lists the rows that would not be imported, an import every row. */
  function showReport(report, fileName) {
    const c = report.counts;
    const values = {
      file: fileName,
      rows: number(report.rowCount),
      ...Object.fromEntries(Object.entries(c).map(([k, v]) => [k, number(v)])),
    };
    $('import-summary').textContent = t(report.dryRun ? 'result.checked' : 'result.imported', values);
    const earlier = report.rows.filter((r) => r.earlier).length;
    $('import-again').hidden = earlier === 0;
    $('import-again').textContent = earlier ? t('result.again', { earlier: number(earlier) }) : '';
    const link = $('import-report');
    link.hidden = !report.import;
    if (report.import) link.href = `/v1/imports/${report.import.id}/report.csv`;
    const shown = report.dryRun ? report.rows.filter((r) => r.result !== 'valid') : report.rows;
    $('import-rows').replaceChildren(rowsTable(shown, t(report.dryRun ? 'result.badCaption' : 'result.rowsCaption')));
    $('import-result').hidden = false;
    $('import-result-heading').focus();
  }

  async function check() {
    const file = await chosenFile();
    if (!file) return;
    const kind = $('import-kind').value;
    try {
      const { status, report } = await send(kind, true, file.text);
      answered(t('answer.checked', { file: file.name, valid: report.counts.valid, invalid: report.counts.invalid }), status);
      showReport(report, file.name);
    } catch (err) {
      refused(err);
    }
  }

  async function run() {
    const file = await chosenFile();
    if (!file) return;
    const kind = $('import-kind').value;
    if (!(await confirm(t('form.confirm', { file: file.name, kind: kindName(kind) })))) return;
    try {
      const { status, report } = await send(kind, false, file.text);
      answered(t('answer.imported', { file: file.name, ...report.counts }), status);
      showReport(report, file.name);
      await list();
    } catch (err) {
      refused(err);
    }
  }

  async function show(item) {
    const when = time(item.createdAt);
    try {
      const report = await api(`/v1/imports/${item.id}`);
      answered(t('list.shown', { kind: kindName(item.kind), when }));
      showReport(report, `${kindName(item.kind)} ${when}`);
    } catch (err) {
      refused(err);
    }
  }

  async function list() {
    try {
      const { items } = await api('/v1/imports');
      const count = (key) => (i) => number(i.counts[key]);
      $('import-list').replaceChildren(
        table({
          caption: t('list.caption'),
          columns: [
            { label: t('list.when'), cell: (i) => time(i.createdAt) },
            { label: t('list.kind'), cell: (i) => kindName(i.kind) },
            { label: t('list.by'), cell: (i) => i.createdBy },
            { label: t('list.rows'), cell: (i) => number(i.rowCount) },
            { label: t('list.created'), cell: count('created') },
            { label: t('list.duplicate'), cell: count('duplicate') },
            { label: t('list.refused'), cell: count('refused') },
            { label: t('list.invalid'), cell: count('invalid') },
            { label: t('list.runs'), cell: (i) => number(i.runs) },
            {
              label: t('list.report'),
              cell: (i) => {
                const names = { kind: kindName(i.kind), when: time(i.createdAt) };
                return el(
                  'span',
                  { class: 'actions' },
                  el('button', { type: 'button', 'aria-label': t('list.showOf', names), onclick: () => show(i) }, t('list.show')),
                  el('a', { href: `/v1/imports/${i.id}/report.csv`, download: '', 'aria-label': t('list.csvOf', names) }, t('list.csv')),
                );
              },
            },
          ],
          rows: items,
        }),
      );
    } catch (err) {
      refused(err);
    }
  }

  ready((session) => {
    csrf = session.csrfToken;
    $('import-check').addEventListener('click', () => void check());
    $('import-run').addEventListener('click', () => void run());
    void list();
  });
})();
