// IAM for registry requests: each operation is authorized as the token's principal on the
// repository ARN, with the repository policy as resource policy, exactly as the ECR API does.
// Decisions are cached for the length of one request (a mount or a monolithic upload checks
// several actions, some of them twice).
import type { Caller } from '../auth/caller.js';
import { AwsError, CommonError } from '../framework/aws-error.js';
import { authorizeCaller, createContext } from '../framework/dispatcher.js';
import type { SandboxHttpRequest } from '../framework/http.js';
import { Input } from '../framework/input.js';
import type { SandboxRuntime } from '../framework/runtime.js';
import type { ActionContext } from '../framework/service.js';
import { repositoryTargetOf } from '../services/ecr/ecr-access.js';
import { ECR_SERVICE, findRepository } from '../services/ecr/ecr-state.js';
import { OciError } from './oci-error.js';
import type { RegistryName } from './registry-routes.js';

/** Authorizes one request's IAM checks, remembering each decision until the request ends. */
export class RegistryAccess {
  private readonly decisions = new Map<string, Promise<boolean>>();
  private readonly contexts = new Map<string, ActionContext>();

  constructor(
    private readonly runtime: SandboxRuntime,
    private readonly request: SandboxHttpRequest,
    private readonly requestId: string,
    private readonly caller: Caller,
    private readonly operation: string,
  ) {}

  /** Whether the caller may perform `iamAction` on a repository (existing or not). */
  allows(iamAction: string, name: RegistryName): Promise<boolean> {
    const key = `${iamAction} ${name.full}`;
    let decision = this.decisions.get(key);
    if (decision === undefined) {
      decision = this.decide(iamAction, name);
      this.decisions.set(key, decision);
    }
    return decision;
  }

  /** Throws `DENIED` (403) unless the caller may perform every action on the repository. */
  async require(name: RegistryName, ...iamActions: string[]): Promise<void> {
    for (const iamAction of iamActions) {
      if (!(await this.allows(iamAction, name))) {
        throw new OciError(
          'DENIED',
          403,
          `User: ${this.caller.arn} is not authorized to perform: ${iamAction} on resource: ${this.arnOf(name)}`,
        );
      }
    }
  }

  private arnOf(name: RegistryName): string {
    return `arn:aws:ecr:${name.region}:${name.accountId}:repository/${name.repositoryName}`;
  }

  private context(region: string): ActionContext {
    let ctx = this.contexts.get(region);
    if (!ctx) {
      const service = this.runtime.services.get(ECR_SERVICE);
      if (!service) throw new OciError('UNAVAILABLE', 503, 'the sandbox runs without ECR');
      ctx = createContext(this.runtime, {
        service,
        action: this.operation,
        input: new Input({}),
        request: this.request,
        requestId: this.requestId,
        region,
        caller: this.caller,
      });
      this.contexts.set(region, ctx);
    }
    return ctx;
  }

  private async decide(iamAction: string, name: RegistryName): Promise<boolean> {
    const repository = findRepository(
      this.runtime,
      name.accountId,
      name.region,
      name.repositoryName,
    );
    const target = repositoryTargetOf(name.accountId, name.region, name.repositoryName, repository);
    try {
      await authorizeCaller(this.runtime, this.context(name.region), iamAction, target, {});
      return true;
    } catch (error: unknown) {
      if (error instanceof CommonError && error.kind === 'AccessDenied') return false;
      if (error instanceof AwsError) throw new OciError('UNKNOWN', 500, error.message);
      throw error;
    }
  }
}
