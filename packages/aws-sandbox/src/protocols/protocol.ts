// What a wire protocol must do: parse a call, render its result, render errors in its own shape.
import type { AwsError, CommonErrorKind } from '../framework/aws-error.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../framework/http.js';
import type { Input } from '../framework/input.js';

/** The parsed call: which action and with what input. */
export interface ParsedCall {
  action: string;
  input: Input;
}

/** A wire protocol (query/XML, JSON 1.1, REST-XML, REST-JSON). */
export interface Protocol {
  readonly name: 'query' | 'json' | 'rest-xml' | 'rest-json';
  /**
   * Bodies larger than this are rejected before parsing (`BodyTooLarge`). `undefined` means the
   * protocol streams its bodies (S3): the framework does not read them.
   */
  readonly maxBodyBytes: number | undefined;
  /** SigV4 canonical URIs are escaped twice for every service but S3. */
  readonly doubleEscapePath: boolean;
  /** Finds the action and input; throws `CommonError('UnknownAction' | 'MalformedInput', …)`. */
  parse(request: SandboxHttpRequest): ParsedCall | Promise<ParsedCall>;
  /** Renders a handler's successful result. */
  render(action: string, output: unknown, requestId: string): SandboxHttpResponse;
  /** Renders an error in the protocol's shape. */
  renderError(error: AwsError, requestId: string): SandboxHttpResponse;
  /** The protocol's own code, status and message for a framework failure. */
  commonError(kind: CommonErrorKind, message: string): AwsError;
  /**
   * The protocol serving one request, for services that speak several (CloudWatch: JSON 1.0 for
   * current SDKs, query for older CLIs). The dispatcher asks once the service is known, from the
   * request line and headers (the body is not read yet), and parses, renders and reports errors
   * with the answer. @default this protocol
   */
  forRequest?(request: SandboxHttpRequest): Protocol;
}
