import { Public } from '@cairn/auth';
import { Clock } from '@cairn/runtime';
import { createLogger } from '@cairn/observability';
import { BadRequestException, Controller, Headers, HttpCode, NotFoundException, Param, Post, Req, UnauthorizedException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RelationshipsConfig } from '../config';
import { IntercomPayloadError, notificationTime, parseIntercomNotification } from '../domain/intercom';
import { SignatureVerdict, verifyIntercomSignature, verifyZendeskSignature, withinWindow } from '../domain/webhook-signature';
import { parseZendeskEvent, ZendeskPayloadError } from '../domain/zendesk';
import { TicketsService } from '../tickets/tickets.service';
import { SourcesService } from './sources.service';
import { TicketSourceRow } from './source.store';

/**
 * Help-desk webhooks. Vendors cannot send Cairn's API tokens, so these routes are public and each
 * delivery is authenticated by the vendor's own signature over the raw body, with the source's
 * signing secret; the workspace and source are in the path. Nothing is stored before the
 * signature and the replay window are checked.
 */
@ApiTags('webhooks')
@Public()
@Controller('webhooks')
export class WebhooksController {
  private readonly log = createLogger('webhooks');

  constructor(
    private readonly sources: SourcesService,
    private readonly tickets: TicketsService,
    private readonly config: RelationshipsConfig,
    private readonly clock: Clock,
  ) {}

  private async source(workspaceId: string, sourceId: string, kind: TicketSourceRow['kind']): Promise<{ source: TicketSourceRow; secret: string }> {
    const source = await this.sources.get(workspaceId, sourceId).catch(() => undefined);
    const secret = source?.kind === kind ? this.sources.openSecret(source) : undefined;
    if (!source || !secret) throw new NotFoundException(`no ${kind} source ${sourceId} with a signing secret in this workspace`);
    return { source, secret };
  }

  private refuse(verdict: SignatureVerdict, source: TicketSourceRow): void {
    if (verdict.ok) return;
    this.log.warn({ workspaceId: source.workspaceId, sourceId: source.id, problem: verdict.problem }, 'webhook refused');
    throw new UnauthorizedException(verdict.problem);
  }

  @Post('zendesk/:workspaceId/:sourceId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Zendesk ticket event webhook (X-Zendesk-Webhook-Signature)' })
  async zendesk(@Param('workspaceId') ws: string, @Param('sourceId') sourceId: string, @Req() req: FastifyRequest,
    @Headers('x-zendesk-webhook-signature') signature?: string, @Headers('x-zendesk-webhook-signature-timestamp') timestamp?: string) {
    const { source, secret } = await this.source(ws, sourceId, 'zendesk');
    this.refuse(verifyZendeskSignature({
      secret, rawBody: req.rawBody ?? Buffer.alloc(0), signature, timestamp, now: this.clock.now(),
      toleranceSeconds: this.config.SUPPORT_WEBHOOK_TOLERANCE_SECONDS,
    }), source);
    let observation;
    try {
      observation = parseZendeskEvent(req.body);
    } catch (e) {
      if (e instanceof ZendeskPayloadError) throw new BadRequestException(e.message);
      throw e;
    }
    if (!observation) return { stored: false, ignored: `event type ${(req.body as { type: string }).type} is not a ticket event` };
    return this.tickets.ingest(source, observation);
  }

  @Post('intercom/:workspaceId/:sourceId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Intercom webhook notification (X-Hub-Signature)' })
  async intercom(@Param('workspaceId') ws: string, @Param('sourceId') sourceId: string, @Req() req: FastifyRequest,
    @Headers('x-hub-signature') signature?: string) {
    const { source, secret } = await this.source(ws, sourceId, 'intercom');
    this.refuse(verifyIntercomSignature({ secret, rawBody: req.rawBody ?? Buffer.alloc(0), signature }), source);
    const sentAt = notificationTime(req.body);
    const tolerance = this.config.SUPPORT_WEBHOOK_TOLERANCE_SECONDS;
    if (!sentAt) throw new BadRequestException('body.created_at must be the notification\'s Unix time');
    this.refuse(withinWindow(sentAt, this.clock.now(), tolerance) ? { ok: true }
      : { ok: false, problem: `notification created_at is outside the ${tolerance}s replay window` }, source);
    let observation;
    try {
      observation = parseIntercomNotification(req.body);
    } catch (e) {
      if (e instanceof IntercomPayloadError) throw new BadRequestException(e.message);
      throw e;
    }
    if (!observation) return { stored: false, ignored: `topic ${(req.body as { topic: string }).topic} is not a conversation topic` };
    return this.tickets.ingest(source, observation);
  }
}
