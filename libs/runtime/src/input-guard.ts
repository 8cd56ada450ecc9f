/** Deeper JSON than this is refused before any handler or validator walks it. */
export const MAX_INPUT_DEPTH = 64;

/**
 * The first thing wrong with a request's input that no handler should meet — nesting deeper than
 * MAX_INPUT_DEPTH (validators recurse and overflow the stack) or a NUL character (PostgreSQL
 * refuses it in text and jsonb) — named by its path (`body.steps[3].name`), or undefined.
 */
export function inputProblem(value: unknown, path: string, options: { nul?: boolean } = {}): string | undefined {
  const checkNul = options.nul ?? true;
  // Iterative walk: the depth limit is what we check, so the walk itself must not recurse.
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path, depth: 0 }];
  while (stack.length) {
    const { value: v, path: p, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (checkNul && v.includes('\u0000')) return `${p} contains a NUL character (\\u0000), which is not allowed`;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return `${p} nests deeper than ${MAX_INPUT_DEPTH} levels`;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${p}[${i}]`, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(v)) {
      if (checkNul && key.includes('\u0000')) return `${p} has a key containing a NUL character (\\u0000), which is not allowed`;
      stack.push({ value: (v as Record<string, unknown>)[key], path: `${p}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}
