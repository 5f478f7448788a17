/**
 * The demo talks to its server the way any client does: over the HTTP API with a bearer token,
 * parsing every answer with the protocol's schemas, and following the event stream (SSE).
 */
import { randomUUID } from 'node:crypto';
import { RampartError } from '@rampart/core';
import {
  apiErrorBodySchema,
  apiPaths,
  deploymentResponseSchema,
  engineEventSchema,
  eventListResponseSchema,
  pipelineResponseSchema,
  rollbackListResponseSchema,
  SSE_EVENTS,
  SSE_MEDIA_TYPE,
  SseParser,
  startDeploymentResponseSchema,
  stepResponseSchema,
  type DeploymentDetail,
  type EngineEventInfo,
  type RollbackInfo,
  type StartDeploymentResponse,
  type StepDetail,
} from '@rampart/protocol';

interface Schema<T> {
  parse(value: unknown): T;
}

/** How long a dropped event stream waits before it reconnects (real time). */
const RECONNECT_MS = 250;

/** A client of the demo's server. */
export class DemoApi {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  async registerPipeline(slug: string, repositoryDir: string): Promise<void> {
    await this.call('POST', apiPaths.pipelines(), pipelineResponseSchema, {
      slug,
      source: { kind: 'path', location: repositoryDir },
    });
  }

  startDeployment(
    slug: string,
    request: { sha: string; reason: string },
  ): Promise<StartDeploymentResponse> {
    return this.call('POST', apiPaths.deployments(slug), startDeploymentResponseSchema, {
      ...request,
      trigger: 'demo',
      requestId: randomUUID(),
    });
  }

  async deployment(slug: string, revision: number): Promise<DeploymentDetail> {
    const out = await this.call(
      'GET',
      apiPaths.deployment(slug, revision),
      deploymentResponseSchema,
    );
    return out.deployment;
  }

  async step(slug: string, revision: number, stage: string, step: string): Promise<StepDetail> {
    const out = await this.call(
      'GET',
      apiPaths.step(slug, revision, stage, step),
      stepResponseSchema,
    );
    return out.step;
  }

  async rollbacks(slug: string): Promise<RollbackInfo[]> {
    return (await this.call('GET', apiPaths.rollbacks(slug), rollbackListResponseSchema)).rollbacks;
  }

  /** Every stored event of the pipeline, oldest first. */
  async events(slug: string): Promise<EngineEventInfo[]> {
    const events: EngineEventInfo[] = [];
    for (let after = 0; ;) {
      const page = await this.call(
        'GET',
        `${apiPaths.pipelineEvents(slug)}?after=${after}&limit=1000`,
        eventListResponseSchema,
      );
      events.push(...page.events);
      if (page.events.length === 0 || page.next === after) return events;
      after = page.next;
    }
  }

  /**
   * Follows the pipeline's event stream until `signal` aborts, calling `onEvent` for each event
   * once, in order; a dropped connection resumes after the last event seen.
   */
  async followEvents(
    slug: string,
    onEvent: (event: EngineEventInfo) => void,
    signal: AbortSignal,
  ): Promise<void> {
    let lastId: string | undefined;
    while (!signal.aborted) {
      try {
        const response = await fetch(`${this.url}${apiPaths.pipelineEvents(slug)}`, {
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: SSE_MEDIA_TYPE,
            ...(lastId === undefined ? {} : { 'last-event-id': lastId }),
          },
          signal,
        });
        if (!response.ok || response.body === null) {
          throw new Error(`the event stream answered ${response.status}`);
        }
        const parser = new SseParser();
        const decoder = new TextDecoder();
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          for (const message of parser.push(decoder.decode(read.value, { stream: true }))) {
            if (message.event !== SSE_EVENTS.engineEvent) continue;
            onEvent(engineEventSchema.parse(JSON.parse(message.data)));
          }
          lastId = parser.lastEventId ?? lastId;
        }
      } catch {
        // A dropped or refused stream is opened again below, after the last event seen.
        if (signal.aborted) return;
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  }

  private async call<T>(
    method: string,
    path: string,
    schema: Schema<T>,
    body?: unknown,
  ): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = apiErrorBodySchema.safeParse(json);
      const detail = error.success
        ? `${error.data.error.code}: ${error.data.error.message}`
        : `status ${response.status}`;
      throw new RampartError('DEMO_SETUP_FAILED', `${method} ${path} was refused (${detail})`, {
        source: 'system',
        hint: 'The demo server refused a request the demo makes; report it with the output.',
      });
    }
    return schema.parse(json);
  }
}
