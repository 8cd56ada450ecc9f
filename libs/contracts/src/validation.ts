import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { ValidateFunction } from 'ajv';
import { classSchema, compileSchema } from './compiled-schema';
import { EnvelopeShape, EventEnvelope } from './envelope';
import { TopicDefinition } from './topics';

/** Flattens class-validator errors into "path: constraint" sentences. */
export function describeValidationErrors(errors: ValidationError[], prefix = ''): string[] {
  const out: string[] = [];
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push(`${path}: ${message}`);
    if (e.children?.length) out.push(...describeValidationErrors(e.children, path));
  }
  return out;
}

export class EventValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'EventValidationError';
  }
}

const compiled = new Map<TopicDefinition<unknown>, ValidateFunction>();

/** The topic's whole event (envelope, its type, payload) as one compiled check, built on first use. */
export function compiledEnvelopeCheck(definition: TopicDefinition<unknown>): ValidateFunction {
  let check = compiled.get(definition);
  if (!check) {
    const envelope = classSchema(EnvelopeShape);
    const properties = envelope.properties as Record<string, unknown>;
    check = compileSchema({
      ...envelope,
      properties: {
        ...properties,
        type: { allOf: [properties.type, { const: definition.type }] },
        version: { allOf: [properties.version, { const: definition.version }] },
        ...(definition.payload ? { data: classSchema(definition.payload as never) } : {}),
      },
    });
    compiled.set(definition, check);
  }
  return check;
}

/**
 * Validates a decoded envelope and its payload against the topic's class. Throws
 * EventValidationError. A valid event passes the compiled schema and is returned as it is (no
 * copy); anything else is judged, and its problems worded, by class-validator (see compiled-schema.ts).
 */
export function validateEnvelope<T>(definition: TopicDefinition<T>, value: unknown): EventEnvelope<T> {
  if (compiledEnvelopeCheck(definition as TopicDefinition<unknown>)(value)) return value as EventEnvelope<T>;
  return validateWithDecorators(definition, value);
}

/** class-validator's verdict: the reference the compiled schema is tested against. */
export function validateWithDecorators<T>(definition: TopicDefinition<T>, value: unknown): EventEnvelope<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventValidationError(['message: must be a JSON object']);
  }
  // The envelope's own fields are checked without copying `data` (the payload is copied once,
  // below): on the usage hot path the copy was most of the cost.
  const envelope = value as EventEnvelope<T>;
  const data0 = envelope.data;
  const dataIsObject = typeof data0 === 'object' && data0 !== null && !Array.isArray(data0);
  const problems = describeValidationErrors(
    validateSync(plainToInstance(EnvelopeShape, { ...envelope, data: dataIsObject ? {} : data0 }), { forbidUnknownValues: false }),
  );
  if (problems.length === 0 && envelope.type !== definition.type) {
    problems.push(`type: expected '${definition.type}' on ${definition.name}, got '${envelope.type}'`);
  }
  // A topic carries one envelope version (its name ends in it). Additive changes (new optional
  // fields) keep the version, and consumers ignore fields they do not know; anything else is a
  // new version on a new topic, so an envelope of another version here is dead-lettered, not
  // read as if it were this one.
  if (problems.length === 0 && envelope.version !== definition.version) {
    problems.push(`version: ${definition.name} carries version ${definition.version} envelopes, got ${JSON.stringify(envelope.version)}`);
  }
  let data = envelope.data;
  if (problems.length === 0 && definition.payload) {
    const instance = plainToInstance(definition.payload, envelope.data) as T;
    problems.push(...describeValidationErrors(validateSync(instance as object, { forbidUnknownValues: false }), 'data'));
    data = instance;
  }
  if (problems.length) throw new EventValidationError(problems);
  return { ...envelope, data };
}
