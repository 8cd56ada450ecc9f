import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { SurveysController } from './surveys.controller';
import { SurveyStore } from './survey.store';
import { SurveysService } from './surveys.service';

@Module({
  imports: [DirectoryModule],
  controllers: [SurveysController],
  providers: [SurveysService, SurveyStore],
  exports: [SurveysService],
})
export class SurveysModule {}
