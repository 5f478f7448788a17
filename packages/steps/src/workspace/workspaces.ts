/** Where a deployment's files come from, as a port: the server implements it with its git checkout. */

/** The deployment whose revision's files a step needs. */
export interface WorkspaceRequest {
  id: string;
  commitSha: string;
  /** @default absent (the server looks the deployment up by id) */
  pipelineSlug?: string;
}

/**
 * Returns the directory holding the files of the deployment's revision (the repository root at
 * `commitSha`). Steps run commands inside it and never outside.
 */
export type Workspaces = (deployment: WorkspaceRequest) => Promise<string>;
