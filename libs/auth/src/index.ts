export * from './api-token';
export * from './guard';
export * from './secrets';
export * from './secret-box';
