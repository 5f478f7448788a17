/** Problems found in expressions, pinned to an offset in the template text. */
import type { ErrorCode } from '../errors/error-codes.js';

/**
 * One problem in a template. `offset` is the 0-based index (UTF-16 code units, as in JavaScript
 * strings) into the template text of the exact culprit: the bad token, the unknown key segment, the
 * `${{` of an unterminated expression.
 */
export interface ExpressionDiagnostic {
  code: ErrorCode;
  message: string;
  offset: number;
  /** How to fix it. */
  hint?: string;
}

/**
 * A problem that a caller-supplied hook (a function, or {@link ContextNodeOptions.onAccess})
 * reports; the evaluator adds the offset. A class, so that the evaluator can tell it apart from a
 * plain object value.
 */
export class ExpressionFailure {
  constructor(
    readonly code: ErrorCode,
    readonly message: string,
    readonly options: {
      /** How to fix it. */
      hint?: string;
      /**
       * For a function: the 0-based index of the argument at fault; the diagnostic then points at
       * that argument. @default the function name
       */
      argument?: number;
    } = {},
  ) {}
}

/** Builds a diagnostic, leaving `hint` out when there is none. */
export function expressionDiagnostic(
  code: ErrorCode,
  message: string,
  offset: number,
  hint?: string,
): ExpressionDiagnostic {
  const d: ExpressionDiagnostic = { code, message, offset };
  if (hint !== undefined) d.hint = hint;
  return d;
}
