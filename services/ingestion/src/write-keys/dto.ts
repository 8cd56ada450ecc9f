import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateWriteKeyDto {
  @ApiProperty({ example: 'web app (production)', description: 'The source this key is for' })
  @IsString() @Length(1, 200) name: string;
}

export class CreatedWriteKeyDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The key itself: shown only in this response' }) writeKey: string;
  @ApiProperty() createdAt: Date;
}
