import 'reflect-metadata';
import { runService } from '@cairn/runtime';
import { healthService } from './service';

void runService(healthService);
