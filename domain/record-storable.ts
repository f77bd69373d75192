// Makes a record and its history storable when text that PostgreSQL refuses reached the workflow
// anyway (sent past the API, or saved before the API checked): every NUL and every lone half of a
// surrogate pair becomes U+FFFD, the replacement character, so the rest of the text survives.
// Pure and deterministic: the workflow runs it.
import type { CallbackRecord, HistoryEvent } from './record.js';

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const REPLACEMENT_CHARACTER = '\ufffd';

export function storableText(text: string): string {
  return text.replace(UNSTORABLE, REPLACEMENT_CHARACTER);
}

/** The value with every string (and key) storable; a `__proto__` key is dropped, never copied in. */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key !== '__proto__') copy[storableText(key)] = storable(inner);
    }
    return copy as T;
  }
  return value;
}
