/**
 * The engine's StepLogSink over the store: lines are buffered and appended in batches (a step
 * writing thousands of lines costs a few transactions, not thousands), then streams are woken.
 */
import type { StepLogLine, StepLogSink } from '@rampart/engine';
import type { NewStepLogLine, StepLogStore } from '@rampart/store';
import type { ChangeFeed } from './change-feed.js';

/** Options of {@link StoredStepLogSink}. */
export interface StoredStepLogSinkOptions {
  store: StepLogStore;
  /** Woken after each stored batch. */
  feed: ChangeFeed;
  /** How long a line may wait for its batch. @default 100 */
  flushIntervalMs?: number;
  /** A batch is stored as soon as it holds this many lines. @default 500 */
  maxBatch?: number;
  /** Told when a batch could not be stored (its lines are dropped). @default ignored */
  onError?: (error: unknown, lines: number) => void;
}

/** Lone UTF-16 surrogates, which a database stores as replacement characters or refuses. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export class StoredStepLogSink implements StepLogSink {
  private buffer: NewStepLogLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;

  constructor(private readonly options: StoredStepLogSinkOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.maxBatch = options.maxBatch ?? 500;
  }

  write(line: StepLogLine): void {
    this.buffer.push({
      pipelineId: line.pipelineId,
      ...(line.deploymentId === undefined ? {} : { deploymentId: line.deploymentId }),
      stage: line.stage,
      step: line.step,
      commandId: line.commandId,
      at: line.at,
      stream: line.stream,
      // The store refuses U+0000 on both databases; a log line is worth keeping without it.
      text: line.text.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD'),
    });
    if (this.buffer.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushIntervalMs);
  }

  /** Resolves once every line written so far is stored (or given up). */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.buffer;
    this.buffer = [];
    // Batches are stored one after the other, so line numbers follow the order lines came in.
    this.chain = this.chain.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.options.store.append(batch);
        this.options.feed.notify();
      } catch (error) {
        this.options.onError?.(error, batch.length);
      }
    });
    return this.chain;
  }
}
