/** Hostile values for every route an OpenAPI document lists, and cross-workspace tries. */
export interface Route { method: string; path: string; params: { name: string; in: string; schema?: any }[]; body?: any }

export function routesOf(doc: any): Route[] {
  const out: Route[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      let body = op.requestBody?.content?.['application/json']?.schema;
      if (body?.$ref) body = resolve(doc, body.$ref);
      out.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], body });
    }
  }
  return out;
}

function resolve(doc: any, ref: string): any {
  return ref.replace(/^#\//, '').split('/').reduce((o, k) => o?.[k], doc);
}

/** A plausible body from the schema (example or a value of the type), so each mutation touches one field. */
export function sample(doc: any, schema: any, depth = 0): any {
  if (!schema || depth > 4) return {};
  if (schema.$ref) return sample(doc, resolve(doc, schema.$ref), depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object': return Object.fromEntries(Object.entries<any>(schema.properties ?? {}).map(([k, v]) => [k, sample(doc, v, depth + 1)]));
    case 'array': return [sample(doc, schema.items, depth + 1)];
    case 'integer': case 'number': return 1;
    case 'boolean': return true;
    default: return schema.properties ? sample(doc, { ...schema, type: 'object' }, depth) : 'x';
  }
}

export const HOSTILE_SCALARS: Array<[string, unknown]> = [
  ['null', null], ['NUL', 'a\u0000b'], ['huge number', 99999999999999999999999], ['negative', -1e308],
  ['long string', 'x'.repeat(20_000)], ['wrong type: object', { $gt: '' }], ['wrong type: array', [1, 2]],
  ['wrong type: bool', true], ['wrong type: string', 'not-a-number'], ['unicode', '\uD800\uDFFF\u202E'],
];
export const HOSTILE_PATH = ['%00', 'a%00b', '99999999999999999999999', 'x'.repeat(3000), '..%2F..%2Fetc%2Fpasswd', "'%20OR%201=1--", '%F0%9F%92%A9', '-1'];
export const HOSTILE_QUERY = ['%00', '99999999999999999999999', '-1', 'x'.repeat(5000), 'null', '[]', 'a%00b', 'NaN'];

export function deepJson(levels = 10_000): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

export function fillPath(path: string, value: (name: string) => string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name) => value(name));
}
