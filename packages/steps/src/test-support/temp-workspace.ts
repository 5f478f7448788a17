/** Test helper: a throw-away directory standing for a revision's checkout, and its Workspaces port. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { WorkspaceRequest, Workspaces } from '../workspace/workspaces.js';

export interface TempWorkspace {
  root: string;
  workspaces: Workspaces;
  /** What the port was asked for. */
  requests: WorkspaceRequest[];
  remove(): void;
}

/** A directory holding `files` (path → text). */
export function tempWorkspace(files: Readonly<Record<string, string>> = {}): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'rampart-steps-ws-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  const requests: WorkspaceRequest[] = [];
  return {
    root,
    requests,
    workspaces: (request) => {
      requests.push(request);
      return Promise.resolve(root);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
