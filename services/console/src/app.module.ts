import { PlatformModule } from '@cairn/runtime';
import { Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { GatewayModule } from './gateway/gateway.module';
import { IdentityModule } from './identity/identity.module';
import { LiveModule } from './live/live.module';
import { Init1733000000000 } from './migrations/1733000000000-init';
import { PortfolioModule } from './portfolio/portfolio.module';

@Module({
  imports: [
    PlatformModule.forService({ entities: [], migrations: [Init1733000000000] }),
    IdentityModule,
    AuditModule,
    GatewayModule,
    PortfolioModule,
    LiveModule,
  ],
})
export class AppModule {}
