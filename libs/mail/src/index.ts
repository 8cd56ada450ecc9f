export * from './mailer';
export * from './smtp-url';
