// What the worker counts when a record's save adds events to its history: closes by reason, dial
// outcomes, and how long a due record waited for its offer. Counted from the events a save
// inserted, so that a retried save (which inserts none) counts nothing twice.
import type { CallbackRecord, HistoryEvent } from '../domain/record.js';
import type { WorkerMetrics } from '../telemetry/metrics.js';

export function countSavedEvents(
  metrics: Pick<WorkerMetrics, 'closed' | 'dialOutcomes' | 'dueToOffered'>,
  record: CallbackRecord,
  added: HistoryEvent[],
): void {
  for (const event of added) {
    const detail = (event.detail ?? {}) as Record<string, unknown>;
    if (event.type === 'closed') metrics.closed.inc({ reason: String(detail.reason ?? record.closeReason ?? 'unknown') });
    else if (event.type === 'dialled') metrics.dialOutcomes.inc({ outcome: String(detail.outcome ?? 'unknown') });
    else if (event.type === 'offered') {
      const lagMs = Date.parse(event.at) - Date.parse(record.dueAt);
      if (Number.isFinite(lagMs)) metrics.dueToOffered.observe({ queue: String(detail.queue ?? record.queue) }, Math.max(0, lagMs) / 1000);
    }
  }
}
