import { PageQuery } from '@cairn/runtime';
import { CONTACT_ROLES, ContactRole } from '@cairn/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export class PatchAccountDto {
  @ApiPropertyOptional({ example: 'kim@vendor.example', description: 'CSM who owns the account' })
  @IsOptional() @IsString() @Length(1, 320) csmOwner?: string;

  @ApiPropertyOptional({ example: 'acme.com', description: 'Company domain: contacts whose email leaves it are reported gone' })
  @IsOptional() @IsString() @Matches(/^(https?:\/\/)?(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+\/?$/i, { message: 'domain must be a domain name like acme.com' })
  domain?: string;
}

export class SetRoleDto {
  @ApiProperty({ enum: CONTACT_ROLES }) @IsIn(CONTACT_ROLES) role: ContactRole;
  @ApiProperty({ example: 'acme', description: 'Account in which the person has this role' }) @IsString() @Length(1, 256) accountId: string;
}

export class ListAccountsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only accounts owned by this CSM' }) @IsOptional() @IsString() csmOwner?: string;
}

export class ListContactsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only people in this account' }) @IsOptional() @IsString() accountId?: string;
}
