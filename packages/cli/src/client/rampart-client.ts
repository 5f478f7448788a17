/**
 * The HTTP client of Rampart's API: one method per route, every answer parsed with the protocol's
 * schema, every failure a RampartError with a CLI code (see api-request-error.ts). Streams are in
 * sse-stream.ts.
 */
import { RampartError } from '@rampart/core';
import {
  apiPaths,
  approvalListResponseSchema,
  createTokenResponseSchema,
  deploymentListResponseSchema,
  deploymentResponseSchema,
  eventListResponseSchema,
  logListResponseSchema,
  operationResponseSchema,
  pipelineListResponseSchema,
  pipelineResponseSchema,
  pipelineStatusResponseSchema,
  removePipelineResponseSchema,
  revokeTokenResponseSchema,
  deleteSecretResponseSchema,
  secretListResponseSchema,
  setSecretResponseSchema,
  startDeploymentResponseSchema,
  tokenListResponseSchema,
  whoamiResponseSchema,
  type ApprovalListQuery,
  type PendingApprovalInfo,
  type CreateTokenRequest,
  type CreateTokenResponse,
  type DeploymentDetail,
  type DeploymentListQuery,
  type DeploymentListResponse,
  type EventListResponse,
  type LogListResponse,
  type LogQuery,
  type OperationRequest,
  type OperationResponse,
  type PipelineInfo,
  type PipelineStatusResponse,
  type RegisterPipelineRequest,
  type RemovePipelineResponse,
  type RevokeTokenResponse,
  type StartDeploymentRequest,
  type StartDeploymentResponse,
  type TokenListResponse,
  type WhoamiResponse,
  type DeleteSecretResponse,
  type SecretListResponse,
  type SecretQuery,
  type SetSecretRequest,
  type SetSecretResponse,
} from '@rampart/protocol';
import { errorFromAnswer, unreachable, type RequestContext } from './api-request-error.js';
import type { ServerTarget } from './server-target.js';

/** What the client needs of a response schema (every protocol schema is one). */
export interface ResponseSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: PropertyKey[]; message: string }[] } };
}

/** Options of {@link RampartClient}. */
export interface RampartClientOptions {
  /** Milliseconds a JSON request may take before it is given up. @default 120000 */
  timeoutMs?: number;
}

/** Query parameters; undefined ones are left out. */
export type Query = Record<string, string | number | undefined>;

/** Events per page the API answers at most. */
const MAX_EVENT_PAGE = 1000;

export class RampartClient {
  private readonly timeoutMs: number;

  constructor(
    readonly target: ServerTarget,
    options: RampartClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  whoami(): Promise<WhoamiResponse> {
    return this.get(apiPaths.whoami(), whoamiResponseSchema);
  }

  async listPipelines(): Promise<PipelineInfo[]> {
    return (await this.get(apiPaths.pipelines(), pipelineListResponseSchema)).pipelines;
  }

  async registerPipeline(request: RegisterPipelineRequest): Promise<PipelineInfo> {
    return (await this.send('POST', apiPaths.pipelines(), pipelineResponseSchema, request))
      .pipeline;
  }

  removePipeline(slug: string): Promise<RemovePipelineResponse> {
    return this.send('DELETE', apiPaths.pipeline(slug), removePipelineResponseSchema);
  }

  pipelineStatus(slug: string): Promise<PipelineStatusResponse> {
    return this.get(apiPaths.pipelineStatus(slug), pipelineStatusResponseSchema);
  }

  startDeployment(slug: string, request: StartDeploymentRequest): Promise<StartDeploymentResponse> {
    return this.send('POST', apiPaths.deployments(slug), startDeploymentResponseSchema, request);
  }

  listDeployments(slug: string, query: DeploymentListQuery = {}): Promise<DeploymentListResponse> {
    return this.get(apiPaths.deployments(slug), deploymentListResponseSchema, query);
  }

  async deployment(slug: string, revision: number): Promise<DeploymentDetail> {
    return (await this.get(apiPaths.deployment(slug, revision), deploymentResponseSchema))
      .deployment;
  }

  logs(slug: string, revision: number, query: LogQuery = {}): Promise<LogListResponse> {
    return this.get(apiPaths.logs(slug, revision), logListResponseSchema, query);
  }

  /** A page of an events route (`apiPaths.pipelineEvents`, `deploymentEvents`, `events`). */
  events(path: string, query: { after?: number; limit?: number } = {}): Promise<EventListResponse> {
    return this.get(path, eventListResponseSchema, query);
  }

  /**
   * The sequence number of the newest event of an events route (0 when it has none), so a stream
   * can start at "now". Long histories are searched, not read: the number of requests grows with
   * the logarithm of the sequence numbers.
   */
  async latestEventSeq(path: string, pageSize = MAX_EVENT_PAGE): Promise<number> {
    const first = await this.events(path, { after: 0, limit: pageSize });
    if (first.events.length < pageSize) return first.next;
    const firstAfter = async (after: number) =>
      (await this.events(path, { after, limit: 1 })).events[0]?.seq;
    // Invariant: an event `lo` exists; none is after `hi`.
    let lo = first.next;
    let hi: number | undefined;
    for (let step = pageSize; hi === undefined; step *= 2) {
      const seq = await firstAfter(lo + step);
      if (seq === undefined) hi = lo + step;
      else lo = seq;
    }
    while (hi > lo) {
      const mid = Math.floor((lo + hi) / 2);
      const seq = await firstAfter(mid);
      if (seq === undefined) hi = mid;
      else lo = seq;
    }
    return lo;
  }

  /** Approvals waiting for a person, oldest first: one pipeline's, or every pipeline's. */
  async approvals(query: ApprovalListQuery = {}): Promise<PendingApprovalInfo[]> {
    return (await this.get(apiPaths.approvals(), approvalListResponseSchema, query)).approvals;
  }

  operate(slug: string, operation: OperationRequest): Promise<OperationResponse> {
    return this.send('POST', apiPaths.operations(slug), operationResponseSchema, operation);
  }

  createToken(request: CreateTokenRequest): Promise<CreateTokenResponse> {
    return this.send('POST', apiPaths.tokens(), createTokenResponseSchema, request);
  }

  listTokens(): Promise<TokenListResponse> {
    return this.get(apiPaths.tokens(), tokenListResponseSchema);
  }

  revokeToken(id: string): Promise<RevokeTokenResponse> {
    return this.send('DELETE', apiPaths.token(id), revokeTokenResponseSchema);
  }

  /** Creates or replaces a secret; the answer never holds the value. */
  setSecret(request: SetSecretRequest): Promise<SetSecretResponse> {
    return this.send('PUT', apiPaths.secrets(), setSecretResponseSchema, request);
  }

  listSecrets(): Promise<SecretListResponse> {
    return this.get(apiPaths.secrets(), secretListResponseSchema);
  }

  deleteSecret(query: SecretQuery): Promise<DeleteSecretResponse> {
    return this.send(
      'DELETE',
      withQuery(apiPaths.secrets(), { name: query.name, stage: query.stage }),
      deleteSecretResponseSchema,
    );
  }

  /** The headers every request carries. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.target.token}`, ...extra };
  }

  /** What error messages say about a request. */
  contextOf(method: string, path: string): RequestContext {
    return { method, path, url: this.target.url, tokenOrigin: this.target.tokenOrigin };
  }

  private get<T>(path: string, schema: ResponseSchema<T>, query: Query = {}): Promise<T> {
    return this.request('GET', withQuery(path, query), schema);
  }

  private send<T>(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    schema: ResponseSchema<T>,
    body?: unknown,
  ): Promise<T> {
    return this.request(method, path, schema, body);
  }

  private async request<T>(
    method: string,
    path: string,
    schema: ResponseSchema<T>,
    body?: unknown,
  ): Promise<T> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.target.url}${path}`, {
        method,
        headers: this.headers({
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError')
        throw unreachable(this.target.url, `no answer within ${this.timeoutMs / 1000} s`);
      throw unreachable(this.target.url, error);
    }
    const ctx = this.contextOf(method, path);
    if (!response.ok) throw errorFromAnswer(response.status, text, ctx);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw responseInvalid(ctx, 'the answer is not JSON');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw responseInvalid(
        ctx,
        issue === undefined
          ? 'the answer does not match the API'
          : `${issue.path.map(String).join('.') || 'the answer'}: ${issue.message}`,
      );
    }
    return parsed.data;
  }
}

/** `path?k=v&…` with the defined values. */
export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

function responseInvalid(ctx: RequestContext, why: string): RampartError {
  return new RampartError(
    'CLIENT_RESPONSE_INVALID',
    `${ctx.method} ${ctx.url}${ctx.path} answered with something other than the API response (${why})`,
    {
      source: 'system',
      hint: `Check that ${ctx.url} is \`rampart server\`, and that it runs the same Rampart version as this CLI.`,
    },
  );
}
