/**
 * The steps' Workspaces port over git checkouts: each deployment gets its revision's files in a
 * directory of its own under `<data_dir>/work`, checked out on first use and removed when the
 * deployment ends (a later rollback to it checks it out again).
 */
import { RampartError } from '@rampart/core';
import type { PipelineRegistry } from '@rampart/store';
import type { WorkspaceRequest } from '@rampart/steps';
import {
  checkoutRevision,
  sourceRepository,
  type CheckedOutRevision,
} from '../sources/checkout-revision.js';

/** Options of {@link CheckoutWorkspaces}. */
export interface CheckoutWorkspacesOptions {
  pipelines: Pick<PipelineRegistry, 'get'>;
  workDir: string;
  /** Finds the pipeline of a deployment the request does not name one for. */
  pipelineOf: (deploymentId: string) => Promise<string | undefined>;
}

export class CheckoutWorkspaces {
  private readonly checkouts = new Map<string, Promise<CheckedOutRevision>>();

  constructor(private readonly options: CheckoutWorkspacesOptions) {}

  /** The Workspaces port: the directory of the deployment's revision. */
  readonly get = async (request: WorkspaceRequest): Promise<string> => {
    let checkout = this.checkouts.get(request.id);
    if (checkout === undefined) {
      checkout = this.checkOut(request);
      this.checkouts.set(request.id, checkout);
      // A failed checkout is not kept: the next step of the deployment tries again.
      checkout.catch(() => this.checkouts.delete(request.id));
    }
    return (await checkout).dir;
  };

  /**
   * The git repository holding the history of the deployment's pipeline (for
   * `rebuild_when_changed`): checkouts are plain files, this has the commits.
   */
  readonly history = async (request: WorkspaceRequest): Promise<string> => {
    // The checkout fetches the mirror first, so both commits are in it afterwards.
    await this.get(request);
    const pipeline = await this.pipelineFor(request);
    return sourceRepository(
      { kind: pipeline.sourceKind, location: pipeline.location },
      this.options.workDir,
    );
  };

  /** Removes the deployment's checkout, if it has one. */
  async release(deploymentId: string): Promise<void> {
    const checkout = this.checkouts.get(deploymentId);
    if (checkout === undefined) return;
    this.checkouts.delete(deploymentId);
    const done = await checkout.catch(() => undefined);
    await done?.release();
  }

  /** Removes every checkout (the server is stopping). */
  async releaseAll(): Promise<void> {
    await Promise.allSettled([...this.checkouts.keys()].map((id) => this.release(id)));
  }

  private async pipelineFor(request: WorkspaceRequest) {
    const slug = request.pipelineSlug ?? (await this.options.pipelineOf(request.id));
    const pipeline = slug === undefined ? undefined : await this.options.pipelines.get(slug);
    if (pipeline === undefined) {
      throw new RampartError(
        'SOURCE_UNAVAILABLE',
        `deployment ${request.id}: its pipeline${slug === undefined ? '' : ` "${slug}"`} is no longer registered, so its files cannot be checked out`,
        { source: 'system', hint: 'Register the pipeline again with its repository.' },
      );
    }
    return pipeline;
  }

  private async checkOut(request: WorkspaceRequest): Promise<CheckedOutRevision> {
    const pipeline = await this.pipelineFor(request);
    return checkoutRevision(
      {
        kind: pipeline.sourceKind,
        location: pipeline.location,
        defaultBranch: pipeline.defaultBranch,
      },
      { sha: request.commitSha },
      this.options.workDir,
    );
  }
}
