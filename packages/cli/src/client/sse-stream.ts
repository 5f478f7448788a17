/**
 * Reads a server-sent event stream of the API and survives dropped connections: it reconnects
 * with `Last-Event-ID` set to the last id received, so the server resends nothing twice and
 * misses nothing. Messages come in batches, one per chunk read, so a burst is rendered once.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { RampartError } from '@rampart/core';
import { SSE_MEDIA_TYPE, SseParser, type SseMessage } from '@rampart/protocol';
import { errorFromAnswer, unreachable } from './api-request-error.js';
import type { RampartClient, ResponseSchema } from './rampart-client.js';

/** Options of {@link sseBatches}. */
export interface SseStreamOptions {
  /** Resume after this id (sent as `Last-Event-ID` on the first connection too). */
  lastEventId?: string;
  /** Ends the stream (Ctrl-C). */
  signal?: AbortSignal;
  /** The wait before the first reconnection; it doubles on each failure in a row. @default 500 */
  retryDelayMs?: number;
  /** The longest wait between reconnections. @default 5000 */
  maxRetryDelayMs?: number;
  /** Connection attempts in a row that may fail before the stream gives up. @default 20 */
  maxAttempts?: number;
  /** Called before each reconnection, with the attempt number (1 on the first). */
  onReconnect?: (attempt: number) => void;
}

/**
 * The messages of the stream at `path`, batch by batch. It ends when the consumer stops (break
 * or return) or `signal` aborts; it throws when the server refuses the request or stays
 * unreachable for `maxAttempts` attempts.
 */
export async function* sseBatches(
  client: RampartClient,
  path: string,
  options: SseStreamOptions = {},
): AsyncGenerator<SseMessage[], void, undefined> {
  const retryDelayMs = options.retryDelayMs ?? 500;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 5000;
  const maxAttempts = options.maxAttempts ?? 20;
  let lastEventId = options.lastEventId;
  let failures = 0;
  const connection = new AbortController();
  const onAbort = () => connection.abort();
  const stopped = (): boolean => options.signal?.aborted === true;
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    while (!stopped()) {
      let failure: unknown;
      try {
        const response = await fetch(`${client.target.url}${path}`, {
          headers: client.headers({
            accept: SSE_MEDIA_TYPE,
            ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
          }),
          signal: connection.signal,
        });
        if (!response.ok || response.body === null) {
          const error = errorFromAnswer(
            response.status,
            await response.text(),
            client.contextOf('GET', path),
          );
          // The server restarting answers 5xx for a moment; anything else will not change.
          if (response.status < 500) throw error;
          failure = error;
        } else {
          // A new parser per connection: a message cut off by the drop is sent again in full.
          const parser = new SseParser();
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          try {
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              // Only a stream that delivers counts as a success (a closing server may accept and drop).
              failures = 0;
              const messages = parser.push(value);
              if (messages.length === 0) continue;
              lastEventId = messages[messages.length - 1]?.id ?? lastEventId;
              yield messages;
            }
          } catch (error) {
            failure = error;
          } finally {
            reader.releaseLock();
          }
        }
      } catch (error) {
        if (error instanceof Error && error.name === 'RampartError') throw error;
        failure = error;
      }
      if (stopped()) return;
      // The connection ended or never came: try again after a pause.
      failures += 1;
      if (failures > maxAttempts) throw unreachable(client.target.url, failure ?? 'stream closed');
      options.onReconnect?.(failures);
      const wait = Math.min(retryDelayMs * 2 ** (failures - 1), maxRetryDelayMs);
      try {
        await delay(
          wait,
          undefined,
          options.signal === undefined ? {} : { signal: options.signal },
        );
      } catch {
        return;
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    connection.abort();
  }
}

/** The JSON data of a message, parsed with its protocol schema. */
export function parseMessageData<T>(
  schema: ResponseSchema<T>,
  message: SseMessage,
  url: string,
): T {
  let json: unknown;
  try {
    json = JSON.parse(message.data);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new RampartError(
    'CLIENT_RESPONSE_INVALID',
    `the stream of ${url} sent a "${message.event}" message the CLI cannot read`,
    { source: 'system', hint: 'Use the CLI of the same Rampart version as the server.' },
  );
}
