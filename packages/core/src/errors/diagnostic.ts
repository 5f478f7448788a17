/** Diagnostics: errors and warnings about user input, each pinned to a file position. */
import type { ErrorCode } from './error-codes.js';

/** A 1-based position in a source file. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning';

/** One finding about a pipeline file or other user input. */
export interface Diagnostic extends SourceLocation {
  code: ErrorCode;
  severity: Severity;
  message: string;
  /** How to fix it: an edit or a command. */
  hint?: string;
}

/** Collects diagnostics so that a run reports every problem, not just the first. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  error(code: ErrorCode, message: string, at: SourceLocation, hint?: string): void {
    this.items.push(make(code, 'error', message, at, hint));
  }

  warning(code: ErrorCode, message: string, at: SourceLocation, hint?: string): void {
    this.items.push(make(code, 'warning', message, at, hint));
  }

  add(diagnostic: Diagnostic): void {
    this.items.push(diagnostic);
  }

  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'error');
  }

  get warnings(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'warning');
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

function make(
  code: ErrorCode,
  severity: Severity,
  message: string,
  at: SourceLocation,
  hint: string | undefined,
): Diagnostic {
  const d: Diagnostic = {
    code,
    severity,
    message,
    file: at.file,
    line: at.line,
    column: at.column,
  };
  if (hint !== undefined) d.hint = hint;
  return d;
}

/** Orders diagnostics by file, line and column, keeping insertion order for ties. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return list
    .map((d, i) => ({ d, i }))
    .sort(
      (a, b) =>
        a.d.file.localeCompare(b.d.file) ||
        a.d.line - b.d.line ||
        a.d.column - b.d.column ||
        a.i - b.i,
    )
    .map(({ d }) => d);
}
