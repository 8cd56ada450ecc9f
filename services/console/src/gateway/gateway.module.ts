import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { IdentityModule } from '../identity/identity.module';
import { GatewayController } from './gateway.controller';
import { GatewayService } from './gateway.service';

@Module({ imports: [AuditModule, IdentityModule], controllers: [GatewayController], providers: [GatewayService], exports: [GatewayService, IdentityModule] })
export class GatewayModule {}
