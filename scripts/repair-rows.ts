// `npm run repair:rows [-- --since <instant>]`: after PostgreSQL was restored from a backup, writes
// again, from the record workflows' histories in Temporal, every row and event the backup lacks.
// `--since` (the backup's time, with its offset) limits it to workflows running or closed since then.
import { Client, Connection } from '@temporalio/client';
import { z } from 'zod';
import { loadConfigOrExit, temporalConnectionOptions, temporalDataConverterOf } from '../config/index.js';
import { connect } from '../db/connect.js';
import { repairRowsFromWorkflows } from '../worker/repair-rows.js';

const args = z.union([z.tuple([]), z.tuple([z.literal('--since'), z.iso.datetime({ offset: true })])]).safeParse(process.argv.slice(2));
if (!args.success) {
  console.error('usage: npm run repair:rows [-- --since 2026-11-26T02:00:00Z]');
  process.exit(2);
}
const since = args.data[1] ? new Date(args.data[1]) : undefined;
const config = loadConfigOrExit(['TEMPORAL_ADDRESS', 'DATABASE_URL', 'PAYLOAD_KEYS']);
const sql = connect({ url: config.DATABASE_URL!, max: 2, prepare: config.DATABASE_PREPARE });
const connection = await Connection.connect(temporalConnectionOptions(config));
const dataConverter = temporalDataConverterOf(config);
try {
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const { examined, repaired, failed } = await repairRowsFromWorkflows(sql, temporal, dataConverter.payloadCodecs[0], { since });
  console.log(`examined ${examined} record workflow(s); rewrote ${repaired.length}${repaired.length ? `: ${repaired.join(', ')}` : ''}`);
  for (const { id, error } of failed) console.error(`could not read ${id}: ${error}`);
  if (failed.length > 0) process.exitCode = 1;
} finally {
  await connection.close();
  await sql.end({ timeout: 5 });
}
