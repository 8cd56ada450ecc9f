import { PageQuery } from '@cairn/runtime';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf,
} from 'class-validator';
import { CONDITION_OPS, PERSONA_ATTRIBUTES, PersonaRule } from '../domain/persona-rule';

const RULE_EXAMPLE = {
  all: [
    { attribute: 'lifecycleStage', op: 'eq', value: 'adopted' },
    { attribute: 'role', op: 'in', value: ['admin', 'champion'] },
  ],
  any: [
    { attribute: 'satisfaction', op: 'in', value: ['detractor', 'unsatisfied'] },
    { attribute: 'traits.department', op: 'eq', value: 'finance' },
  ],
};

export class CreatePersonaDto {
  @ApiPropertyOptional({ example: 'unhappy-admins', description: 'Lower-case id; generated from the name when absent' })
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: 'id must be 1–63 lower-case letters, digits, - or _' }) id?: string;
  @ApiProperty({ example: 'Unhappy admins' }) @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) description?: string;
  @ApiProperty({
    example: RULE_EXAMPLE,
    description: `Every condition of 'all' holds and, when given, at least one of 'any'. A condition is { attribute, op, value }: `
      + `attributes ${Object.keys(PERSONA_ATTRIBUTES).join(', ')} or traits.<name>; ops ${CONDITION_OPS.join(', ')}. `
      + 'Users who left their account are in no persona.',
  })
  @IsObject({ message: 'rule must be an object with all and/or any conditions' }) rule: PersonaRule;
}

export class UpdatePersonaDto extends OmitType(CreatePersonaDto, ['id'] as const) {}

export class PersonaSettingsDto {
  @ApiProperty({ example: ['report.created', 'dashboard.shared'], description: 'Track event names that deliver value (key features)' })
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 200, { each: true }) keyFeatures: string[];
  @ApiProperty({ example: 5, description: 'Distinct active days after which onboarding can end' })
  @IsInt() @Min(1) @Max(365) onboardingActiveDays: number;
  @ApiPropertyOptional({ example: 2, nullable: true, description: 'Key features to use before a user counts as adopted; absent or null = all' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) keyFeaturesToAdopt?: number | null;
}

export class MembersQuery extends PageQuery {
}
