import { EventEnvelope } from '@cairn/contracts';
import { BaseRpcContext } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import { ConsumedMessage } from '../kafka/batch-consumer';

/**
 * What a handler gets besides the event (`@Ctx()`): the transaction its work must use —
 * the same one that records the event in the inbox, so effects and dedupe commit together.
 */
export class EventContext extends BaseRpcContext<[ConsumedMessage, EntityManager]> {
  get message(): ConsumedMessage { return this.args[0]; }
  get manager(): EntityManager { return this.args[1]; }
}

/** Handler signature for the raw (non-envelope) topic: the parsed JSON value. */
export type RawEvent = unknown;
export type HandledEnvelope<T> = EventEnvelope<T>;
