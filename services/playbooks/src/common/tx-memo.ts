import { EntityManager } from 'typeorm';

const memos = new WeakMap<EntityManager, Map<string, unknown>>();

/**
 * A value computed once per transaction (one EntityManager): a consumer chunk of hundreds of
 * events reads the workspace's playbooks and channels once, not once per event. Only for data
 * that the transaction itself does not change.
 */
export function txMemo<T>(m: EntityManager, key: string, compute: () => T): T {
  let memo = memos.get(m);
  if (!memo) memos.set(m, (memo = new Map()));
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as T;
}
