import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { classSchema, JsonSchema } from './compiled-schema';
import { EnvelopeShape } from './envelope';
import { Topics, TopicDefinition } from './topics';
import { compiledEnvelopeCheck, EventValidationError, validateEnvelope, validateWithDecorators } from './validation';

/** A schema's allOf parts folded into one set of constraints. */
function flatten(schema: JsonSchema): JsonSchema {
  const { allOf, ...own } = schema;
  return Object.assign({}, ...((allOf as JsonSchema[] | undefined) ?? []).map(flatten), own);
}

/** A value the schema accepts, built from the schema itself (first enum value, a valid date, …). */
function sample(schema: JsonSchema): unknown {
  const s = flatten(schema);
  if ('const' in s) return s.const;
  if (s.enum) return (s.enum as unknown[])[0];
  if (s.anyOf) return sample((s.anyOf as JsonSchema[]).find((x) => x.type !== 'null')!);
  if (s.format === 'iso8601') return '2026-11-20T10:00:00.000Z';
  if (s.format === 'uuid') return '3f1c1b0e-8a4b-4d5e-9f00-0123456789ab';
  if (s.pattern) return ({ '^[a-z]+\\.[a-z-]+$': 'usage.event', '^[a-z0-9][a-z0-9_-]{0,62}$': 'ws-1' } as Record<string, string>)[s.pattern as string] ?? 'x';
  switch (s.type) {
    case 'integer': return Math.max(3, (s.minimum as number | undefined) ?? 3);
    case 'number': return Math.max(2.5, (s.minimum as number | undefined) ?? 2.5);
    case 'boolean': return true;
    case 'array': return s.items ? [sample(s.items as JsonSchema)] : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries((s.properties as Record<string, JsonSchema>) ?? {})) out[k] = sample(v);
      return out;
    }
    default: return 'text';
  }
}

const WRONG: unknown[] = [undefined, null, 42, 4.5, -1, '', 'x', 'usage.event', '2026-13-45', '2026-11-20', true, [], ['x'], {}, { a: 1 }];

/** Every value reachable in `value`, with a setter that returns a copy where it is replaced. */
function* paths(value: unknown, replace: (v: unknown) => unknown = (v) => v, at = ''): Generator<[string, (v: unknown) => unknown]> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const set = (v: unknown) => replace(value.map((x, j) => (j === i ? v : x)));
      yield [`${at}[${i}]`, set];
      yield* paths(value[i], set, `${at}[${i}]`);
    }
  } else if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      const set = (v: unknown) => {
        const copy: Record<string, unknown> = { ...(value as Record<string, unknown>), [k]: v };
        if (v === undefined) delete copy[k];
        return replace(copy);
      };
      yield [`${at}.${k}`, set];
      yield* paths((value as Record<string, unknown>)[k], set, `${at}.${k}`);
    }
  }
}

const decoratorsAccept = (t: TopicDefinition<unknown>, v: unknown) => {
  try { validateWithDecorators(t, v); return true; } catch (e) { if (e instanceof EventValidationError) return false; throw e; }
};

describe('compiled event schemas', () => {
  const topics = Object.values(Topics).filter((t) => t.payload) as TopicDefinition<unknown>[];

  it.each(topics.map((t) => [t.name, t]))('%s: accepts a valid event and refuses all that class-validator refuses', (_name, topic) => {
    const check = compiledEnvelopeCheck(topic);
    const valid = { ...(sample(classSchema(EnvelopeShape)) as object),
      type: topic.type, version: topic.version, data: sample(classSchema(topic.payload as never)) };
    expect(decoratorsAccept(topic, valid)).toBe(true);
    expect(check(valid)).toBe(true);
    let refused = 0;
    for (const [path, set] of paths(valid)) {
      for (const wrong of WRONG) {
        const mutated = set(wrong);
        const byDecorators = decoratorsAccept(topic, mutated);
        if (!byDecorators) refused++;
        // Never looser than the decorators: the compiled check accepting means class-validator accepts.
        if (check(mutated) && !byDecorators) throw new Error(`${topic.name}: compiled schema accepts ${path} = ${JSON.stringify(wrong)}, class-validator refuses it`);
      }
    }
    expect(refused).toBeGreaterThan(10);
  });

  it('words problems through class-validator, the same as before', () => {
    const bad = { id: 'nope', type: 'usage.event', version: 1, time: 'soon', workspaceId: 'ws-1', source: 'x', data: {} };
    expect(() => validateEnvelope(Topics.usageEvent, bad)).toThrow(/id: id must be a UUID/);
  });

  it('refuses a decorator it cannot translate instead of letting values through', () => {
    class WithOptions { @IsISO8601({ strict: true }) at: string; }
    class WithFlags { @Matches(/^a/i) name: string; }
    class Fine { @IsOptional() @IsString() note?: string; }
    expect(() => classSchema(WithOptions)).toThrow(/WithOptions\.at: @isIso8601 options are not supported/);
    expect(() => classSchema(WithFlags)).toThrow(/WithFlags\.name: @matches options are not supported/);
    expect(classSchema(Fine)).toEqual({ type: 'object', properties: { note: { anyOf: [{ type: 'null' }, { allOf: [{ type: 'string' }] }] } }, required: [] });
  });
});
