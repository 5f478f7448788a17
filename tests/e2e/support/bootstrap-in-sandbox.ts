/**
 * `rampart bootstrap` of a test repository against the sandbox, as an admin of its management
 * account would run it: every stack the repository's pipelines need, created for real.
 */
import {
  AwsClientFactory,
  bootstrapSettingsFrom,
  loadPipelines,
  runBootstrap,
  type BootstrapEvent,
} from '@rampart/aws';
import type { Sandbox } from '@rampart/aws-sandbox';
import type { ControlPlaneConfig } from '@rampart/core';

export interface BootstrapInSandboxInput {
  sandbox: Sandbox;
  /** The repository root holding `.rampart/`. */
  repoDir: string;
  /** The control plane's config, with the server's `issuer_url`. */
  config: ControlPlaneConfig;
  /** Whose credentials run bootstrap (it assumes OrganizationAccountAccessRole from there). */
  managementAccountId: string;
}

/**
 * Bootstraps and returns the events. Throws, naming what went wrong, when a pipeline does not load
 * or a stack fails.
 */
export async function bootstrapInSandbox(
  input: BootstrapInSandboxInput,
): Promise<BootstrapEvent[]> {
  const settings = bootstrapSettingsFrom(input.config);
  const loaded = await loadPipelines(input.repoDir, settings);
  if (loaded.errors.length > 0) {
    throw new Error(`the test pipelines do not load: ${JSON.stringify(loaded.errors)}`);
  }
  const events: BootstrapEvent[] = [];
  const outcome = await runBootstrap({
    settings,
    pipelines: loaded.pipelines,
    mode: 'deploy',
    sdk: new AwsClientFactory({
      endpointUrl: input.sandbox.endpoint,
      defaultCredentials: input.sandbox.credentialsFor(input.managementAccountId),
    }),
    emit: (e) => events.push(e),
    poller: { sleep: () => new Promise((r) => setImmediate(r)), intervalMs: 0 },
  });
  const failed = events.filter((e) => e.type === 'stack-failed');
  if (!outcome.ok || failed.length > 0) {
    throw new Error(`bootstrap failed: ${JSON.stringify(failed)}`);
  }
  return events;
}
