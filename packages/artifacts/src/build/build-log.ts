/**
 * A build's log: forwards each line to the deployment log as it comes, hides secret values, and
 * keeps the last lines so that a failure can quote them in its error message.
 */
import { RampartError, type ErrorCode, type RampartErrorOptions } from '@rampart/core';

/** Lines an error message quotes from the end of the log. */
export const LAST_LINES = 20;

/** The longest line kept whole in an error message; longer ones are cut. */
const MAX_QUOTED_CHARS = 500;

/** Where a line comes from: a command's stdout or stderr, or the builder itself. */
export type BuildLogStream = 'stdout' | 'stderr' | 'info';

/** The log of one build; see the module comment. */
export class BuildLog {
  private readonly tail: string[] = [];
  private secrets: string[] = [];

  constructor(private readonly sink: (text: string, stream: BuildLogStream) => void) {}

  /** Hides these values from every later line (they become `***`). */
  redact(values: Iterable<string>): void {
    // Longest first, so a secret that contains another is hidden whole.
    this.secrets = [...new Set([...this.secrets, ...values])]
      .filter((v) => v.length > 0)
      .sort((a, b) => b.length - a.length);
  }

  /** Writes one line. */
  write(text: string, stream: BuildLogStream = 'info'): void {
    let line = text;
    for (const secret of this.secrets) line = line.split(secret).join('***');
    this.tail.push(line);
    if (this.tail.length > LAST_LINES) this.tail.shift();
    this.sink(line, stream);
  }

  /** The last lines written, oldest first. */
  lastLines(): string[] {
    return [...this.tail];
  }

  /** A RampartError whose message ends with the last lines of this log. */
  failure(code: ErrorCode, message: string, options: RampartErrorOptions = {}): RampartError {
    const lines = this.lastLines().map((l) =>
      l.length > MAX_QUOTED_CHARS ? `${l.slice(0, MAX_QUOTED_CHARS)}…` : l,
    );
    const quoted =
      lines.length === 0
        ? ''
        : `\nlast ${lines.length} lines of the build log:\n${lines.join('\n')}`;
    return new RampartError(code, `${message}${quoted}`, options);
  }
}
