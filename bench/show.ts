// `npx tsx bench/show.ts <run.json> ...`: the table and the profile of runs written earlier, to compare them.
import { readFile } from 'node:fs/promises';
import { profileText, table, type BenchRun } from './report.js';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: tsx bench/show.ts bench/results/<run>.json ...');
for (const file of files) {
  const run = JSON.parse(await readFile(file, 'utf8')) as BenchRun;
  console.log(`${file}\n${table(run)}${process.env.BENCH_PROFILE === '0' ? '' : profileText(run)}\n`);
}
