import { BadRequestException } from '@nestjs/common';
import { answerFor } from './http-errors';

const pgError = (code: string, extra: Record<string, string> = {}) => Object.assign(new Error('query failed'), { driverError: { code, message: 'null value in column "window_days" violates not-null constraint', ...extra } });

describe('HTTP answers for errors no handler answered', () => {
  it('is a 503 with Retry-After while the database is unreachable', () => {
    expect(answerFor(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatchObject({ status: 503, retryAfterSeconds: 5 });
    expect(answerFor(new Error('Connection terminated unexpectedly'))).toMatchObject({ status: 503 });
  });

  it('is a 4xx naming the column for input PostgreSQL refused', () => {
    expect(answerFor(pgError('23502', { column: 'window_days' }))).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^window_days: null value/) } });
    expect(answerFor(pgError('23505'))).toMatchObject({ status: 409 });
  });

  it("leaves Nest's own exceptions and real failures to the default handling", () => {
    expect(answerFor(new BadRequestException('x'))).toBeUndefined();
    expect(answerFor(new TypeError('undefined is not a function'))).toBeUndefined();
    expect(answerFor(pgError('42P01'))).toBeUndefined();
  });
});
