import 'reflect-metadata';
import { runService } from '@cairn/runtime';
import { playbooksService } from './service';

void runService(playbooksService);
