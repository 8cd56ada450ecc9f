export * from './naming.strategy';
export * from './messaging-tables';
export * from './data-source';
export * from './outbox';
