// What /v1/org-areas answers.
import { z } from 'zod';
import { DUPLICATE_POLICIES } from '../domain/parameters.js';
import { count } from './schemas.js';
import type { OrgArea } from '../db/configuration.js';

export const orgArea = z
  .strictObject({
    id: z.string().describe("The area's id, as queues and records name it."),
    name: z.string().describe("The area's display name."),
    maxActiveRecords: count()
      .nullable()
      .describe(
        'The most active records (Open, Paused, Active or Closing, whatever their calling time; records being moved there included) the area takes; null: no limit.',
      ),
    duplicatePolicy: z
      .enum(DUPLICATE_POLICIES)
      .describe(
        '`allow` duplicates; `avoid` (one active record per phone number in the area); `avoid-same-task-type` (one per number and task type).',
      ),
  })
  .describe('An organisation area.');

export const orgAreaList = z
  .strictObject({ items: z.array(orgArea).describe('Every organisation area, by id.') })
  .describe('The organisation areas.');

// The type db/ reads areas as and this schema are one: a change to either fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _orgArea: Same<z.infer<typeof orgArea>, OrgArea> = true;
void _orgArea;
