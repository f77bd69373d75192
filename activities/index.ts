// The record workflow's side effects, built from their dependencies so that tests can swap
// the database or the dialler. Workflows import the type only.
import { heartbeat } from '@temporalio/activity';
import type { CallbackRecord, DialOutcome, HistoryEvent } from '../domain/record.js';
import type { Sql } from '../db/connect.js';
import { saveRecord } from '../db/records.js';
import type { Dialer, DialRequest } from './dialer.js';

export interface ActivityDeps {
  sql: Sql;
  dialer: Dialer;
}

export function createActivities({ sql, dialer }: ActivityDeps) {
  return {
    async saveRecord(input: { record: CallbackRecord; events: HistoryEvent[] }): Promise<void> {
      await saveRecord(sql, input.record, input.events);
    },

    async dial(request: DialRequest): Promise<DialOutcome> {
      return dialer.dial(request, () => heartbeat());
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
