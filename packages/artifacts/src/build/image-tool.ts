/**
 * Which program builds images on this host: `docker buildx` when a Docker engine is reachable
 * (`docker info` succeeds), else `buildah` (daemonless), unless configured. Detected once per
 * builder and kept.
 */
import { RampartError } from '@rampart/core';
import type { ImageBuilderChoice } from './artifact-builder-options.js';
import { runCommand } from './run-command.js';

/** A program that builds images. */
export type ImageTool = 'buildah' | 'docker';

/** How long `docker info` may take before Docker counts as unreachable. */
const PROBE_TIMEOUT_MS = 10_000;

async function succeeds(command: string, args: string[], env: Record<string, string>) {
  const outcome = await runCommand({
    command,
    args,
    cwd: '/',
    env,
    signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    killGraceMs: 1_000,
    onLine: () => undefined,
  });
  return outcome.kind === 'exited' && outcome.code === 0;
}

/** Picks the image tool on first use; see the module comment. */
export class ImageToolSelector {
  private selected: Promise<ImageTool> | undefined;

  constructor(
    private readonly choice: ImageBuilderChoice,
    private readonly env: Record<string, string>,
  ) {}

  /** The tool to use; rejects with ARTIFACT_BUILDER_UNAVAILABLE when there is none. */
  select(): Promise<ImageTool> {
    if (this.selected === undefined) {
      const selected = this.detect();
      this.selected = selected;
      // A failed detection is not kept: installing buildah must not need a restart.
      void selected.catch(() => {
        if (this.selected === selected) this.selected = undefined;
      });
    }
    return this.selected;
  }

  private async detect(): Promise<ImageTool> {
    const docker = async () =>
      (await succeeds('docker', ['info'], this.env)) &&
      (await succeeds('docker', ['buildx', 'version'], this.env));
    const buildah = () => succeeds('buildah', ['--version'], this.env);
    if (this.choice === 'docker') {
      if (await docker()) return 'docker';
      throw unavailable(
        'the image builder is "docker", but `docker info` or `docker buildx version` fails',
      );
    }
    if (this.choice === 'buildah') {
      if (await buildah()) return 'buildah';
      throw unavailable('the image builder is "buildah", but `buildah --version` fails');
    }
    if (await docker()) return 'docker';
    if (await buildah()) return 'buildah';
    throw unavailable(
      'no Docker engine is reachable (`docker info` fails) and buildah is not installed',
    );
  }
}

function unavailable(why: string): RampartError {
  return new RampartError('ARTIFACT_BUILDER_UNAVAILABLE', `cannot build images: ${why}`, {
    source: 'system',
    hint: 'Install buildah on the control plane host (`apt-get install buildah`), or run a Docker engine with the buildx plugin.',
  });
}
