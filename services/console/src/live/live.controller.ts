import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, SignedIn } from '../identity/session.guard';
import { SignedInUser } from '../identity/sessions.service';
import { LiveService } from './live.service';

@ApiTags('live')
@Controller('api/live')
@SignedIn()
export class LiveController {
  constructor(private readonly live: LiveService) {}

  @Get()
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Server-sent events: alerts, tasks, scores and accounts of the workspace as they change' })
  stream(@CurrentUser() user: SignedInUser, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n: connected\n\n`);
    const unsubscribe = this.live.subscribe(user.workspaceId, (change) => {
      res.write(`event: change\ndata: ${JSON.stringify({ ...change, workspaceId: undefined })}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const close = () => { clearInterval(heartbeat); unsubscribe(); };
    request.raw.on('close', close);
    res.on('close', close);
  }
}
