import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring/scoring.module';
import { PersonaMembership } from './persona-membership.service';
import { PersonaSchedule } from './persona-schedule';
import { PersonasController } from './personas.controller';
import { PersonasService } from './personas.service';
import { UsageEventsConsumer } from './usage-events.consumer';
import { UserIntake } from './user-intake.service';
import { UserProfileStore } from './user-profile.store';

/** User Success: the user-level read model, personas, their membership and metrics. */
@Module({
  imports: [ScoringModule],
  controllers: [PersonasController, UsageEventsConsumer],
  providers: [UserProfileStore, PersonaMembership, UserIntake, PersonasService, PersonaSchedule],
  exports: [UserIntake],
})
export class PersonasModule {}
