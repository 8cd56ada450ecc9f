import { forwardRef, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthController } from './auth.controller';
import { SessionGuard } from './session.guard';
import { SessionsService } from './sessions.service';
import { UsersController } from './users.controller';

@Module({
  imports: [forwardRef(() => AuditModule)],
  controllers: [AuthController, UsersController],
  providers: [SessionsService, SessionGuard],
  exports: [SessionsService, SessionGuard],
})
export class IdentityModule {}
