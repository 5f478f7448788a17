/**
 * Finds pipelines in a repository: `.rampart/<slug>/pipeline.y(a)ml` and
 * `.devramps/<slug>/pipeline.yaml`, each with its optional additional IAM policy file.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { DiagnosticBag, RampartError } from '../errors/index.js';
import type { FileSystem } from './file-system.js';

export type PipelineFolder = '.rampart' | '.devramps';

/** One pipeline found on disk, not read yet. */
export interface PipelineSource {
  slug: string;
  folder: PipelineFolder;
  /** Path of pipeline.yaml (as given or joined from the root). */
  file: string;
  /** aws_additional_iam_policies.json or .yaml beside it, when present (JSON wins). */
  policyFile?: string;
  /** The YAML policy file that was ignored because a JSON one exists. */
  shadowedPolicyFile?: string;
}

export interface Discovery {
  pipelines: PipelineSource[];
  diagnostics: DiagnosticBag;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

const pipelineFileNames: Record<PipelineFolder, readonly string[]> = {
  '.rampart': ['pipeline.yaml', 'pipeline.yml'],
  '.devramps': ['pipeline.yaml', 'pipeline.yml'],
};

/**
 * Discovers the pipelines under `path`: a repository root, or one pipeline file. Throws a
 * RampartError for a path that is missing, unreadable, or holds no pipelines.
 */
export async function discoverPipelines(path: string, fs: FileSystem): Promise<Discovery> {
  const diagnostics = new DiagnosticBag();
  const stat = await statOrThrow(path, fs);
  if (stat.isFile) return { pipelines: [await sourceForFile(path, fs, diagnostics)], diagnostics };
  if (stat.isDirectory && /^pipeline\.ya?ml$/.test(basename(path))) {
    throw new RampartError('FILE_IS_DIRECTORY', `${path} is a directory, not a pipeline file`, {
      hint: 'Pass the repository root, or a pipeline.yaml file; a pipeline file cannot be a folder.',
    });
  }
  if (!stat.isDirectory) {
    throw new RampartError('FILE_UNREADABLE', `${path} is neither a file nor a folder`, {
      hint: 'Pass a repository root or a pipeline.yaml file.',
    });
  }
  const bySlug = new Map<string, PipelineSource>();
  for (const folder of ['.rampart', '.devramps'] as const) {
    const base = join(path, folder);
    const entries = await readDirIfExists(base, fs);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory) continue;
      const dir = join(base, entry.name);
      const files = await readDirIfExists(dir, fs);
      const names = new Map(files.map((f) => [f.name, f]));
      const present = pipelineFileNames[folder].filter((n) => names.has(n));
      if (present.length === 0) continue;
      const [chosen] = present;
      if (chosen === undefined) continue;
      if (present.length > 1) {
        diagnostics.error(
          'DUPLICATE_SLUG',
          `pipeline "${entry.name}" has both ${present.join(' and ')}`,
          { file: join(dir, present[1] ?? ''), line: 1, column: 1 },
          `Delete one of them; ${chosen} is the one read.`,
        );
      }
      const source: PipelineSource = {
        slug: entry.name,
        folder,
        file: join(dir, chosen),
        ...policyFiles(dir, names),
      };
      if (!SLUG.test(entry.name)) {
        diagnostics.error(
          'SLUG_INVALID',
          `pipeline folder "${entry.name}" is not a valid slug`,
          { file: source.file, line: 1, column: 1 },
          `Rename the folder to lowercase letters, digits and hyphens, e.g. "${suggestSlug(entry.name)}".`,
        );
      }
      const other = bySlug.get(entry.name);
      if (other !== undefined) {
        diagnostics.error(
          'DUPLICATE_SLUG',
          `pipeline "${entry.name}" exists in both ${other.folder}/ and ${folder}/`,
          { file: source.file, line: 1, column: 1 },
          `Keep one of ${other.file} and ${source.file}.`,
        );
        continue;
      }
      bySlug.set(entry.name, source);
    }
  }
  if (bySlug.size === 0 && !diagnostics.hasErrors) {
    throw new RampartError('NO_PIPELINES', `no pipelines found under ${resolve(path)}`, {
      hint: 'Pipelines live in .rampart/<slug>/pipeline.yaml (or .devramps/<slug>/pipeline.yaml). Create one with `rampart init`, or pass the repository root.',
    });
  }
  return { pipelines: [...bySlug.values()], diagnostics };
}

async function sourceForFile(
  file: string,
  fs: FileSystem,
  diagnostics: DiagnosticBag,
): Promise<PipelineSource> {
  const dir = dirname(file);
  const parent = basename(dirname(dir));
  const folder: PipelineFolder = parent === '.devramps' ? '.devramps' : '.rampart';
  const slug = basename(dir);
  const names = new Map((await readDirIfExists(dir, fs)).map((f) => [f.name, f]));
  if (!SLUG.test(slug)) {
    diagnostics.error(
      'SLUG_INVALID',
      `the folder of ${file} ("${slug}") is not a valid pipeline slug`,
      { file, line: 1, column: 1 },
      `The folder name is the slug: rename it to lowercase letters, digits and hyphens, e.g. "${suggestSlug(slug)}".`,
    );
  }
  return { slug, folder, file, ...policyFiles(dir, names) };
}

function policyFiles(
  dir: string,
  names: Map<string, { isFile: boolean }>,
): Pick<PipelineSource, 'policyFile' | 'shadowedPolicyFile'> {
  const json = names.get('aws_additional_iam_policies.json')?.isFile === true;
  const yaml = ['aws_additional_iam_policies.yaml', 'aws_additional_iam_policies.yml'].find(
    (n) => names.get(n)?.isFile === true,
  );
  if (json)
    return {
      policyFile: join(dir, 'aws_additional_iam_policies.json'),
      ...(yaml === undefined ? {} : { shadowedPolicyFile: join(dir, yaml) }),
    };
  if (yaml !== undefined) return { policyFile: join(dir, yaml) };
  return {};
}

function suggestSlug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'my-pipeline' : s;
}

async function statOrThrow(
  path: string,
  fs: FileSystem,
): Promise<{ isFile: boolean; isDirectory: boolean }> {
  try {
    return await fs.stat(path);
  } catch (error) {
    throw fileError(error, path);
  }
}

async function readDirIfExists(
  path: string,
  fs: FileSystem,
): Promise<Awaited<ReturnType<FileSystem['readDir']>>> {
  try {
    return await fs.readDir(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw fileError(error, path);
  }
}

/** Maps a Node file-system error to a RampartError with a fix. */
export function fileError(error: unknown, path: string): RampartError {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return new RampartError('FILE_NOT_FOUND', `${path} does not exist`, {
        hint: 'Check the path; pass a repository root or a pipeline.yaml file.',
        cause: error,
      });
    case 'EISDIR':
      return new RampartError('FILE_IS_DIRECTORY', `${path} is a directory, not a pipeline file`, {
        hint: 'Pass the repository root, or the pipeline.yaml inside the folder.',
        cause: error,
      });
    case 'EACCES':
    case 'EPERM':
      return new RampartError('FILE_UNREADABLE', `${path} cannot be read: permission denied`, {
        hint: `Make it readable: chmod u+r ${path}`,
        cause: error,
      });
    default:
      return new RampartError(
        'FILE_UNREADABLE',
        `${path} cannot be read (${code ?? String(error)})`,
        { hint: 'Check that the file exists and is readable.', cause: error, source: 'system' },
      );
  }
}
