/**
 * The console's consumers announce read-model changes on this PostgreSQL channel inside their
 * transaction: NOTIFY is delivered at commit, to every console instance (each one's browsers),
 * whichever instance consumed the event.
 */
export const LIVE_CHANNEL = 'cairn_console_live';

export interface LiveChange {
  workspaceId: string;
  /** What moved: alert, task, health, account, contract, survey. */
  kind: string;
  accountId?: string;
  /** Event type that caused it. */
  type: string;
  id?: string;
  summary?: string;
}
