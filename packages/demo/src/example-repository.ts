/**
 * The demo's git repository: a copy of the bundled example, committed as revision 1, and a second
 * commit that changes only the image (revision 2). The server checks commits out of it.
 */
import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RampartError } from '@rampart/core';
import { DEMO_IMAGES, EXAMPLE_DIR, PIPELINE_FILE } from './demo-settings.js';

/** A commit of the demo repository. */
export interface DemoCommit {
  sha: string;
  message: string;
  image: string;
}

/** The demo's working copy of the example. */
export class ExampleRepository {
  private constructor(
    readonly dir: string,
    private readonly home: string,
  ) {}

  /** Copies the example into `dir`, initializes git there and commits revision 1. */
  static async create(
    dir: string,
    home: string,
  ): Promise<{ repo: ExampleRepository; first: DemoCommit }> {
    await cp(EXAMPLE_DIR, dir, { recursive: true });
    const repo = new ExampleRepository(dir, home);
    await repo.git('init', '--quiet', '--initial-branch', 'main');
    const text = await repo.pipelineText();
    if (!text.includes(DEMO_IMAGES.v1)) {
      throw new RampartError(
        'INTERNAL',
        `the example's ${PIPELINE_FILE} does not name the v1 image`,
        {
          source: 'system',
          hint: `Keep image: ${DEMO_IMAGES.v1} in packages/demo/example/${PIPELINE_FILE}.`,
        },
      );
    }
    const first = await repo.commit('web v1', DEMO_IMAGES.v1);
    return { repo, first };
  }

  /** Commits revision 2: the pipeline file with the v2 image instead of v1. */
  async commitSecondRevision(): Promise<DemoCommit> {
    const file = join(this.dir, PIPELINE_FILE);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replaceAll(DEMO_IMAGES.v1, DEMO_IMAGES.v2));
    return this.commit('web v2', DEMO_IMAGES.v2);
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
