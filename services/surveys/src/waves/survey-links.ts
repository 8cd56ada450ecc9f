import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { signSurveyLink, SurveyLinkClaims, verifySurveyLink } from '../domain/survey-link';
import { SurveysConfig } from '../config';

/** Signs and checks personal survey links with SURVEY_LINK_SECRET (or a key derived from CAIRN_AUTH_SECRET). */
@Injectable()
export class SurveyLinks {
  private readonly secret: string;

  constructor(config: SurveysConfig) {
    // A derived key, so a leaked link key never signs API tokens.
    this.secret = config.SURVEY_LINK_SECRET
      ?? createHmac('sha256', config.CAIRN_AUTH_SECRET).update('cairn-survey-links').digest('base64url');
  }

  sign(claims: SurveyLinkClaims): string {
    return signSurveyLink(claims, this.secret);
  }

  verify(token: string, now = Date.now()): SurveyLinkClaims {
    return verifySurveyLink(token, this.secret, now);
  }
}
