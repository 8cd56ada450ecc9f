import { Module } from '@nestjs/common';
import { GatewayModule } from '../gateway/gateway.module';
import { PortfolioConsumer } from './portfolio.consumer';
import { PortfolioController } from './portfolio.controller';
import { PortfolioProjection } from './portfolio.projection';
import { PortfolioService } from './portfolio.service';

@Module({ imports: [GatewayModule], controllers: [PortfolioConsumer, PortfolioController], providers: [PortfolioProjection, PortfolioService] })
export class PortfolioModule {}
