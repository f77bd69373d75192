// /v1/stats: per queue and day, what happened to callbacks, for managers and other systems.
import { Hono } from 'hono';
import { connectPercentiles, dailyMeasures, statsQueues } from '../db/stats.js';
import { buildReport, CSV_COLUMNS, csvRowsOf } from '../domain/stats.js';
import { route, ROLE_SETS } from './access.js';
import { toCsv } from './csv.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import { statsQuery, statsReportSchema } from './stats.schemas.js';
import { validate } from './validate.js';

const read = route({
  summary: 'Statistics per queue and day',
  description:
    "Per queue and day of the period (days in the queue's time zone): callbacks requested by channel, completed, closed by reason, success rate, attempts per completed callback, time to the customer connected (p50, p90), offers refused and timed out, appointments booked, kept and missed; and the period's totals. Read from daily rollups kept with the history, so records deleted since stay counted. `format=csv` answers the same as text/csv. Holds no personal data: reading it is not logged.",
  roles: ROLE_SETS.oversight,
  responses: { 200: { description: 'The report (or, with format=csv, the same as CSV)', schema: statsReportSchema } },
  problems: ['unknown-queue'],
});

export function statsRouter({ sql }: ApiDeps) {
  return new Hono().get('/', read, validate('query', statsQuery), async (c) => {
    const { from, to, queue: asked, format } = c.req.valid('query');
    const measures = await dailyMeasures(sql, { from, to, queues: asked });
    const names = asked ?? [...new Set(measures.map((m) => m.queue))].sort();
    const queues = await statsQueues(sql, names);
    if (asked && queues.length < asked.length) {
      const unknown = asked.filter((q) => !queues.some((k) => k.queue === q));
      throw problem('unknown-queue', `no queue named ${unknown.join(', ')}, and no statistics of one`, { unknown });
    }
    const connects = names.length === 0 ? [] : await connectPercentiles(sql, { from, to, queues: names });
    const report = buildReport({ from, to }, queues, measures, connects);
    if (format === 'json') return c.json(report);
    return c.body(`\uFEFF${toCsv(CSV_COLUMNS, csvRowsOf(report))}`, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="callback-statistics-${from}-${to}.csv"`,
    });
  });
}
