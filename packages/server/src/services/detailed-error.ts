/** A RampartError that carries the details an API error body shows: request issues, pipeline diagnostics. */
import { RampartError, type ErrorCode, type RampartErrorOptions } from '@rampart/core';
import type { ApiDiagnostic, RequestIssue } from '@rampart/protocol';

/** Details an API error body may carry besides code, message and hint. */
export interface ErrorDetails {
  /** `API_INVALID_REQUEST`: each problem of the request. */
  issues?: RequestIssue[];
  /** `PIPELINE_INVALID`: the pipeline's errors. */
  diagnostics?: ApiDiagnostic[];
}

export class DetailedError extends RampartError {
  readonly details: ErrorDetails;

  constructor(
    code: ErrorCode,
    message: string,
    details: ErrorDetails,
    options: RampartErrorOptions = {},
  ) {
    super(code, message, options);
    this.details = details;
  }
}

/** A refused engine operation or deployment request: the engine's own code, answered with 409 or 422. */
export class EngineRefusal extends Error {
  override name = 'EngineRefusal';

  constructor(
    readonly code: string,
    message: string,
    readonly status: 409 | 422,
  ) {
    super(message);
  }
}
