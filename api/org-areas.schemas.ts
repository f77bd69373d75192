// What /v1/org-areas answers.
import { z } from 'zod';
import { orgAreaSchema } from '../db/configuration.js';

export const orgArea = orgAreaSchema;

export const orgAreaList = z
  .strictObject({ items: z.array(orgArea).describe('Every organisation area, by id.') })
  .describe('The organisation areas.');
