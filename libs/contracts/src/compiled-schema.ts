import Ajv, { ValidateFunction } from 'ajv';
import { getMetadataStorage } from 'class-validator';
import isISO8601 from 'validator/lib/isISO8601';
import isUUID from 'validator/lib/isUUID';

/**
 * JSON Schema derived from the class-validator decorators of a contract class, compiled once
 * with ajv: the consumer's hot path checks a decoded event in one generated function instead of
 * copying it into class instances and walking decorator metadata per property (which was most
 * of the usage consumer's CPU; `npm run bench:validate` measures both).
 *
 * The classes stay the one definition of every event. The schema is a fast *accept* path only:
 * whatever it refuses goes through class-validator, which words the errors and has the last say,
 * so a schema that is stricter than the decorators costs time, never correctness. It must never
 * be looser: `compiled-schema.spec.ts` mutates a valid event of every topic, field by field, and
 * checks that the schema refuses everything class-validator refuses. A decorator this converter
 * does not know is an error at compile time (and in that test), not a silently open door.
 */
export type JsonSchema = Record<string, unknown>;

type Ctor = new (...args: never[]) => unknown;

interface ValidationMeta {
  type: string;
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

const storage = getMetadataStorage();
// class-transformer keeps @Type metadata here; its package ships no typings for this path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: { findTypeMetadata(target: Ctor, property: string): { typeFunction?: () => unknown } | undefined };
};

function typeOfNested(cls: Ctor, property: string): Ctor {
  const meta = defaultMetadataStorage.findTypeMetadata(cls, property);
  if (!meta?.typeFunction) throw new Error(`${cls.name}.${property}: @ValidateNested needs @Type(() => Class)`);
  return meta.typeFunction() as Ctor;
}

/** Decorators whose first constraint is their argument (values, bound, pattern) rather than options. */
const DECORATORS_WITH_ARGUMENT = new Set(['isIn', 'min', 'max', 'matches']);
const isSetOption = (x: unknown) => x !== undefined && !(typeof x === 'object' && x !== null && Object.keys(x).length === 0);

/** The schema of one value of a property, from its validators (class-validator semantics). */
function propertySchema(cls: Ctor, property: string, metas: ValidationMeta[]): { schema: JsonSchema; optional: boolean } {
  const all: JsonSchema[] = [];
  const each: JsonSchema[] = [];
  let optional = false;
  for (const m of metas) {
    if (m.type === 'conditionalValidation' && m.name === 'isOptional') { optional = true; continue; }
    if (m.type === 'nestedValidation') {
      (m.each ? each : all).push(classSchema(typeOfNested(cls, property)));
      if (m.each) all.push({ type: 'array' });
      continue;
    }
    if (m.type !== 'customValidation') throw new Error(`${cls.name}.${property}: no schema for validation type '${m.type}'`);
    const c = m.constraints ?? [];
    // Options (e.g. IsISO8601({ strict })) change what a decorator accepts: refuse rather than guess.
    const options = DECORATORS_WITH_ARGUMENT.has(m.name!) ? c.slice(1) : c;
    const regex = m.name === 'matches' ? (c[0] as RegExp) : undefined;
    if (options.some(isSetOption) || regex?.flags) throw new Error(`${cls.name}.${property}: @${m.name} options are not supported`);
    let s: JsonSchema;
    switch (m.name) {
      case 'isString': s = { type: 'string' }; break;
      case 'isNumber': s = { type: 'number' }; break;
      case 'isInt': s = { type: 'integer' }; break;
      case 'isBoolean': s = { type: 'boolean' }; break;
      case 'isArray': s = { type: 'array' }; break;
      case 'isObject': s = { type: 'object' }; break;
      case 'isIn': s = { enum: c[0] as unknown[] }; break;
      case 'min': s = { type: 'number', minimum: c[0] as number }; break;
      case 'max': s = { type: 'number', maximum: c[0] as number }; break;
      case 'matches': s = { type: 'string', pattern: regex!.source }; break;
      case 'isIso8601': s = { type: 'string', format: 'iso8601' }; break;
      case 'isUuid': s = { type: 'string', format: 'uuid' }; break;
      default: throw new Error(`${cls.name}.${property}: no schema for @${m.name}`);
    }
    (m.each ? each : all).push(s);
    if (m.each) all.push({ type: 'array' });
  }
  const parts = [...all, ...(each.length ? [{ items: { allOf: each } }] : [])];
  const schema: JsonSchema = parts.length ? { allOf: parts } : {}; // no validator: anything goes
  // @IsOptional: class-validator skips every check of an absent *or null* value.
  return { schema: optional ? { anyOf: [{ type: 'null' }, schema] } : schema, optional };
}

const classSchemas = new Map<Ctor, JsonSchema>();

/** The JSON Schema of a contract class (nested classes inlined). Extra properties are allowed, as class-validator does. */
export function classSchema(cls: Ctor): JsonSchema {
  const known = classSchemas.get(cls);
  if (known) return known;
  const metas = storage.getTargetValidationMetadatas(cls, '', true, false) as ValidationMeta[];
  const byProperty = new Map<string, ValidationMeta[]>();
  for (const m of metas) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [property, list] of byProperty) {
    const { schema, optional } = propertySchema(cls, property, list);
    properties[property] = schema;
    if (!optional) required.push(property);
  }
  const schema = { type: 'object', properties, required };
  classSchemas.set(cls, schema);
  return schema;
}

const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: true });
ajv.addFormat('iso8601', { type: 'string', validate: (s: string) => isISO8601(s) });
ajv.addFormat('uuid', { type: 'string', validate: (s: string) => isUUID(s) });

/** Compiles a schema (cached by the caller). */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  return ajv.compile(schema);
}
