import { IsIn, IsInt, IsISO8601, IsOptional, IsString } from 'class-validator';

export const SURVEY_KINDS = ['nps', 'csat', 'ces'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];
export const RESPONSE_CATEGORIES = [
  'promoter', 'passive', 'detractor', 'satisfied', 'unsatisfied', 'low_effort', 'high_effort',
] as const;
export type ResponseCategory = (typeof RESPONSE_CATEGORIES)[number];
/** How an answer reached Cairn: the API, a personal email link, or the customer's product (in-app). */
export const RESPONSE_CHANNELS = ['api', 'email', 'in_app'] as const;
export type ResponseChannel = (typeof RESPONSE_CHANNELS)[number];

/** cairn.survey.response-recorded.v1 — a person answered a survey (a changed answer is a new event). */
export class SurveyResponseRecordedV1 {
  @IsString() surveyId: string;
  @IsString() responseId: string;
  @IsOptional() @IsString() contactId?: string;
  @IsIn(SURVEY_KINDS) kind: SurveyKind;
  @IsInt() score: number;
  @IsIn(RESPONSE_CATEGORIES) category: ResponseCategory;
  @IsOptional() @IsString() comment?: string;
  @IsISO8601() respondedAt: string;
  /** The wave the person was invited in, when the answer came through an invitation. */
  @IsOptional() @IsString() waveId?: string;
  @IsOptional() @IsIn(RESPONSE_CHANNELS) channel?: ResponseChannel;
}
