/**
 * `rebuild_when_changed`: the last successful build is reused when no listed path changed between
 * its commit and this one (`git diff --name-only --no-renames <previous> <this> -- <paths>`) and
 * its copy is still stored. Every other case builds, and the log says why.
 */
import type { BuildResult } from '@rampart/engine';
import { shortSha } from './artifact-names.js';
import { defaultBaseEnv, type BuildContext } from './build-context.js';
import { runCommand } from './run-command.js';

/** Changed files named in the log before "and N more". */
const LISTED_CHANGES = 5;

/** Runs git quietly; its stdout lines, or undefined when it fails. */
async function git(
  context: BuildContext,
  dir: string,
  args: readonly string[],
): Promise<string[] | undefined> {
  const lines: string[] = [];
  const outcome = await runCommand({
    command: 'git',
    args,
    cwd: dir,
    env: { ...(context.options.baseEnv ?? defaultBaseEnv()), GIT_TERMINAL_PROMPT: '0' },
    signal: context.request.signal,
    onLine: (text, stream) => {
      if (stream === 'stdout' && text !== '') lines.push(text);
    },
  });
  if (outcome.kind === 'cancelled') throw context.cancelled();
  return outcome.kind === 'exited' && outcome.code === 0 ? lines : undefined;
}

/** A `rebuild_when_changed` entry as a pathspec relative to the repository root. */
function pathspec(path: string): string {
  const relative = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return relative === '' ? '.' : relative;
}

/**
 * The previous build's result when it can be reused, else undefined (after logging why it is
 * not). `stillStored` tells whether the previous copy (its fields) still exists.
 */
export async function reusablePreviousBuild(
  context: BuildContext,
  stillStored: (fields: Readonly<Record<string, string>>) => Promise<boolean>,
): Promise<BuildResult | undefined> {
  const { request, log } = context;
  const paths = request.artifact.rebuildWhenChanged;
  if (paths === undefined || paths.length === 0) return undefined;
  const previous = request.previous;
  const listed = paths.join(', ');
  if (previous === undefined) {
    log.write(`rebuild_when_changed (${listed}): no earlier successful build to reuse; building`);
    return undefined;
  }
  const what = `revision ${previous.revision} (commit ${shortSha(previous.commitSha)})`;
  if (previous.commitSha !== request.commitSha) {
    const workspace = await context.workspace();
    const dir =
      context.options.history === undefined
        ? workspace
        : await context.options.history(request, workspace);
    if ((await git(context, dir, ['rev-parse', '--git-dir'])) === undefined) {
      log.write(
        `cannot compare with ${what}: ${dir} is not a git repository (no history); building`,
      );
      return undefined;
    }
    for (const sha of [previous.commitSha, request.commitSha]) {
      if ((await git(context, dir, ['cat-file', '-e', `${sha}^{commit}`])) === undefined) {
        log.write(
          `cannot compare with ${what}: commit ${shortSha(sha)} is not in the repository history; building`,
        );
        return undefined;
      }
    }
    const changed = await git(context, dir, [
      'diff',
      '--name-only',
      '--no-renames',
      previous.commitSha,
      request.commitSha,
      '--',
      ...paths.map(pathspec),
    ]);
    if (changed === undefined) {
      log.write(`cannot compare with ${what}: git diff failed; building`);
      return undefined;
    }
    if (changed.length > 0) {
      const more =
        changed.length > LISTED_CHANGES ? ` and ${changed.length - LISTED_CHANGES} more` : '';
      log.write(
        `changed under ${listed} since ${what}: ${changed.slice(0, LISTED_CHANGES).join(', ')}${more}; building`,
      );
      return undefined;
    }
  }
  if (!(await stillStored(previous.fields))) {
    log.write(`nothing changed under ${listed} since ${what}, but its copy is gone; building`);
    return undefined;
  }
  log.write(`reusing the build of ${what}: nothing changed under ${listed}`);
  return {
    fields: { ...previous.fields },
    reusedFrom: { revision: previous.revision, commitSha: previous.commitSha },
  };
}
