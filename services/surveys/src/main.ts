import 'reflect-metadata';
import { runService } from '@cairn/runtime';
import { surveysService } from './service';

void runService(surveysService);
