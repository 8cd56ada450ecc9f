/** Named rows as one array per column, in `keys` order, for `unnest($1::…[], $2::…[], …)`. */
export function columnsOf<R>(rows: readonly R[], keys: readonly (keyof R)[]): unknown[][] {
  return keys.map((k) => rows.map((r) => r[k]));
}
