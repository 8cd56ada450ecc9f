import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';

/** An origin as browsers send it: scheme://host[:port], nothing after. */
const ORIGIN = /^https?:\/\/[^/\s?#]+$/;

export class CreateWriteKeyDto {
  @ApiProperty({ example: 'web app (production)', description: 'The source this key is for' })
  @IsString() @Length(1, 200) name: string;

  @ApiPropertyOptional({ type: [String], example: ['https://app.example.com'], description: 'Browser origins allowed to send with this key; absent = any origin' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @Matches(ORIGIN, { each: true, message: 'allowedOrigins: each must be an origin like https://app.example.com (scheme, host, optional port)' })
  allowedOrigins?: string[];
}

export class UpdateWriteKeyDto {
  @ApiProperty({ type: [String], nullable: true, example: ['https://app.example.com'], description: 'Browser origins allowed to send with this key; null = any origin' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @Matches(ORIGIN, { each: true, message: 'allowedOrigins: each must be an origin like https://app.example.com (scheme, host, optional port)' })
  allowedOrigins: string[] | null;
}

export class CreatedWriteKeyDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The key itself: shown only in this response' }) writeKey: string;
  @ApiProperty({ type: [String], nullable: true }) allowedOrigins: string[] | null;
  @ApiProperty() createdAt: Date;
}
