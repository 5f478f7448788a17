/** The pipelines a server knows: where each one's repository is and which branch releases by default. */

/** Where a registered pipeline's repository comes from. */
export type PipelineSourceKind = 'path' | 'git';

/** Every {@link PipelineSourceKind}. */
export const PIPELINE_SOURCE_KINDS: readonly PipelineSourceKind[] = ['path', 'git'];

/** A registered pipeline. */
export interface RegisteredPipeline {
  /** The pipeline's folder name; its id everywhere else. */
  slug: string;
  sourceKind: PipelineSourceKind;
  /** A directory on the server (`path`) or a clone URL (`git`). */
  location: string;
  /** The branch `rampart release` uses when none is named. */
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
}

/** What {@link PipelineRegistry.register} needs. */
export interface PipelineRegistration {
  slug: string;
  sourceKind: PipelineSourceKind;
  location: string;
  /** @default 'main' */
  defaultBranch?: string;
}

/** Fields {@link PipelineRegistry.update} may change. */
export type PipelineChanges = Partial<
  Pick<RegisteredPipeline, 'sourceKind' | 'location' | 'defaultBranch'>
>;

/** The registry of pipelines. */
export interface PipelineRegistry {
  /** Registers a pipeline; throws `STORE_PIPELINE_EXISTS` when the slug is taken. */
  register(registration: PipelineRegistration): Promise<RegisteredPipeline>;
  /** Changes a registered pipeline; undefined when the slug is not registered. */
  update(slug: string, changes: PipelineChanges): Promise<RegisteredPipeline | undefined>;
  get(slug: string): Promise<RegisteredPipeline | undefined>;
  /** Every registered pipeline, by slug. */
  list(): Promise<RegisteredPipeline[]>;
  /** Forgets a pipeline (its deployments and events stay); false when it was not registered. */
  remove(slug: string): Promise<boolean>;
}
