import { PlatformModule } from '@cairn/runtime';
import { Global, Module } from '@nestjs/common';
import { AccountEntity, ContactEntity } from './directory/directory.entities';
import { DirectoryModule } from './directory/directory.module';
import { Init1732310000000 } from './migrations/1732310000000-init';
import { SurveyEntity, SurveyResponseEntity, SurveyResponseHistoryEntity } from './surveys/survey.entities';
import { SurveysConfig } from './surveys.config';
import { SurveysModule } from './surveys/surveys.module';
import { SurveyInvitationEntity, SurveyWaveEntity } from './waves/wave.entities';
import { WavesModule } from './waves/waves.module';

/** The service's own settings, validated once at start-up, for every module. */
@Global()
@Module({ providers: [{ provide: SurveysConfig, useFactory: () => SurveysConfig.load() }], exports: [SurveysConfig] })
class SurveysConfigModule {}

@Module({
  imports: [
    PlatformModule.forService({
      service: 'surveys',
      entities: [AccountEntity, ContactEntity, SurveyEntity, SurveyResponseEntity, SurveyResponseHistoryEntity, SurveyWaveEntity, SurveyInvitationEntity],
      migrations: [Init1732310000000],
    }),
    SurveysConfigModule,
    DirectoryModule,
    SurveysModule,
    WavesModule,
  ],
})
export class AppModule {}
