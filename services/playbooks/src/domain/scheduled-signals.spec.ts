import { onboardingStall, overdueTask } from './scheduled-signals';

const DAY = 86_400_000;
const first = new Date('2025-03-01T09:00:00Z');
const at = (days: number) => new Date(first.getTime() + days * DAY);

describe('onboarding stall', () => {
  const facts = { firstActivityAt: first, firstValueAt: null, lastActivityAt: at(3), workspaceTracksValue: true };

  it('stays quiet while the onboarding window is open', () => {
    expect(onboardingStall(facts, at(13.9), 14)).toBeUndefined();
  });

  it('signals an account with no value event once the window has closed, dated when it closed', () => {
    const stall = onboardingStall(facts, at(16), 14);
    expect(stall).toEqual({
      time: '2025-03-15T09:00:00.000Z',
      data: {
        firstActivityAt: '2025-03-01T09:00:00.000Z', stallDays: 14, daysSinceFirstActivity: 16,
        lastActivityAt: '2025-03-04T09:00:00.000Z', daysSinceLastActivity: 13,
        reason: 'No value event in the 14 days since the account\'s first activity on 2025-03-01 (16 days ago; last active 2025-03-04)',
      },
    });
  });

  it('never signals an account that reached a value event, even after the window', () => {
    expect(onboardingStall({ ...facts, firstValueAt: at(20), lastActivityAt: at(20) }, at(30), 14)).toBeUndefined();
  });

  it('says nothing in a workspace where no account ever reached a value event (none may be configured)', () => {
    expect(onboardingStall({ ...facts, workspaceTracksValue: false }, at(30), 14)).toBeUndefined();
  });
});

describe('overdue task', () => {
  const task = { title: 'Call Acme', accountId: 'acme', assignee: 'dana@vendor.example', status: 'open', dueAt: at(3) };

  it('is not overdue before its due date', () => {
    expect(overdueTask(task, at(2.9))).toBeUndefined();
  });

  it('counts whole days past due and says which task', () => {
    expect(overdueTask(task, at(5.5))).toEqual({
      daysOverdue: 2,
      reason: 'Task "Call Acme" for acme (assigned to dana@vendor.example, open) was due 2025-03-04, 2 days ago',
    });
    expect(overdueTask({ ...task, status: 'in_progress', assignee: null }, at(3.1))?.reason).toBe(
      'Task "Call Acme" for acme (unassigned, in progress) was due 2025-03-04, today');
  });

  it('ignores finished tasks', () => {
    expect(overdueTask({ ...task, status: 'done' }, at(10))).toBeUndefined();
    expect(overdueTask({ ...task, status: 'dismissed' }, at(10))).toBeUndefined();
  });
});
