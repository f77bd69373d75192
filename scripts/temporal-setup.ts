// `npm run temporal:setup`: registers the search attributes on the cluster TEMPORAL_ADDRESS
// names, once per namespace before the first worker starts. (The embedded dev server gets them at start.)
import { Connection } from '@temporalio/client';
import { loadConfigOrExit, temporalConnectionOptions } from '../config/index.js';
import { registerSearchAttributes } from '../worker/search-attributes.js';

const config = loadConfigOrExit(['TEMPORAL_ADDRESS']);
const connection = await Connection.connect(temporalConnectionOptions(config));
const added = await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
console.log(added.length ? `registered ${added.join(', ')}` : 'search attributes already registered');
await connection.close();
