/** Where a JSON text first goes wrong, for a 400 that says where. */
export interface JsonErrorLocation {
  position: number;
  line: number;
  column: number;
  message: string;
}

function failure(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** True when the text is valid so far and merely ends too early. */
function onlyIncomplete(text: string, message: string): boolean {
  if (/end of JSON input/i.test(message)) return true;
  const at = /at position (\d+)/.exec(message);
  return at !== null && Number(at[1]) >= text.length;
}

/**
 * Finds the first offending character of invalid JSON. V8 names a position for most errors but
 * not all ("Unexpected token"); the shortest prefix that is wrong (not just unfinished) is.
 * Runs only on the error path: about log2(length) parses.
 */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  const message = failure(text);
  if (message === undefined) return undefined;
  let position: number;
  const named = /at position (\d+)/.exec(message);
  if (named) {
    position = Number(named[1]);
  } else if (/end of JSON input/i.test(message)) {
    position = text.length;
  } else {
    let lo = 1;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = failure(text.slice(0, mid));
      if (m !== undefined && !onlyIncomplete(text.slice(0, mid), m)) hi = mid;
      else lo = mid + 1;
    }
    position = lo - 1;
  }
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  const reason = message.replace(/,? ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
  return { position, line, column, message: reason };
}

export function describeJsonError(text: string): string {
  const at = locateJsonError(text);
  if (!at) return 'invalid JSON';
  return `invalid JSON at line ${at.line}, column ${at.column} (position ${at.position}): ${at.message}`;
}
