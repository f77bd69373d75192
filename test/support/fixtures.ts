// A valid callback request for tests that work below the API.
import { randomUUID } from 'node:crypto';
import type { CallbackRequest } from '../../domain/record.js';

export function callbackRequest(overrides: Partial<CallbackRequest> = {}): CallbackRequest {
  return {
    id: randomUUID(),
    phone: '+46701234567',
    queue: 'support',
    orgArea: 'default',
    channel: 'api',
    createdBy: 'crm',
    taskType: null,
    requestedAt: null,
    validUntil: null,
    priority: 5,
    customerId: null,
    ani: null,
    comment: null,
    language: null,
    contactData: {},
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}
