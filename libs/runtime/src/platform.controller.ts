import { Public } from '@cairn/auth';
import { metricsRegistry, ReadinessCheck, READINESS_CHECKS, runChecks } from '@cairn/observability';
import { Controller, Get, Header, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SERVICE_NAME } from './tokens';

/** /health (liveness + readiness of database and Kafka) and /metrics (Prometheus). */
@ApiExcludeController()
@Public()
@Controller()
export class PlatformController {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  @Get('health')
  async health(@Res() reply: FastifyReply) {
    const { ok, checks } = await runChecks(this.checks);
    reply.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send({
      status: ok ? 'ok' : 'unavailable',
      service: this.service,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      checks,
    });
  }

  @Get('health/live')
  live() {
    return { status: 'ok', service: this.service };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
