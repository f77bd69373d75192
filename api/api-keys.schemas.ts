// What /v1/api-keys answers.
import { z } from 'zod';
import { apiKeySchema } from '../db/api-keys.js';

export const apiKey = apiKeySchema;

export const apiKeyList = z.strictObject({ items: z.array(apiKey).describe('Every key, oldest first.') }).describe('The API keys.');

export const createdApiKey = apiKey
  .extend({ key: z.string().describe('The key itself, `cbk_<id>_<secret>`: shown this once, only its hash is kept.') })
  .describe('A new API key, with its secret.');
