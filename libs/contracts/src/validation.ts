import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
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

/** Validates a decoded envelope and its payload against the topic's class. Throws EventValidationError. */
export function validateEnvelope<T>(definition: TopicDefinition<T>, value: unknown): EventEnvelope<T> {
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
  let data = envelope.data;
  if (problems.length === 0 && definition.payload) {
    const instance = plainToInstance(definition.payload, envelope.data) as T;
    problems.push(...describeValidationErrors(validateSync(instance as object, { forbidUnknownValues: false }), 'data'));
    data = instance;
  }
  if (problems.length) throw new EventValidationError(problems);
  return { ...envelope, data };
}
