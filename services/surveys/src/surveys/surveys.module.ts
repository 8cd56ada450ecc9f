import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { SurveysController } from './surveys.controller';
import { SurveyResponseStore } from './survey-response.store';
import { SurveysService } from './surveys.service';

@Module({
  imports: [DirectoryModule],
  controllers: [SurveysController],
  providers: [SurveysService, SurveyResponseStore],
  exports: [SurveysService],
})
export class SurveysModule {}
