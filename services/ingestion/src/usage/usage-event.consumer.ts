import { EventEnvelope, Topics, UsageEventV1 } from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DirectoryService } from '../directory/directory.service';
import { ActivityCall, UsageRollupService } from './usage-rollup.service';

/**
 * Every accepted Segment call, once per (workspace, messageId): the envelope id is derived from
 * them (usageEventId), so the transport's inbox drops a client's retry like any redelivery.
 *
 * Consumed a chunk at a time (up to 500 calls of one partition, in order, one transaction):
 * directory calls (group, identify, alias) are applied one by one in order; the activity calls
 * between two of them are rolled up together, so a track call still sees the memberships that
 * the identify and group calls before it created. Calls consumed before the membership that
 * attributes them (another partition) are credited when it arrives (UsageRollupService.creditUnattributed).
 */
@Controller()
export class UsageEventConsumer {
  constructor(private readonly directory: DirectoryService, private readonly usage: UsageRollupService) {}

  @EventPattern(Topics.usageEvent.name, { batch: true })
  async onUsageEvents(@Payload() events: EventEnvelope<UsageEventV1>[], @Ctx() ctx: EventContext): Promise<void> {
    const m = ctx.manager;
    let run: ActivityCall[] = [];
    for (const { workspaceId: ws, data: call } of events) {
      if (call.callType === 'track' || call.callType === 'page' || call.callType === 'screen') {
        run.push({ ws, call });
        continue;
      }
      await this.usage.recordActivities(m, run);
      run = [];
      if (call.callType === 'group') await this.directory.applyGroup(m, ws, call);
      else if (call.callType === 'identify') await this.directory.applyIdentify(m, ws, call);
      else if (call.callType === 'alias') await this.directory.applyAlias(m, ws, call);
      // A call that puts a user into an account credits it with their usage consumed before it
      // (a track keyed by workspace can overtake the group call keyed by account).
      const member = call.callType === 'alias' ? call.userId : call.groupId ? (call.userId ?? call.anonymousId) : undefined;
      if (member) await this.usage.creditUnattributed(m, ws, member);
    }
    await this.usage.recordActivities(m, run);
  }
}
