import type { TopicContract } from '@expo/schemas';
import type { TopicEvent } from './envelope.ts';

export interface RecordContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
}

export interface TopicHandler<C extends TopicContract = TopicContract> {
  readonly contract: C;
  handle(event: TopicEvent<C>, context: RecordContext): Promise<void>;
  /** A record with no value (erasure on a compacted topic); ignored when absent. */
  onTombstone?(key: string, context: RecordContext): Promise<void>;
}

/** Binds a handler to its topic so the event parameter is typed by the contract. */
export function on<C extends TopicContract>(contract: C, handle: TopicHandler<C>['handle'], onTombstone?: TopicHandler<C>['onTombstone']): TopicHandler<C> {
  return { contract, handle, ...(onTombstone ? { onTombstone } : {}) };
}
