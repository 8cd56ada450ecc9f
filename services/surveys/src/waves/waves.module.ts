import { Module } from '@nestjs/common';
import { SurveysModule } from '../surveys/surveys.module';
import { InvitationMailer } from './invitation-mailer';
import { WaveStore } from './wave.store';
import { PublicRateLimitGuard } from './public-rate-limit.guard';
import { PublicRateLimitStore } from './public-rate-limit.store';
import { SurveyLinks } from './survey-links';
import { InAppController, PublicSurveyController, WavesController } from './waves.controller';
import { WavesService } from './waves.service';

@Module({
  imports: [SurveysModule],
  controllers: [WavesController, InAppController, PublicSurveyController],
  providers: [WavesService, SurveyLinks, InvitationMailer, WaveStore, PublicRateLimitGuard, PublicRateLimitStore],
})
export class WavesModule {}
