// `npm run api-key -- <name> <role>`: makes an API key in the database DATABASE_URL names and
// prints it, for the first admin key of a production install, or one that replaces a lost one.
// (`npm start` makes the first admin key of the embedded system by itself.)
import { z } from 'zod';
import { loadConfigOrExit } from '../config/index.js';
import { keyName, ROLES } from '../domain/roles.js';
import { createApiKey } from '../db/api-keys.js';
import { connect } from '../db/connect.js';
import { migrate } from '../db/migrate.js';

const args = z.tuple([keyName, z.enum(ROLES)]).safeParse(process.argv.slice(2));
if (!args.success) {
  console.error(`usage: npm run api-key -- <name> <${ROLES.join('|')}>`);
  process.exit(2);
}
const [name, role] = args.data;
const config = loadConfigOrExit(['DATABASE_URL']);
const sql = connect({ url: config.DATABASE_URL!, max: 1, prepare: config.DATABASE_PREPARE });
try {
  await migrate(sql);
  const [taken] = await sql`select 1 from api_keys where name = ${name}`;
  if (taken) {
    console.error(`a key named ${name} exists; choose another name`);
    process.exitCode = 1;
  } else {
    const key = await createApiKey(sql, { name, role, createdBy: 'api-key-cli' });
    console.log(`${role} key ${name} (id ${key.id}); it is shown this once:\n${key.key}`);
  }
} finally {
  await sql.end({ timeout: 5 });
}
