/**
 * The demo's git repository: a copy of the bundled example, committed as revision 1, and a second
 * commit that changes only the vendor image it imports (revision 2). The server checks commits
 * out of it.
 */
import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RampartError } from '@rampart/core';
import { EXAMPLE_DIR, PIPELINE_FILE } from './demo-settings.js';
import { EXAMPLE_REGISTRY, vendorRepositoryPath } from './vendor-registry.js';

/** A commit of the demo repository. */
export interface DemoCommit {
  sha: string;
  message: string;
  /** The vendor image its pipeline imports (`source_image_url`). */
  image: string;
}

/** The tags of the vendor image revision 1 and revision 2 import. */
export interface ImportedTags {
  first: string;
  second: string;
}

/** The demo's working copy of the example. */
export class ExampleRepository {
  private constructor(
    readonly dir: string,
    private readonly home: string,
    private readonly registry: string,
    private readonly tags: ImportedTags,
  ) {}

  /**
   * Copies the example into `dir`, points its image import at `registry` (the sandbox's
   * `host:port`), initializes git there and commits revision 1, which imports `tags.first`.
   */
  static async create(
    dir: string,
    home: string,
    registry: string,
    tags: ImportedTags,
  ): Promise<{ repo: ExampleRepository; first: DemoCommit }> {
    await cp(EXAMPLE_DIR, dir, { recursive: true });
    const repo = new ExampleRepository(dir, home, registry, tags);
    await repo.git('init', '--quiet', '--initial-branch', 'main');
    const text = await repo.pipelineText();
    const example = `${EXAMPLE_REGISTRY}/${vendorRepositoryPath()}:${tags.first}`;
    if (!text.includes(example)) {
      throw new RampartError(
        'INTERNAL',
        `the example's ${PIPELINE_FILE} does not import ${example}`,
        {
          source: 'system',
          hint: `Keep source_image_url: ${example} in packages/demo/example/${PIPELINE_FILE}.`,
        },
      );
    }
    await repo.writePipeline(text.replaceAll(example, repo.imageOf(tags.first)));
    const first = await repo.commit('web v1', repo.imageOf(tags.first));
    return { repo, first };
  }

  /** Commits revision 2: the pipeline file importing `tags.second` instead of `tags.first`. */
  async commitSecondRevision(): Promise<DemoCommit> {
    const text = await this.pipelineText();
    await this.writePipeline(
      text.replaceAll(this.imageOf(this.tags.first), this.imageOf(this.tags.second)),
    );
    return this.commit('web v2', this.imageOf(this.tags.second));
  }

  private imageOf(tag: string): string {
    return `${this.registry}/${vendorRepositoryPath()}:${tag}`;
  }

  private writePipeline(text: string): Promise<void> {
    return writeFile(join(this.dir, PIPELINE_FILE), text);
  }

  private pipelineText(): Promise<string> {
    return readFile(join(this.dir, PIPELINE_FILE), 'utf8');
  }

  private async commit(message: string, image: string): Promise<DemoCommit> {
    await this.git('add', '--all');
    await this.git('commit', '--quiet', '--message', message);
    const sha = (await this.git('rev-parse', 'HEAD')).trim();
    return { sha, message, image };
  }

  private git(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        args,
        {
          cwd: this.dir,
          // A private HOME and fixed identity: the user's git config neither helps nor breaks it.
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: this.home,
            GIT_CONFIG_NOSYSTEM: '1',
            GIT_AUTHOR_NAME: 'Rampart demo',
            GIT_AUTHOR_EMAIL: 'demo@rampart.invalid',
            GIT_COMMITTER_NAME: 'Rampart demo',
            GIT_COMMITTER_EMAIL: 'demo@rampart.invalid',
            LC_ALL: 'C',
          },
        },
        (error, stdout, stderr) => {
          if (error === null) {
            resolve(stdout);
            return;
          }
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          reject(
            new RampartError(
              'DEMO_SETUP_FAILED',
              missing
                ? 'the demo needs git, and no `git` was found on PATH'
                : `git ${args.join(' ')} failed: ${stderr.trim() || error.message}`,
              {
                source: missing ? 'user' : 'system',
                hint: missing
                  ? 'Install git (the server checks pipeline revisions out of a git repository).'
                  : 'Run the demo again; report it if it keeps failing.',
                cause: error,
              },
            ),
          );
        },
      );
    });
  }
}
