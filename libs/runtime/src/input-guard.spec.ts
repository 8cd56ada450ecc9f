import { inputProblem, MAX_INPUT_DEPTH } from './input-guard';

describe('input guard', () => {
  it('names the path of a NUL character in a nested string or key', () => {
    expect(inputProblem({ steps: [{ name: 'a' }, { name: 'b\u0000' }] }, 'body')).toBe('body.steps[1].name contains a NUL character (\\u0000), which is not allowed');
    expect(inputProblem({ ['k\u0000']: 1 }, 'body')).toMatch(/^body has a key containing a NUL/);
    expect(inputProblem({ s: 'b\u0000' }, 'body', { nul: false })).toBeUndefined();
  });

  it('refuses nesting past the limit without recursing, and accepts it up to the limit', () => {
    const nest = (n: number) => { let v: unknown = 1; for (let i = 0; i < n; i++) v = [v]; return v; };
    expect(inputProblem(nest(MAX_INPUT_DEPTH), 'body')).toBeUndefined();
    expect(inputProblem(nest(MAX_INPUT_DEPTH + 1), 'body')).toMatch(/nests deeper than 64 levels$/);
    expect(inputProblem(nest(100_000), 'body')).toMatch(/nests deeper than 64 levels$/);
  });

  it('passes ordinary input', () => {
    expect(inputProblem({ a: [1, 'x', null, { b: true }] }, 'body')).toBeUndefined();
    expect(inputProblem(undefined, 'body')).toBeUndefined();
  });
});
