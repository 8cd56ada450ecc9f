import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { AuditService } from '../audit/audit.service';
import { ADMINS, ROLES } from '../domain/roles';
import { CurrentUser, SignedIn } from './session.guard';
import { SessionsService, SignedInUser } from './sessions.service';
import { UserInputError } from './users.store';

export class CreateUserDto {
  @ApiProperty() @IsString() email: string;
  @ApiPropertyOptional() @IsOptional() @IsString() name?: string;
  @ApiProperty({ enum: ROLES }) @IsString() role: string;
  @ApiProperty({ minLength: 12 }) @IsString() password: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsString() role?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() name?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional({ minLength: 12 }) @IsOptional() @IsString() password?: string;
  @ApiPropertyOptional({ description: 'Clear a lock-out' }) @IsOptional() @IsBoolean() unlock?: boolean;
}

const invalid = (e: unknown) => {
  if (e instanceof UserInputError) throw new BadRequestException(e.problems);
  throw e;
};

@ApiTags('users')
@Controller('api/users')
@SignedIn(ADMINS)
export class UsersController {
  constructor(private readonly sessions: SessionsService, private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Console users of the workspace (admins)' })
  list(@CurrentUser() user: SignedInUser) {
    return this.sessions.users.list(user.workspaceId);
  }

  @Post()
  @ApiOperation({ summary: 'Create a console user (admins)' })
  async create(@CurrentUser() user: SignedInUser, @Body() dto: CreateUserDto) {
    const created = await this.sessions.users.create({ ...dto, workspaceId: user.workspaceId }).catch(invalid);
    await this.audit.record(user, { action: 'user.create', target: `user ${created.email}`, status: 201, after: created, request: dto });
    return created;
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a user\'s role, name or password, disable or unlock them (admins)' })
  async update(@CurrentUser() user: SignedInUser, @Param('id') id: string, @Body() dto: UpdateUserDto) {
    const before = await this.sessions.users.get(user.workspaceId, id);
    if (!before) throw new NotFoundException(`user '${id}' not found`);
    if (before.id === user.userId && (dto.role !== undefined && dto.role !== 'admin' || dto.disabled)) {
      throw new BadRequestException(['role: you cannot take away your own admin role or disable yourself']);
    }
    const after = await this.sessions.users.update(user.workspaceId, id, dto).catch(invalid);
    await this.audit.record(user, { action: 'user.update', target: `user ${before.email}`, status: 200, before, after, request: dto });
    return after;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a console user (admins)' })
  async remove(@CurrentUser() user: SignedInUser, @Param('id') id: string) {
    const before = await this.sessions.users.get(user.workspaceId, id);
    if (!before) throw new NotFoundException(`user '${id}' not found`);
    if (before.id === user.userId) throw new BadRequestException(['id: you cannot remove yourself']);
    await this.sessions.users.remove(user.workspaceId, id);
    await this.audit.record(user, { action: 'user.remove', target: `user ${before.email}`, status: 204, before });
  }
}
