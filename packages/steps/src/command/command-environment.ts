// The environment a step's command runs with: nothing of the server's own environment but a
// minimal base, the step's `env`, the stage credentials and the `RAMPART_*` contract.
import type { StageCredentials } from '@rampart/engine';

/** What {@link commandEnvironment} builds from. */
export interface CommandEnvironmentInput {
  /** PATH, LANG and whatever else every command gets. */
  base: Record<string, string>;
  /** The step's `env` param. */
  env: Record<string, string>;
  /** A fresh, empty directory: tools that write to `~` never touch the server's home. */
  home: string;
  credentials: StageCredentials;
  region: string;
  /** The AWS endpoint override (the sandbox). @default absent: real AWS */
  endpointUrl?: string;
  /** The file named by `$RAMPART_OUTPUT`. @default absent (no outputs are read) */
  outputFile?: string;
  deployment: { id: string; revision: number; commitSha: string };
  pipelineSlug: string;
  stage: string;
}

/** The default base: the server's PATH and a UTF-8 locale. */
export function defaultBaseEnvironment(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' };
}

/**
 * The complete environment. Later layers win: base, then `HOME`, then the step's `env` (which
 * may change `AWS_REGION`, `PATH`, … but never the credentials, as its schema refuses them), then
 * the credentials and `RAMPART_*` variables.
 */
export function commandEnvironment(input: CommandEnvironmentInput): Record<string, string> {
  const { credentials } = input;
  return {
    ...input.base,
    HOME: input.home,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    ...(input.endpointUrl === undefined ? {} : { AWS_ENDPOINT_URL: input.endpointUrl }),
    ...input.env,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined
      ? {}
      : { AWS_SESSION_TOKEN: credentials.sessionToken }),
    ...(input.outputFile === undefined ? {} : { RAMPART_OUTPUT: input.outputFile }),
    RAMPART_DEPLOYMENT_ID: input.deployment.id,
    RAMPART_REVISION: String(input.deployment.revision),
    RAMPART_COMMIT: input.deployment.commitSha,
    RAMPART_PIPELINE: input.pipelineSlug,
    RAMPART_STAGE: input.stage,
  };
}
