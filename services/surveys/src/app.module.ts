import { PlatformModule } from '@cairn/runtime';
import { Module } from '@nestjs/common';
import { AccountEntity, ContactEntity } from './directory/directory.entities';
import { DirectoryModule } from './directory/directory.module';
import { Init1732310000000 } from './migrations/1732310000000-init';
import { PublicRateLimit1733100000000 } from './migrations/1733100000000-public-rate-limit';
import { SurveyEntity, SurveyResponseEntity, SurveyResponseHistoryEntity } from './surveys/survey.entities';
import { SurveysModule } from './surveys/surveys.module';
import { SurveyInvitationEntity, SurveyWaveEntity } from './waves/wave.entities';
import { WavesModule } from './waves/waves.module';

@Module({
  imports: [
    PlatformModule.forService({
      entities: [AccountEntity, ContactEntity, SurveyEntity, SurveyResponseEntity, SurveyResponseHistoryEntity, SurveyWaveEntity, SurveyInvitationEntity],
      migrations: [Init1732310000000, PublicRateLimit1733100000000],
    }),
    DirectoryModule,
    SurveysModule,
    WavesModule,
  ],
})
export class AppModule {}
