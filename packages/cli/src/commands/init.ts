/** `rampart init [--devramps] [--slug NAME] [--force] [PATH]`: write a starter pipeline. */
import { mkdirSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { RampartError } from '@rampart/core';
import { EXIT, type CliIo } from '../cli-io.js';
import { parseFlags } from '../parse-flags.js';
import { UsageError } from '../usage-error.js';
import { starterPipeline } from './init-template.js';

export const help = `Usage: rampart init [PATH] [--slug NAME] [--devramps] [--force]

Writes a commented starter pipeline to PATH/.rampart/<slug>/pipeline.yaml
(PATH defaults to .). It validates as written; replace the account ids.

Options:
  --slug NAME   Pipeline slug, the folder name (default: PATH's folder name)
  --devramps    Write .devramps/<slug>/pipeline.yaml with DEVRAMPS: type ids
  --force       Overwrite an existing pipeline file
  -h, --help    Show this help
`;

const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    'init',
    argv,
    { slug: { type: 'string' }, devramps: { type: 'boolean' }, force: { type: 'boolean' } },
    1,
  );
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  const root = resolve(io.cwd, positionals[0] ?? '.');
  if (existsSync(root) && !statSync(root).isDirectory())
    throw new UsageError(`${root} is not a folder`, 'init');
  const slug =
    typeof values.slug === 'string'
      ? values.slug
      : basename(root)
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '') || 'app';
  if (!SLUG.test(slug))
    throw new UsageError(
      `--slug must be lowercase letters, digits and hyphens, not "${slug}"`,
      'init',
    );
  const devramps = values.devramps === true;
  const dir = join(root, devramps ? '.devramps' : '.rampart', slug);
  const file = join(dir, 'pipeline.yaml');
  if (existsSync(file) && values.force !== true) {
    throw new RampartError('USAGE', `${relative(io.cwd, file) || file} already exists`, {
      hint: 'Pass --force to overwrite it, or --slug NAME for another pipeline.',
    });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, starterPipeline({ devramps }));
  io.stdout(
    `Wrote ${relative(io.cwd, file) || file}\nNext: edit the account ids, then run \`rampart validate\` and \`rampart plan\`.\n`,
  );
  return Promise.resolve(EXIT.ok);
}
