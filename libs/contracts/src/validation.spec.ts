import { buildEnvelope, envelopeJson, partitionKey } from './envelope';
import { Topics } from './topics';
import { EventValidationError, validateEnvelope, validateWithDecorators } from './validation';

const departed = {
  contactId: 'u-1', role: 'champion', rule: 'traits', evidence: { trait: 'status', value: 'left' },
  departedAt: '2026-11-20T10:00:00.000Z', reason: 'Dana (champion) left: status=left',
};

describe('event validation', () => {
  it('accepts a well-formed envelope and types its payload', () => {
    const env = buildEnvelope(Topics.contactDeparted, 'ingestion', { workspaceId: 'ws-1', accountId: 'acme', data: departed });
    const valid = validateEnvelope(Topics.contactDeparted, JSON.parse(JSON.stringify(env)));
    expect(valid.data.rule).toBe('traits');
    expect(valid.type).toBe('directory.contact-departed');
  });

  it('names every problem with its path', () => {
    const env = buildEnvelope(Topics.contactDeparted, 'ingestion', {
      workspaceId: 'ws-1', accountId: 'acme', data: { ...departed, role: 'janitor', departedAt: 'yesterday' },
    });
    try {
      validateEnvelope(Topics.contactDeparted, env);
      throw new Error('expected a validation error');
    } catch (e) {
      expect(e).toBeInstanceOf(EventValidationError);
      expect((e as EventValidationError).problems).toEqual(expect.arrayContaining([
        expect.stringMatching(/^data\.role: /), expect.stringMatching(/^data\.departedAt: /),
      ]));
    }
  });

  it('refuses an event of another type on a topic', () => {
    const env = buildEnvelope(Topics.usageRecovered, 'x', { workspaceId: 'ws-1', data: {} as never });
    expect(() => validateEnvelope(Topics.contactDeparted, env)).toThrow(/type: expected 'directory.contact-departed'/);
  });

  it('refuses an envelope of another version on a topic, on the compiled path and the reference path alike', () => {
    const env = { ...buildEnvelope(Topics.contactDeparted, 'ingestion', { workspaceId: 'ws-1', accountId: 'acme', data: departed }), version: 99 };
    expect(() => validateEnvelope(Topics.contactDeparted, JSON.parse(JSON.stringify(env))))
      .toThrow("version: cairn.directory.contact-departed.v1 carries version 1 envelopes, got 99");
    expect(() => validateWithDecorators(Topics.contactDeparted, JSON.parse(JSON.stringify(env)))).toThrow(/^.*version: .* got 99/);
  });

  it('serializes an envelope around an already serialized payload exactly as buildEnvelope does', () => {
    const event = { id: '3f1c1b0e-8a4b-4d5e-9f00-0123456789ab', workspaceId: 'ws-1', accountId: 'acme', time: '2026-11-20T10:00:00.000Z', traceparent: '00-abc-def-01', data: departed };
    const json = envelopeJson(Topics.contactDeparted, 'ingestion', event, JSON.stringify(departed));
    expect(JSON.parse(json)).toEqual(buildEnvelope(Topics.contactDeparted, 'ingestion', event));
    expect(json.endsWith(`"data":${JSON.stringify(departed)}}`)).toBe(true);
  });

  it('keys messages by workspace and account so one account stays in one partition', () => {
    expect(partitionKey({ workspaceId: 'ws', accountId: 'acme' })).toBe('ws:acme');
    expect(partitionKey({ workspaceId: 'ws' })).toBe('ws');
  });

  it('names every topic cairn.<domain>.<event>.v<N>', () => {
    for (const t of Object.values(Topics)) expect(t.name).toMatch(/^cairn\.[a-z]+\.[a-z-]+\.v\d+$/);
  });
});
