// Text PostgreSQL cannot store: a NUL character, or half of a UTF-16 surrogate pair (which has no
// UTF-8 form). Pure, so that the API's edge and the record's workflow refuse the same things.

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The path (keys joined with '.') of the first string holding unstorable text, or of a `__proto__` key; null if all is storable. */
export function findUnstorableText(value: unknown): string | null {
  return find(value, []);
}

function find(value: unknown, path: string[]): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path.join('.') : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = find(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const at = [...path, key];
      if (key === '__proto__' || UNSTORABLE.test(key)) return at.join('.');
      const found = find(inner, at);
      if (found !== null) return found;
    }
  }
  return null;
}
