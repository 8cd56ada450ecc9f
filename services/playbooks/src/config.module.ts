import { Global, Module } from '@nestjs/common';
import { PlaybooksConfig } from './playbooks.config';

/** The service's own settings, validated once at start-up, for every module. */
@Global()
@Module({ providers: [{ provide: PlaybooksConfig, useFactory: () => PlaybooksConfig.load() }], exports: [PlaybooksConfig] })
export class PlaybooksConfigModule {}
