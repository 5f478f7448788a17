// Paths that AWS steps read from the revision's files (a CloudFormation template, a folder to
// upload): relative to the repository root and never leading out of it.
import type { StepContext } from '@rampart/engine';
import { realWorkspacePath, workspacePath } from '../workspace/workspace-path.js';
import type { WorkspaceRequest, Workspaces } from '../workspace/workspaces.js';

/** A checked path, or why it is refused. */
export type RevisionPath =
  { ok: true; path: string; root: string } | { ok: false; message: string };

/** The workspace request of the deployment a step runs in. */
export function workspaceRequest(ctx: StepContext<unknown>): WorkspaceRequest {
  return {
    id: ctx.deployment.id,
    commitSha: ctx.deployment.commitSha,
    pipelineSlug: ctx.target.pipelineSlug,
  };
}

/**
 * Resolves `path` (the param `what`) in the checkout of `request` and checks on disk that it is a
 * `kind` inside the repository, with symbolic links followed.
 */
export async function revisionPath(
  workspaces: Workspaces,
  request: WorkspaceRequest,
  path: string,
  kind: 'directory' | 'file',
  what: string,
): Promise<RevisionPath> {
  const checkout = await workspaces(request);
  const root = await realWorkspacePath(
    checkout,
    checkout,
    'directory',
    `the checkout of ${request.commitSha}`,
  );
  if (!root.ok) return root;
  const lexical = workspacePath(root.path, root.path, path, what);
  if (!lexical.ok) return lexical;
  const real = await realWorkspacePath(
    root.path,
    lexical.path,
    kind,
    `${what} ${JSON.stringify(path)}`,
  );
  return real.ok ? { ok: true, path: real.path, root: root.path } : real;
}
