import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { AlertStore } from './alert.store';

@Module({
  controllers: [AlertsController],
  providers: [AlertsService, AlertStore],
  exports: [AlertStore],
})
export class AlertsModule {}
