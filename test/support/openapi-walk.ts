// Walks an OpenAPI document for fields that say nothing of themselves.
type Json = Record<string, any>;

/** `METHOD path where.field` of each parameter, body or response property without a description. */
export function undescribedFields(doc: Json): string[] {
  const missing: string[] = [];
  const walk = (schema: Json | undefined, at: string) => {
    if (!schema || typeof schema !== 'object') return;
    for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
      if (!property.description && !property.$ref) missing.push(`${at}.${name}`);
      walk(property, `${at}.${name}`);
    }
    for (const key of ['items', 'additionalProperties'] as const) if (typeof schema[key] === 'object') walk(schema[key], `${at}[]`);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const [i, s] of (schema[key] ?? []).entries()) walk(s, `${at}|${i}`);
  };
  for (const [path, ops] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(ops)) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const p of op.parameters ?? []) if (!p.description) missing.push(`${where} ${p.in}.${p.name}`);
      walk(op.requestBody?.content?.['application/json']?.schema, `${where} body`);
      for (const [status, r] of Object.entries<Json>(op.responses)) walk(r.content?.['application/json']?.schema, `${where} ${status}`);
    }
  }
  return missing;
}
