export * from './wait';
export * from './infra';
export * from './kafka';
export * from './processes';
export * from './http';
export * from './in-process';
export * from './tcp-proxy';
export * from './smtp-inbox';
