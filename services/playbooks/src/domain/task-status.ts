/** A CSM task's life: open → in progress → done, or dismissed (with a reason) on the way. */
export const TASK_STATUSES = ['open', 'in_progress', 'done', 'dismissed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_UPDATE_STATUSES = ['in_progress', 'done', 'dismissed'] as const;

const NEXT: Record<TaskStatus, readonly TaskStatus[]> = {
  open: ['in_progress', 'done', 'dismissed'],
  in_progress: ['done', 'dismissed'],
  done: [],
  dismissed: [],
};

export type TransitionCheck = { ok: true; changed: boolean } | { ok: false; problem: string };

export function checkTaskTransition(from: TaskStatus, to: TaskStatus, reason?: string | null): TransitionCheck {
  if (to === 'dismissed' && !reason?.trim()) return { ok: false, problem: 'reason: dismissing a task needs a reason' };
  // Repeating the current status is a no-op, so a retried request does not fail.
  if (from === to) return { ok: true, changed: false };
  if (!NEXT[from].includes(to)) {
    const allowed = NEXT[from].length ? `allowed from ${from}: ${NEXT[from].join(', ')}` : `${from} is final`;
    return { ok: false, problem: `status: invalid transition ${from} → ${to} (${allowed})` };
  }
  return { ok: true, changed: true };
}
