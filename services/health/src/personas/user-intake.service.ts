import { ContactDepartedV1, ContactUpsertedV1, EventEnvelope, SurveyResponseRecordedV1, UsageEventV1 } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PersonaMembership } from './persona-membership.service';
import { UserActivity, UserProfileStore } from './user-profile.store';

/** Calls that are a person using the product (identify, group and alias only describe them). */
const ACTIVITY_CALLS = new Set(['track', 'page', 'screen']);

/**
 * Turns events about people into the user-level read model and re-evaluates their personas, in
 * the consumer's transaction. Usage events come a chunk at a time: they are folded per user in
 * memory, written with one statement per table, and each user is evaluated once per chunk.
 */
@Injectable()
export class UserIntake {
  constructor(private readonly profiles: UserProfileStore, private readonly membership: PersonaMembership) {}

  async usageEvents(m: EntityManager, events: EventEnvelope<UsageEventV1>[]): Promise<void> {
    const users = new Map<string, UserActivity & { accountAt: string }>();
    for (const e of events) {
      const d = e.data;
      if (!d.userId || !ACTIVITY_CALLS.has(d.callType)) continue;
      const at = new Date(d.timestamp).toISOString();
      const key = `${e.workspaceId}\u0000${d.userId}`;
      let u = users.get(key);
      if (!u) {
        u = { workspaceId: e.workspaceId, userId: d.userId, accountId: null, accountAt: '', firstAt: at, lastAt: at, days: new Map(), features: new Map() };
        users.set(key, u);
      }
      if (at < u.firstAt) u.firstAt = at;
      if (at > u.lastAt) u.lastAt = at;
      const account = d.groupId ?? e.accountId;
      if (account && at >= u.accountAt) {
        u.accountId = account;
        u.accountAt = at;
      }
      const day = at.slice(0, 10);
      u.days.set(day, (u.days.get(day) ?? 0) + 1);
      if (d.callType === 'track' && d.event) {
        const f = u.features.get(d.event);
        if (!f) u.features.set(d.event, { firstAt: at, lastAt: at, events: 1 });
        else {
          if (at < f.firstAt) f.firstAt = at;
          if (at > f.lastAt) f.lastAt = at;
          f.events += 1;
        }
      }
    }
    if (users.size === 0) return;
    const all = [...users.values()];
    const workspaces = [...new Set(all.map((u) => u.workspaceId))].sort();
    await this.profiles.lockPersonas(m, workspaces, 'shared');
    await this.profiles.recordActivity(m, all);
    for (const ws of workspaces) {
      await this.membership.evaluateUsers(m, ws, all.filter((u) => u.workspaceId === ws).map((u) => ({ userId: u.userId, asOf: new Date(u.lastAt) })));
    }
  }

  async contactUpserted(m: EntityManager, e: EventEnvelope<ContactUpsertedV1>): Promise<void> {
    const d = e.data;
    const at = new Date(e.time);
    const accountIds = d.accountIds.length ? d.accountIds : e.accountId ? [e.accountId] : [];
    await this.profiles.lockPersonas(m, [e.workspaceId], 'shared');
    await this.profiles.recordContact(m, e.workspaceId, { ...d, accountIds }, at);
    await this.membership.evaluateUsers(m, e.workspaceId, [{ userId: d.contactId, asOf: at }]);
  }

  async contactDeparted(m: EntityManager, e: EventEnvelope<ContactDepartedV1>): Promise<void> {
    const d = e.data;
    const at = new Date(e.time);
    await this.profiles.lockPersonas(m, [e.workspaceId], 'shared');
    await this.profiles.recordDeparture(m, e.workspaceId, d, e.accountId ?? null, new Date(d.departedAt), at);
    await this.membership.evaluateUsers(m, e.workspaceId, [{ userId: d.contactId, asOf: at }]);
  }

  /** An answer counts for the person who gave it; anonymous answers only move account health. */
  async surveyResponse(m: EntityManager, e: EventEnvelope<SurveyResponseRecordedV1>): Promise<void> {
    const d = e.data;
    if (!d.contactId) return;
    const at = new Date(d.respondedAt);
    await this.profiles.lockPersonas(m, [e.workspaceId], 'shared');
    await this.profiles.recordAnswer(m, e.workspaceId, d.contactId, e.accountId ?? null, d.kind, { score: d.score, category: d.category, at: at.toISOString() });
    await this.membership.evaluateUsers(m, e.workspaceId, [{ userId: d.contactId, asOf: at }]);
  }
}
