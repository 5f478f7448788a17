// CloudFormation waits for some resources to settle after their create or update call returned
// (an ECS service until its rollout completes): the graph node stays in progress until the
// provider's `stabilize` says the resource is ready or failed.
import type {
  ExistingResource,
  ProviderContext,
  ResourceProvider,
} from '../resources/resource-provider.js';
import { failureReason, type OperationEnv } from './operation-env.js';
import type { NodeStart } from './run-graph.js';

/**
 * The `stabilize` of a graph node for a provider that has one (none otherwise). A failure's
 * reason goes into `reasons` under the node's id.
 */
export function stabilizeNode(
  env: OperationEnv,
  provider: ResourceProvider | undefined,
  node: {
    id: string;
    context: ProviderContext;
    lastService: () => string | undefined;
    resource: () => ExistingResource;
    reasons: Map<string, string>;
  },
): Pick<NodeStart, 'stabilize'> {
  if (provider?.stabilize === undefined) return {};
  return {
    stabilize: async (at) => {
      try {
        const found = await provider.stabilize?.(node.context, node.resource(), at);
        if (found === undefined || found.state === 'ready') return true;
        if (found.state === 'waiting') return found.checkAt;
        node.reasons.set(node.id, found.reason);
        return false;
      } catch (error: unknown) {
        node.reasons.set(node.id, failureReason(env, node.id, node.lastService(), error));
        return false;
      }
    },
  };
}
