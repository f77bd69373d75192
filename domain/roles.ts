// Who calls the API, by the job their key was made for: each key has one role, and each route
// names the roles that may call it.
import { z } from 'zod';
export const ROLES = [
  /** The IVR: creates callbacks, reads queue status and free appointment times, books them. */
  'ivr',
  /** The public web page: creates a callback, reads availability and queue status, and
   *  cancels or moves its own callback with the token it was given. Nothing else. */
  'web',
  /** The agent desktop: takes, refuses and reports on records, lists its queues' records. */
  'agent',
  /** Administrators: everything, configuration and keys included. */
  'admin',
  /** Supervisors: watch their queues and agents live, read records, configuration and statistics; change nothing. */
  'supervisor',
  /** Other systems (a CRM, a workforce tool): records in and out, no configuration. */
  'integration',
] as const;
export type Role = (typeof ROLES)[number];

/** A key's name, the actor the audit log names: the API and `npm run api-key` take the same. */
export const keyName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits and . _ - only');
/** The roles a person's account may have: a person signs in to work as an agent, to supervise or to administer. */
export const PERSON_ROLES = ['agent', 'supervisor', 'admin'] as const satisfies readonly Role[];
export type PersonRole = (typeof PERSON_ROLES)[number];
