/** A throwaway git repository for tests: write files, commit, read the commit id. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class TestGitRepo {
  constructor(
    readonly dir: string,
    private readonly home: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.git('init', '--quiet', '--initial-branch', 'main');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      env: {
        PATH: process.env.PATH,
        HOME: this.home,
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.invalid',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.invalid',
      },
    })
      .toString()
      .trim();
  }

  /** Writes the files and commits them; returns the commit id. */
  commit(files: Record<string, string>, message = 'change'): string {
    for (const [path, text] of Object.entries(files)) {
      const file = join(this.dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    this.git('add', '.');
    this.git('commit', '--quiet', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }
}
