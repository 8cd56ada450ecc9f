export * from './naming.strategy';
export * from './data-source';
export * from './notification-wakeup';
