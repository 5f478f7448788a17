/**
 * The pipeline models the credential broker needs (stage account, region, role name): the model
 * of each pipeline's latest synthesized revision, or, after a restart, of its default branch.
 */
import {
  checkLoadedPipeline,
  discoverPipelines,
  loadPipeline,
  nodeFileSystem,
  RampartError,
  type OrganizationInfo,
  type PipelineModel,
} from '@rampart/core';
import type { StageTarget } from '@rampart/engine';
import type { PipelineRegistry } from '@rampart/store';
import { checkoutRevision } from '../sources/checkout-revision.js';

/** Options of {@link PipelineModels}. */
export interface PipelineModelsOptions {
  pipelines: Pick<PipelineRegistry, 'get'>;
  workDir: string;
  organization?: Partial<OrganizationInfo>;
}

export class PipelineModels {
  private readonly models = new Map<string, PipelineModel>();
  private readonly loading = new Map<string, Promise<PipelineModel | undefined>>();

  constructor(private readonly options: PipelineModelsOptions) {}

  /** Keeps the model of a revision just synthesized. */
  remember(model: PipelineModel): void {
    this.models.set(model.slug, model);
  }

  /** The broker's resolver: the model of the target's pipeline; undefined when it is not registered. */
  readonly resolve = (target: StageTarget): Promise<PipelineModel | undefined> => {
    const slug = target.pipelineSlug;
    const known = this.models.get(slug);
    if (known !== undefined) return Promise.resolve(known);
    let pending = this.loading.get(slug);
    if (pending === undefined) {
      pending = this.load(slug).finally(() => this.loading.delete(slug));
      this.loading.set(slug, pending);
    }
    return pending;
  };

  private async load(slug: string): Promise<PipelineModel | undefined> {
    const pipeline = await this.options.pipelines.get(slug);
    if (pipeline === undefined) return undefined;
    const checkout = await checkoutRevision(
      {
        kind: pipeline.sourceKind,
        location: pipeline.location,
        defaultBranch: pipeline.defaultBranch,
      },
      {},
      this.options.workDir,
    );
    try {
      const discovery = await discoverPipelines(checkout.dir, nodeFileSystem);
      const source = discovery.pipelines.find((p) => p.slug === slug);
      const model =
        source === undefined
          ? undefined
          : checkLoadedPipeline(await loadPipeline(source, nodeFileSystem), {
              ...(this.options.organization === undefined
                ? {}
                : { organization: this.options.organization }),
            }).model;
      if (model === undefined) {
        throw new RampartError(
          'AWS_CREDENTIALS_FAILED',
          `pipeline "${slug}" does not validate on its default branch ${pipeline.defaultBranch}, so its stage roles are unknown`,
          {
            source: 'system',
            hint: 'Fix the pipeline on its default branch, or release a revision that validates.',
          },
        );
      }
      this.models.set(slug, model);
      return model;
    } finally {
      await checkout.release();
    }
  }
}
