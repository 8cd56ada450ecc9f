import 'reflect-metadata';
import { runService } from '@cairn/runtime';
import { ingestionService } from './service';

void runService(ingestionService);
