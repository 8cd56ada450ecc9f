import { EventEnvelope, RenewalClosedV1, Topics } from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { historyFacts } from '../domain/history-facts';
import { SignalHistoryStore } from './signal-history.store';

/**
 * Renewal outcomes (renewals' cairn.renewal.closed.v1) as point-in-time facts: what a backtest
 * labels churn with. An outcome is not a signal of the score, so nothing is rescored.
 */
@Controller()
export class OutcomesConsumer {
  constructor(private readonly history: SignalHistoryStore) {}

  @EventPattern(Topics.renewalClosed.name)
  async onRenewalClosed(@Payload() e: EventEnvelope<RenewalClosedV1>, @Ctx() ctx: EventContext) {
    if (!e.accountId) return;
    await this.history.record(ctx.manager, e.workspaceId, e.accountId, historyFacts.renewalClosed(e));
  }
}
