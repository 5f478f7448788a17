/**
 * Every failure as the API's one error body, `{ "error": { code, message, hint? } }`, with its HTTP
 * status. Messages of unexpected failures stay in the server log: they may name files and hosts.
 */
import { isRampartError } from '@rampart/core';
import { API_ERROR_STATUS, type ApiErrorBody } from '@rampart/protocol';
import { DetailedError, EngineRefusal } from '../services/detailed-error.js';

/** An error rendered for a client. */
export interface ErrorResponse {
  status: number;
  body: ApiErrorBody;
  /** True when the server failed (500): the caller reports it to the operator. */
  internal: boolean;
}

const STATUS_OF: Readonly<Record<string, number>> = API_ERROR_STATUS;

export function errorResponse(error: unknown): ErrorResponse {
  if (error instanceof EngineRefusal) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message } },
      internal: false,
    };
  }
  if (isRampartError(error)) {
    const known = STATUS_OF[error.code];
    if (known !== undefined || error.source === 'user') {
      const details = error instanceof DetailedError ? error.details : {};
      return {
        status: known ?? 400,
        body: {
          error: {
            code: error.code,
            message: error.message,
            ...(error.hint === undefined ? {} : { hint: error.hint }),
            ...details,
          },
        },
        internal: false,
      };
    }
    return {
      status: 500,
      body: { error: { code: error.code, message: 'the server failed to answer' } },
      internal: true,
    };
  }
  return {
    status: 500,
    body: { error: { code: 'INTERNAL', message: 'the server failed to answer' } },
    internal: true,
  };
}
