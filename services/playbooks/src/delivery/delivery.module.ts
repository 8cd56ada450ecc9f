import { PlaybooksConfig } from '../config';
import { Module } from '@nestjs/common';
import { SecretBox } from '@cairn/auth';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { ChannelRegistry } from './channels/channel.registry';
import { DeliveriesService } from './deliveries.service';
import { DeliveryWorker } from './delivery.worker';

@Module({
  controllers: [ChannelsController],
  providers: [
    { provide: SecretBox, useFactory: (c: PlaybooksConfig) => new SecretBox(c.CAIRN_AUTH_SECRET), inject: [PlaybooksConfig] },
    ChannelRegistry,
    ChannelsService,
    DeliveriesService,
    DeliveryWorker,
  ],
  exports: [DeliveriesService],
})
export class DeliveryModule {}
