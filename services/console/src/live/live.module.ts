import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { LiveController } from './live.controller';
import { LiveService } from './live.service';

@Module({ imports: [IdentityModule], controllers: [LiveController], providers: [LiveService] })
export class LiveModule {}
