/**
 * What one build's handlers share: the request, its params with secrets resolved, the log, the
 * destination's credentials and clients, a private temporary directory, and a command runner
 * that turns a failed command into an error quoting the log.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { S3Client } from '@aws-sdk/client-s3';
import { RampartError } from '@rampart/core';
import type { BuildRequest, StageCredentials } from '@rampart/engine';
import type { ArtifactBuilderOptions } from './artifact-builder-options.js';
import type { BuildLog } from './build-log.js';
import type { BuildParams } from './build-params.js';
import { describeOutcome, runCommand } from './run-command.js';
import { ecrLogin, type EcrLogin } from './ecr-registry.js';

/** A command a build runs; see {@link BuildContext.run}. */
export interface BuildCommand {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** What it does, for the error message: `the build commands`, `buildah push`. */
  what: string;
  /** Not written to the log before it runs (it is written by the caller, or holds nothing useful). */
  quiet?: boolean;
}

/** The default variables of every command: the server's PATH and a UTF-8 locale. */
export function defaultBaseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' };
}

/** The shared state of one build. */
export class BuildContext {
  private temp: string | undefined;
  private readonly logins = new Map<string, Promise<EcrLogin>>();

  constructor(
    readonly request: BuildRequest,
    readonly params: BuildParams,
    readonly log: BuildLog,
    readonly options: ArtifactBuilderOptions,
    readonly credentials: StageCredentials,
  ) {}

  /** The destination's account and region. */
  get destination(): BuildRequest['artifact']['destination'] {
    return this.request.artifact.destination;
  }

  /** The checkout of the deployment's commit. */
  workspace(): Promise<string> {
    return this.options.workspaces({
      id: this.request.deploymentId,
      commitSha: this.request.commitSha,
      pipelineSlug: this.request.pipelineSlug,
    });
  }

  /** An S3 client with the build's credentials in `region`. @default the destination's region */
  s3(region = this.destination.region): S3Client {
    return this.options.sdk.s3({ region, credentials: this.credentials });
  }

  /** An ECR client with the build's credentials in `region`. */
  ecr(region: string): ECRClient {
    return this.options.sdk.ecr({ region, credentials: this.credentials });
  }

  /** The registry login of the build's credentials in `region` (one per region and build). */
  login(region = this.destination.region): Promise<EcrLogin> {
    let login = this.logins.get(region);
    if (login === undefined) {
      login = ecrLogin(this.ecr(region), this.request.signal);
      this.logins.set(region, login);
    }
    return login;
  }

  /** A private directory (mode 0700) for this build, removed by {@link dispose}. */
  async tempDir(): Promise<string> {
    if (this.temp === undefined) {
      const parent = join(this.options.workDir, 'tmp');
      await mkdir(parent, { recursive: true, mode: 0o700 });
      this.temp = await mkdtemp(join(parent, `${this.request.artifact.id}-`));
    }
    return this.temp;
  }

  /** Removes what the build left in its temporary directory. */
  async dispose(): Promise<void> {
    if (this.temp !== undefined) await rm(this.temp, { recursive: true, force: true });
  }

  /** The error for a build stopped by its signal. */
  cancelled(): RampartError {
    return this.log.failure(
      'ARTIFACT_BUILD_CANCELLED',
      `the build of artifact "${this.request.artifact.name}" was cancelled`,
      { source: 'system', hint: 'Deploy again; the build starts over under the same names.' },
    );
  }

  /** Throws {@link cancelled} when the build's signal has fired. */
  throwIfCancelled(): void {
    if (this.request.signal.aborted) throw this.cancelled();
  }

  /**
   * Runs a command with its output streamed to the log; a command that fails (or cannot start)
   * throws ARTIFACT_BUILD_FAILED quoting the last lines, and an abort ARTIFACT_BUILD_CANCELLED.
   */
  async run(spec: BuildCommand): Promise<void> {
    this.throwIfCancelled();
    if (spec.quiet !== true) this.log.write(`$ ${[spec.command, ...spec.args].join(' ')}`);
    const outcome = await runCommand({
      command: spec.command,
      args: spec.args,
      cwd: spec.cwd,
      env: spec.env,
      signal: this.request.signal,
      ...(this.options.killGraceMs === undefined ? {} : { killGraceMs: this.options.killGraceMs }),
      onLine: (text, stream) => this.log.write(text, stream),
    });
    if (outcome.kind === 'exited' && outcome.code === 0) return;
    if (outcome.kind === 'cancelled') throw this.cancelled();
    if (outcome.kind === 'spawn-failed' && outcome.missing) {
      throw new RampartError(
        'ARTIFACT_BUILDER_UNAVAILABLE',
        `${spec.what} cannot run: "${spec.command}" is not installed on this control plane (${outcome.message})`,
        { source: 'system', hint: `Install ${spec.command} on the control plane host.` },
      );
    }
    throw this.log.failure(
      'ARTIFACT_BUILD_FAILED',
      `artifact "${this.request.artifact.name}": ${spec.what} failed (${describeOutcome(outcome)})`,
      {
        source: 'user',
        hint: 'Read the build log (its last lines are above), fix the build in the repository, and deploy again.',
      },
    );
  }
}
