import 'reflect-metadata';
import { runService } from '@cairn/runtime';
import { consoleService } from './service';

void runService(consoleService);
