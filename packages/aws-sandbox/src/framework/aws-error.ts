// The one error type handlers throw; each protocol renders it in its own wire shape.

/** Errors every protocol knows, mapped to the protocol's own code by `Protocol.commonError`. */
export type CommonErrorKind =
  | 'UnknownAccessKey'
  | 'InvalidSessionToken'
  | 'BadSignature'
  | 'ExpiredToken'
  | 'RequestExpired'
  | 'PresignExpired'
  | 'MissingAuthentication'
  | 'IncompleteSignature'
  | 'AccessDenied'
  | 'Throttling'
  | 'InternalFailure'
  | 'ServiceUnavailable'
  | 'UnknownAction'
  | 'MalformedInput'
  | 'MissingParameter'
  | 'InvalidParameter'
  | 'BodyTooLarge';

/** Options of an {@link AwsError}. */
export interface AwsErrorOptions {
  /** HTTP status. @default 400 */
  status?: number;
  /** `Sender` (client fault) or `Receiver` (server fault). @default 'Sender' when status < 500 */
  fault?: 'Sender' | 'Receiver';
  /** Extra response headers (e.g. `Retry-After`). @default {} */
  headers?: Record<string, string>;
  /** Extra fields rendered next to code and message (JSON and XML). @default {} */
  fields?: Record<string, string>;
}

/** An AWS error with the exact code the real service returns (e.g. `NoSuchEntity`). */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: 'Sender' | 'Receiver';
  readonly headers: Record<string, string>;
  readonly fields: Record<string, string>;

  constructor(code: string, message: string, options: AwsErrorOptions = {}) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = options.status ?? 400;
    this.fault = options.fault ?? (this.status >= 500 ? 'Receiver' : 'Sender');
    this.headers = options.headers ?? {};
    this.fields = options.fields ?? {};
  }
}

/** A protocol-independent failure raised by the framework before a protocol is known to the thrower. */
export class CommonError extends Error {
  readonly kind: CommonErrorKind;

  constructor(kind: CommonErrorKind, message: string) {
    super(message);
    this.name = 'CommonError';
    this.kind = kind;
  }
}
