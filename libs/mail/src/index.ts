export * from './mailer';
export * from './smtp-url';
// For tests: loads the dev dependency smtp-server only when an inbox is started.
export * from './test-inbox';
