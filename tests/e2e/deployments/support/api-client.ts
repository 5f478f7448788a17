/** The HTTP API of a running server as the tests use it: typed answers, status kept. */
import type {
  BlockerListResponse,
  DeploymentDetail,
  DeploymentResponse,
  EventListResponse,
  OperationRequest,
  RollbackListResponse,
  StartDeploymentRequest,
  StartDeploymentResponse,
} from '@rampart/protocol';

/** An answer: the status and the parsed body. */
export interface ApiAnswer<T> {
  status: number;
  body: T;
}

export class ApiClient {
  constructor(
    /** The server's `http://host:port`. */
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Registers the pipeline `slug` of the git repository at `location`; throws unless 201. */
  async register(slug: string, location: string): Promise<void> {
    const answer = await this.call('POST', '/pipelines', {
      slug,
      source: { kind: 'git', location },
    });
    if (answer.status !== 201) throw new Error(`register ${slug}: ${JSON.stringify(answer)}`);
  }

  /** Starts a deployment; throws unless 201. Returns its revision. */
  async deploy(slug: string, request: StartDeploymentRequest = {}): Promise<number> {
    const answer = await this.call<StartDeploymentResponse>(
      'POST',
      `/pipelines/${slug}/deployments`,
      request,
    );
    if (answer.status !== 201) throw new Error(`deploy ${slug}: ${JSON.stringify(answer)}`);
    return answer.body.deployment.revision;
  }

  async deployment(slug: string, revision: number): Promise<DeploymentDetail> {
    const answer = await this.call<DeploymentResponse>(
      'GET',
      `/pipelines/${slug}/deployments/${revision}`,
    );
    if (answer.status !== 200) {
      throw new Error(`deployment ${slug}:${revision}: ${JSON.stringify(answer)}`);
    }
    return answer.body.deployment;
  }

  /** Runs an operation; the answer is returned whatever its status (refusals are 409). */
  operate(slug: string, operation: OperationRequest): Promise<ApiAnswer<unknown>> {
    return this.call('POST', `/pipelines/${slug}/operations`, operation);
  }

  async blockers(slug: string): Promise<BlockerListResponse['blockers']> {
    return (await this.call<BlockerListResponse>('GET', `/pipelines/${slug}/blockers`)).body
      .blockers;
  }

  async rollbacks(slug: string): Promise<RollbackListResponse['rollbacks']> {
    return (await this.call<RollbackListResponse>('GET', `/pipelines/${slug}/rollbacks`)).body
      .rollbacks;
  }

  /** Event types of one deployment, oldest first. */
  async eventTypes(slug: string, revision: number): Promise<string[]> {
    const answer = await this.call<EventListResponse>(
      'GET',
      `/pipelines/${slug}/deployments/${revision}/events?limit=1000`,
    );
    return answer.body.events.map((e) => (e.stage === undefined ? e.type : `${e.type} ${e.stage}`));
  }
}
