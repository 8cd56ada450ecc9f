import 'reflect-metadata';
import { runService } from '@cairn/runtime';
import { relationshipsService } from './service';

void runService(relationshipsService);
