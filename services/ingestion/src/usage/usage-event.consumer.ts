import { EventEnvelope, Topics, UsageEventV1 } from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DirectoryService } from '../directory/directory.service';
import { UsageService } from './usage.service';

/**
 * Every accepted Segment call, once per (workspace, messageId) — the envelope inbox alone is not
 * enough, since a client retry sends the same messageId in a new envelope.
 */
@Controller()
export class UsageEventConsumer {
  constructor(private readonly directory: DirectoryService, private readonly usage: UsageService) {}

  @EventPattern(Topics.usageEvent.name)
  async onUsageEvent(@Payload() event: EventEnvelope<UsageEventV1>, @Ctx() ctx: EventContext): Promise<void> {
    const m = ctx.manager;
    const ws = event.workspaceId;
    const call = event.data;
    const fresh = await m.query(
      `INSERT INTO processed_message (workspace_id, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id`,
      [ws, call.messageId]) as unknown[];
    if (fresh.length === 0) return;
    switch (call.callType) {
      case 'group': return this.directory.applyGroup(m, ws, call);
      case 'identify': return this.directory.applyIdentify(m, ws, call);
      case 'alias': return this.directory.applyAlias(m, ws, call);
      case 'track':
      case 'page':
      case 'screen':
        return this.usage.recordActivity(m, ws, call);
    }
  }
}
