// Turns a byte stream into lines for the step log: UTF-8 safe across chunk boundaries, CRLF
// tolerant, and with very long lines cut so one runaway line cannot hold the log hostage.
import { StringDecoder } from 'node:string_decoder';

/** The longest line kept whole; longer ones are emitted in pieces of this many characters. */
export const MAX_LINE_CHARS = 16 * 1024;

/** Splits chunks into lines; call `end()` once the stream ends to flush a last partial line. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly emit: (line: string) => void) {}

  write(chunk: Buffer): void {
    this.take(this.decoder.write(chunk));
  }

  end(): void {
    this.take(this.decoder.end());
    if (this.pending !== '') this.emit(this.pending);
    this.pending = '';
  }

  private take(text: string): void {
    let rest = this.pending + text;
    for (;;) {
      const newline = rest.indexOf('\n');
      if (newline === -1) break;
      this.emitLong(rest.slice(0, newline).replace(/\r$/, ''));
      rest = rest.slice(newline + 1);
    }
    while (rest.length > MAX_LINE_CHARS) {
      this.emit(rest.slice(0, MAX_LINE_CHARS));
      rest = rest.slice(MAX_LINE_CHARS);
    }
    this.pending = rest;
  }

  private emitLong(line: string): void {
    for (let start = 0; start < line.length; start += MAX_LINE_CHARS) {
      this.emit(line.slice(start, start + MAX_LINE_CHARS));
    }
    if (line.length === 0) this.emit('');
  }
}
