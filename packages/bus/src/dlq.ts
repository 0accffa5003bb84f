import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { dlqTopicName } from '@expo/schemas';

export const DLQ_HEADERS = {
  reason: 'dlq.reason',
  /** The reason as a bounded code (`not_json`, `schema_violation`, `handler_error`, …), for counts. */
  code: 'dlq.code',
  topic: 'dlq.topic',
  partition: 'dlq.partition',
  offset: 'dlq.offset',
  group: 'dlq.group',
  failedAt: 'dlq.failedAt',
} as const;

export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly groupId: string;
  readonly code: string;
  readonly reason: string;
}

/**
 * The record for `<topic>.dlq`: the original key, value and headers, byte for byte, plus where it
 * came from and why it failed, so it can be inspected and replayed.
 */
export function deadLetterRecord(letter: DeadLetter): { topic: string; message: Message } {
  const headers: IHeaders = {
    ...(letter.message.headers ?? {}),
    [DLQ_HEADERS.reason]: letter.reason.slice(0, 2000),
    [DLQ_HEADERS.code]: letter.code,
    [DLQ_HEADERS.topic]: letter.topic,
    [DLQ_HEADERS.partition]: String(letter.partition),
    [DLQ_HEADERS.offset]: letter.message.offset,
    [DLQ_HEADERS.group]: letter.groupId,
    [DLQ_HEADERS.failedAt]: new Date().toISOString(),
  };
  return {
    topic: dlqTopicName(letter.topic),
    message: { key: letter.message.key, value: letter.message.value, headers },
  };
}

/** The record as it was before it was dead-lettered: what a replay writes to its source topic. */
export function originalRecord(message: KafkaMessage): Message {
  const dlqNames = new Set<string>(Object.values(DLQ_HEADERS));
  const headers = Object.fromEntries(Object.entries(message.headers ?? {}).filter(([name]) => !dlqNames.has(name)));
  return { key: message.key, value: message.value, headers };
}
