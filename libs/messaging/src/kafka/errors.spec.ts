import { isInfrastructureError } from './errors';

describe('isInfrastructureError', () => {
  it('treats an unreachable database as infrastructure (pause, never dead-letter)', () => {
    expect(isInfrastructureError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isInfrastructureError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isInfrastructureError({ message: 'terminating connection due to administrator command', driverError: { code: '57P01' } })).toBe(true);
    expect(isInfrastructureError({ message: 'too many clients', code: '53300' })).toBe(true);
  });

  it('treats constraint violations and bugs as the message\'s problem', () => {
    expect(isInfrastructureError({ message: 'duplicate key value', code: '23505' })).toBe(false);
    expect(isInfrastructureError(new TypeError('cannot read properties of undefined'))).toBe(false);
  });
});
