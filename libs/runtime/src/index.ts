export * from './config';
export * from './tokens';
export * from './platform.module';
export * from './readiness';
export * from './service';
export * from './bootstrap';
export * from './scheduling';
export * from './clock';
