import { forwardRef, Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

@Module({ imports: [forwardRef(() => IdentityModule)], controllers: [AuditController], providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
