// `npm run migrate`: brings the database named by DATABASE_URL up to date and says what it applied.
// The API and the workers do the same at start; this is for a release step that migrates first.
import { loadConfigOrExit } from '../config/index.js';
import { connect } from '../db/connect.js';
import { migrate } from '../db/migrate.js';

const config = loadConfigOrExit(['DATABASE_URL']);
const sql = connect({ url: config.DATABASE_URL!, max: 1, prepare: config.DATABASE_PREPARE });
try {
  const applied = await migrate(sql);
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'the database is up to date');
} finally {
  await sql.end({ timeout: 5 });
}
