// Who calls the API, by the job their key was made for: each key has one role, and each route
// names the roles that may call it.
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
  /** Other systems (a CRM, a workforce tool): records in and out, no configuration. */
  'integration',
] as const;
export type Role = (typeof ROLES)[number];

/** The roles a person's account may have: a person signs in to work as an agent or to administer. */
export const PERSON_ROLES = ['agent', 'admin'] as const satisfies readonly Role[];
export type PersonRole = (typeof PERSON_ROLES)[number];
