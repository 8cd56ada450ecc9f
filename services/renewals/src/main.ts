import 'reflect-metadata';
import { runService } from '@cairn/runtime';
import { renewalsService } from './service';

void runService(renewalsService);
