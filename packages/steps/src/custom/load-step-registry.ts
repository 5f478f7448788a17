// Loads a step registry for the server: a private copy (a folder) or a checkout at a commit (git),
// built with `npm run build-step-registry`, then asked for its metadata. Git builds are cached by
// commit, with their metadata, so a restart on the same commit builds nothing.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { RampartError } from '@rampart/core';
import { defaultBaseEnvironment } from '../command/command-environment.js';
import { runProcess } from '../process/run-process.js';
import { parseRegistryMetadata, type CustomStepDefinition } from './registry-metadata.js';
import { runStepProgram, START_SCRIPT, type StepProgramOutcome } from './step-program.js';
import { describeRegistrySource, type StepRegistrySource } from './step-registry-source.js';

/** The npm script that builds a registry. */
export const BUILD_SCRIPT = 'build-step-registry';
/** Beside a cached git build: the metadata it synthesized. */
export const METADATA_CACHE_FILE = '.rampart-step-registry.json';

/** Options of {@link loadStepRegistry}. */
export interface LoadStepRegistryOptions {
  /** Where copies, checkouts and builds are kept (the server uses `data_dir/step-registries`). */
  cacheDir: string;
  /** Relative `path` sources are resolved against it. @default process.cwd() */
  baseDir?: string;
  /** PATH, LANG and whatever else the build and the programs get. @default the server's PATH and LANG=C.UTF-8 */
  baseEnv?: Record<string, string>;
  /** How npm is started. @default 'npm' */
  npmCommand?: string;
  /** How long the build may run. @default 600000 (10 minutes) */
  buildTimeoutMs?: number;
  /** How long the metadata job may run. @default 120000 */
  metadataTimeoutMs?: number;
  /** Each line the build and the metadata job write. @default ignored */
  onLog?: (line: string) => void;
}

/** A built registry and its step types. */
export interface LoadedStepRegistry {
  /** The source as configured, for messages (`path`, or `URL@ref`). */
  source: string;
  /** The built folder the programs run in. */
  dir: string;
  /** The commit built (git sources). */
  commit?: string;
  steps: CustomStepDefinition[];
}

const run = promisify(execFile);
const TAIL_LINES = 15;

/**
 * Builds the registry and reads its metadata.
 * @throws RampartError `STEP_REGISTRY_UNAVAILABLE`, `STEP_REGISTRY_BUILD_FAILED`,
 *   `STEP_REGISTRY_METADATA_INVALID`
 */
export async function loadStepRegistry(
  source: StepRegistrySource,
  options: LoadStepRegistryOptions,
): Promise<LoadedStepRegistry> {
  const shown = describeRegistrySource(source);
  await mkdir(options.cacheDir, { recursive: true });
  if ('path' in source) {
    const from = resolve(options.baseDir ?? process.cwd(), source.path);
    await requireRegistryFolder(from, shown);
    // A private copy, rebuilt at every start: building never writes into someone's working folder.
    const dir = join(options.cacheDir, `path-${hashOf(from)}`);
    await rm(dir, { recursive: true, force: true });
    await cp(from, dir, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (path) => !path.slice(from.length).split(/[\\/]/).includes('.git'),
    });
    await build(dir, shown, options);
    const steps = await synthesizeMetadata(dir, shown, options);
    return { source: shown, dir, steps };
  }
  const { commit, repo } = await fetchCommit(source, shown, options.cacheDir);
  const dir = join(options.cacheDir, `git-${hashOf(source.git)}`, commit);
  const cached = await readCachedMetadata(dir);
  if (cached !== undefined) {
    const parsed = parseRegistryMetadata(cached);
    if (parsed.ok) return { source: shown, dir, commit, steps: parsed.steps };
  }
  await rm(dir, { recursive: true, force: true });
  const building = await mkdtemp(`${dir}.building-`);
  try {
    await git(['clone', '--quiet', '--no-checkout', repo, building], shown);
    await git(['-C', building, 'checkout', '--quiet', '--detach', commit], shown);
    await rm(join(building, '.git'), { recursive: true, force: true });
    await requireRegistryFolder(building, shown);
    await build(building, shown, options);
    // Synthesized in the folder it will run from: programs may record absolute paths.
    await rename(building, dir);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw error;
  }
  const { steps, raw } = await synthesizeMetadataRaw(dir, shown, options);
  await writeFile(join(dir, METADATA_CACHE_FILE), JSON.stringify(raw));
  return { source: shown, dir, commit, steps };
}

async function requireRegistryFolder(dir: string, shown: string): Promise<void> {
  let text: string;
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    text = await readFile(join(dir, 'package.json'), 'utf8');
  } catch {
    throw new RampartError(
      'STEP_REGISTRY_UNAVAILABLE',
      `step registry ${shown}: ${dir} is not a folder with a package.json`,
      {
        source: 'user',
        hint: 'Point step_registries at the folder holding the registry package.json.',
      },
    );
  }
  let scripts: unknown;
  try {
    scripts = (JSON.parse(text) as { scripts?: unknown }).scripts;
  } catch {
    scripts = undefined;
  }
  const missing = [BUILD_SCRIPT, START_SCRIPT].filter(
    (name) =>
      typeof scripts !== 'object' ||
      scripts === null ||
      typeof (scripts as Record<string, unknown>)[name] !== 'string',
  );
  if (missing.length > 0) {
    throw new RampartError(
      'STEP_REGISTRY_UNAVAILABLE',
      `step registry ${shown}: package.json has no ${missing.map((m) => `"${m}"`).join(' or ')} script`,
      {
        source: 'user',
        hint: 'A step registry defines both scripts: build-step-registry builds it, start-step-registry runs its step program.',
      },
    );
  }
}

async function build(dir: string, shown: string, options: LoadStepRegistryOptions): Promise<void> {
  const home = await mkdtemp(join(options.cacheDir, 'home-'));
  const tail: string[] = [];
  try {
    const ended = await runProcess({
      command: `${options.npmCommand ?? 'npm'} run ${BUILD_SCRIPT}`,
      cwd: dir,
      env: { ...(options.baseEnv ?? defaultBaseEnvironment()), HOME: home },
      timeoutMs: options.buildTimeoutMs ?? 600_000,
      onLine: ({ text }) => {
        options.onLog?.(text);
        tail.push(text);
        if (tail.length > TAIL_LINES) tail.shift();
      },
    });
    if (ended.kind === 'exited' && ended.code === 0) return;
    const how =
      ended.kind === 'exited'
        ? `exited with code ${ended.code}`
        : ended.kind === 'timed-out'
          ? `ran longer than ${ended.afterMs} ms and was stopped`
          : ended.kind === 'signaled'
            ? `was killed by ${ended.signal}`
            : ended.kind === 'spawn-failed'
              ? `could not start (${ended.message})`
              : 'was stopped';
    throw new RampartError(
      'STEP_REGISTRY_BUILD_FAILED',
      `step registry ${shown}: npm run ${BUILD_SCRIPT} ${how}${tail.length === 0 ? '' : `; last lines:\n  ${tail.join('\n  ')}`}`,
      {
        source: 'user',
        hint: `Run \`npm run ${BUILD_SCRIPT}\` in the registry and fix what fails; it must install its own dependencies.`,
      },
    );
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

async function synthesizeMetadata(
  dir: string,
  shown: string,
  options: LoadStepRegistryOptions,
): Promise<CustomStepDefinition[]> {
  return (await synthesizeMetadataRaw(dir, shown, options)).steps;
}

async function synthesizeMetadataRaw(
  dir: string,
  shown: string,
  options: LoadStepRegistryOptions,
): Promise<{ steps: CustomStepDefinition[]; raw: unknown }> {
  const input = { job: 'SYNTHESIZE-METADATA' };
  let raw: unknown;
  const outcome: StepProgramOutcome = await runStepProgram({
    dir,
    input,
    executionId: 'synthesize-metadata',
    env: options.baseEnv ?? defaultBaseEnvironment(),
    ...(options.npmCommand === undefined ? {} : { npmCommand: options.npmCommand }),
    timeoutMs: options.metadataTimeoutMs ?? 120_000,
    onLog: ({ text }) => options.onLog?.(text),
    onResultText: (text) => {
      try {
        raw = JSON.parse(text);
      } catch {
        raw = undefined;
      }
    },
  });
  const invalid = (problem: string) =>
    new RampartError('STEP_REGISTRY_METADATA_INVALID', `step registry ${shown}: ${problem}`, {
      source: 'user',
      hint: `Run \`npm run --silent ${START_SCRIPT} -- --input '{"job":"SYNTHESIZE-METADATA"}' --output result.json --log-dir logs --execution-id test\` in the built registry and check result.json (docs/custom-steps.md).`,
    });
  if (outcome.kind === 'failed' && raw === undefined) {
    throw invalid(`the metadata job failed: ${outcome.message}`);
  }
  const parsed = parseRegistryMetadata(raw);
  if (!parsed.ok) throw invalid(parsed.problem);
  return { steps: parsed.steps, raw };
}

async function readCachedMetadata(dir: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(dir, METADATA_CACHE_FILE), 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Clones or fetches the repository into the cache and resolves the ref to a commit. */
async function fetchCommit(
  source: { git: string; ref?: string },
  shown: string,
  cacheDir: string,
): Promise<{ commit: string; repo: string }> {
  const repo = join(cacheDir, `git-${hashOf(source.git)}`, 'repo.git');
  const exists = await stat(repo).then(
    () => true,
    () => false,
  );
  if (exists) {
    await git(['-C', repo, 'fetch', '--quiet', '--prune', '--tags', 'origin'], shown);
  } else {
    await mkdir(join(repo, '..'), { recursive: true });
    await git(['clone', '--quiet', '--mirror', source.git, repo], shown);
  }
  const ref = source.ref ?? 'HEAD';
  try {
    const { stdout } = await run('git', ['-C', repo, 'rev-parse', '--verify', `${ref}^{commit}`], {
      env: gitEnv(),
    });
    return { commit: stdout.trim(), repo };
  } catch {
    throw new RampartError(
      'STEP_REGISTRY_UNAVAILABLE',
      `step registry ${shown}: ref "${ref}" is not a branch, tag or commit of ${source.git}`,
      { source: 'user', hint: 'Set ref to an existing branch, tag or commit, or leave it out.' },
    );
  }
}

async function git(args: string[], shown: string): Promise<void> {
  try {
    await run('git', args, { env: gitEnv() });
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    const detail =
      typeof stderr === 'string' && stderr.trim() !== ''
        ? stderr.trim()
        : error instanceof Error
          ? error.message
          : String(error);
    throw new RampartError(
      'STEP_REGISTRY_UNAVAILABLE',
      `step registry ${shown}: git ${(args[0] === '-C' ? args[2] : args[0]) ?? ''} failed: ${detail}`,
      {
        source: 'user',
        hint: 'Check the git URL and that the server can fetch it without a password prompt.',
      },
    );
  }
}

function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0' };
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
