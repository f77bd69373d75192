// Text that PostgreSQL can store. A text or jsonb value holds neither NUL (U+0000) nor half of a
// UTF-16 surrogate pair: such a string passes any schema and then fails every save (22021,
// 22P02), or is stored changed (U+FFFD). The API refuses it at the edge; workflows check it too.

// eslint-disable-next-line no-control-regex -- NUL is the character this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const EVERY_UNSTORABLE = new RegExp(UNSTORABLE.source, 'g');

export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);

/** Every NUL and lone half of a surrogate pair becomes U+FFFD, so the rest of the text survives. */
export const storableText = (text: string): string => text.replace(EVERY_UNSTORABLE, '\ufffd');

/**
 * The value with every string and key storable and no `__proto__` key: for text that reached a
 * workflow past the API's checks. Pure and deterministic, so the workflow runs it.
 */
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

interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

const pathOf = (visit: Visit): string => {
  const keys: string[] = [];
  for (let v: Visit | null = visit; v?.key != null; v = v.parent) keys.push(v.key);
  return keys.reverse().join('.');
};

/**
 * The path (`comment`, `filter.queue`, `exceptions.0.note`; '' for the value itself) of the first
 * string or key that cannot be stored, or of a `__proto__` key; null when there is none.
 *
 * `__proto__` is refused because copying it into an object (as zod's records do) replaces the
 * copy's prototype instead of adding a key: `{"openingHours":{"__proto__":{}}}` was stored as `{}`.
 * `constructor` and `prototype` stay plain keys on a copy, harmless, and are left to the schemas.
 */
export function findUnstorableText(value: unknown): string | null {
  // A stack rather than recursion, and paths built only for the culprit: a body nested thousands
  // deep must cost neither the call stack nor quadratic time.
  const stack: Visit[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value: at, key } = visit;
    if (key !== null && !Array.isArray(visit.parent?.value) && (key === '__proto__' || !isStorableText(key))) return pathOf(visit);
    if (typeof at === 'string') {
      if (!isStorableText(at)) return pathOf(visit);
    } else if (Array.isArray(at)) {
      for (let i = at.length - 1; i >= 0; i--) stack.push({ value: at[i], key: String(i), parent: visit });
    } else if (at !== null && typeof at === 'object') {
      const keys = Object.keys(at);
      for (let i = keys.length - 1; i >= 0; i--)
        stack.push({ value: (at as Record<string, unknown>)[keys[i]!], key: keys[i]!, parent: visit });
    }
  }
  return null;
}
