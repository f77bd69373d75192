// Request generation for the fuzz pass: a plausible value for a JSON schema of /openapi.json, the
// leaves of a value, and a seeded random source, so that every run sends the same requests.
type Json = Record<string, any>;

/** mulberry32: small, fast and good enough to pick cases reproducibly. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    /** `n` of the list, in their order. */
    some: <T>(list: readonly T[], n: number): T[] =>
      list
        .map((item) => ({ item, key: next() }))
        .sort((x, y) => x.key - y.key)
        .slice(0, n)
        .map((x) => x.item)
        .sort((x, y) => list.indexOf(x) - list.indexOf(y)),
  };
}

/**
 * A value the schema likely accepts: every property (optional ones too, so that each field can be
 * mutated), the first option of a union, `known` for fields whose rule a schema cannot tell.
 */
export function sampleOf(schema: Json | undefined, known: (name: string) => unknown, name = ''): unknown {
  if (!schema) return 'fuzz';
  const given = known(name);
  if (given !== undefined) return given;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return sampleOf(union.find((s: Json) => s.type !== 'null') ?? union[0], known, name);
  switch (schema.type) {
    case 'object': {
      const out: Json = {};
      for (const [key, property] of Object.entries<Json>(schema.properties ?? {})) out[key] = sampleOf(property, known, key);
      const keys = schema.propertyNames?.enum as string[] | undefined;
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        out[keys?.[0] ?? 'key'] = sampleOf(schema.additionalProperties, known);
      }
      return out;
    }
    case 'array':
      return [sampleOf(schema.items, known, name)];
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 5, 5));
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return schema.format === 'date-time' ? new Date(Date.now() + 7 * 86_400_000).toISOString() : 'fuzz';
  }
}

/** Paths ([key, index ...]) of every leaf of a JSON value, containers with no children included. */
export function leavesOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value) && value.length > 0) return value.flatMap((v, i) => leavesOf(v, [...at, i]));
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => leavesOf(v, [...at, k]));
  }
  return at.length ? [at] : [];
}

/** A copy of `value` with the leaf at `path` replaced. */
export function withLeaf(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[head!] = withLeaf(copy[head!], rest, leaf);
  return copy;
}
