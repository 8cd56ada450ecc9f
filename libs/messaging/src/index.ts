export * from './kafka/errors';
export * from './kafka/client';
export * from './kafka/provisioning';
export * from './kafka/batch-consumer';
export * from './kafka/outbox-relay';
export * from './nest/event-context';
export * from './nest/kafka-event.transport';
export * from './nest/rethrow-rpc.filter';
