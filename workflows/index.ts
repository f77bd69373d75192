// Everything the worker bundles as workflow code.
export { callbackRecord } from './callback.js';
export { queueGate } from './queue-gate.js';
