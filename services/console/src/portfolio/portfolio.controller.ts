import { BadRequestException, Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { parsePortfolioQuery, portfolioCsv, PortfolioQueryError } from '../domain/portfolio-query';
import { GatewayService } from '../gateway/gateway.service';
import { CurrentUser, SignedIn } from '../identity/session.guard';
import { SignedInUser } from '../identity/sessions.service';
import { PortfolioService } from './portfolio.service';

const ACCOUNT_ID = /^[^\s/?#]{1,256}$/;

@ApiTags('portfolio')
@Controller('api')
@SignedIn()
export class PortfolioController {
  constructor(private readonly portfolio: PortfolioService, private readonly gateway: GatewayService) {}

  @Get('portfolio')
  @ApiOperation({ summary: 'Accounts of the workspace: one page, sorted and filtered (band, score, ARR, renewal date, owner, plan, open tasks/alerts); format=csv exports all' })
  async list(@CurrentUser() user: SignedInUser, @Query() params: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    let q;
    try {
      q = parsePortfolioQuery(params, user.email);
    } catch (e) {
      if (e instanceof PortfolioQueryError) throw new BadRequestException(e.problems);
      throw e;
    }
    const t0 = process.hrtime.bigint();
    if (params.format === 'csv') {
      const rows = await this.portfolio.all(user.workspaceId, q);
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="portfolio-${user.workspaceId}.csv"`);
      return portfolioCsv(rows);
    }
    const page = await this.portfolio.page(user.workspaceId, q);
    reply.header('server-timing', `db;dur=${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1)}`);
    return page;
  }

  @Get('portfolio/facets')
  @ApiOperation({ summary: 'Owners, plans and band counts, for the portfolio filters' })
  facets(@CurrentUser() user: SignedInUser) {
    return this.portfolio.facets(user.workspaceId);
  }

  /**
   * Account 360: the read model's row and timeline, plus each owning service's view, fetched
   * in parallel with the user's own minted token. A part that fails is reported, not fatal.
   */
  @Get('accounts/:id/overview')
  @ApiOperation({ summary: 'Account 360: score, explanation, history, usage, account with contacts, tasks, alerts, contracts, timeline (with survey answers)' })
  async overview(@CurrentUser() user: SignedInUser, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!ACCOUNT_ID.test(id)) throw new BadRequestException(['id: not an account id']);
    const t0 = process.hrtime.bigint();
    const a = encodeURIComponent(id);
    const since = new Date(Date.now() - 90 * 86400_000).toISOString().slice(0, 10);
    const parts = {
      account: this.gateway.getJson(user, 'ingestion', `/accounts/${a}`),
      health: this.gateway.getJson(user, 'health', `/accounts/${a}/health`),
      history: this.gateway.getJson(user, 'health', `/accounts/${a}/health/history?limit=200`),
      usage: this.gateway.getJson(user, 'ingestion', `/accounts/${a}/usage?from=${since}`),
      tasks: this.gateway.getJson(user, 'playbooks', `/tasks?accountId=${a}&limit=200`),
      alerts: this.gateway.getJson(user, 'playbooks', `/alerts?accountId=${a}&limit=200`),
      contracts: this.gateway.getJson(user, 'renewals', `/contracts?accountId=${a}`),
    };
    const [summary, timeline, ...answers] = await Promise.all([
      this.portfolio.one(user.workspaceId, id), this.portfolio.timeline(user.workspaceId, id), ...Object.values(parts),
    ]);
    const keys = Object.keys(parts);
    const got = Object.fromEntries(keys.map((k, i) => [k, answers[i]])) as Record<string, { status: number; json?: unknown }>;
    if (!summary && got.account.status === 404) throw new NotFoundException(`account '${id}' not found`);
    const data: Record<string, unknown> = {};
    const errors: Record<string, string> = {};
    for (const k of keys) {
      const r = got[k];
      if (r.status === 200) data[k] = r.json;
      else if (r.status === 404) data[k] = null;
      else errors[k] = `${k} could not be loaded (${r.status})`;
    }
    reply.header('server-timing', `total;dur=${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1)}`);
    return { accountId: id, summary: summary ?? null, timeline, ...data, errors };
  }
}
