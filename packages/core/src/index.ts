/** @rampart/core: what a pipeline is. Pure: no AWS, databases, HTTP or clocks. */
export * from './errors/index.js';
export * from './expressions/index.js';
export * from './windows/index.js';
export * from './naming/index.js';
export * from './aws-facts/index.js';
export * from './step-types/index.js';
export * from './iam/index.js';
export { nearest } from './text/nearest.js';
export { mapBounded } from './async/map-bounded.js';
export type { FileSystem, DirEntry, FileStat } from './discovery/file-system.js';
export { nodeFileSystem } from './discovery/node-file-system.js';
export {
  discoverPipelines,
  type PipelineSource,
  type PipelineFolder,
  type Discovery,
} from './discovery/discover-pipelines.js';
export { decodeSource, formatBytes } from './loader/decode-source.js';
export { MAX_FILE_BYTES, MAX_NESTING_DEPTH, MAX_EXPANDED_NODES } from './loader/limits.js';
export { loadYaml, type LoadedYaml } from './loader/load-yaml.js';
export { PositionIndex, type DataPath } from './loader/position-index.js';
export * from './schema/pipeline-schema.js';
export * from './schema/policy-schema.js';
export { pipelineJsonSchema } from './schema/json-schema.js';
export { loadPipeline, parsePipelineText, type LoadedPipeline } from './model/load-pipeline.js';
export type * from './model/pipeline-model.js';
export {
  buildScope,
  declaredOutputs,
  type OrganizationInfo,
  type TriggerInfo,
  type ScopeInputs,
  type ScopePlace,
} from './model/expression-scope.js';
export {
  resolveStage,
  resolveArtifact,
  type ResolvedStage,
  type ResolvedStep,
  type ResolvedArtifact,
} from './model/resolve-stage.js';
export {
  validateRepository,
  checkLoadedPipeline,
  type PipelineValidation,
  type RepositoryValidation,
} from './model/validate-pipeline.js';
export {
  findCycle,
  topologicalOrder,
  upstreamSets,
  levels,
  withoutNodes,
} from './model/step-graph.js';
export { planPipeline, type PlanOptions } from './planner/plan-pipeline.js';
export type * from './planner/pipeline-plan.js';
export * from './config/control-plane-config.js';
