// Writes docs/errors.md from the error-code catalog in @rampart/core; `--check` fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { errorCodes } from '@rampart/core';

const areas = {
  file: 'Files and discovery',
  yaml: 'YAML',
  schema: 'Schema',
  pipeline: 'Pipeline rules',
  window: 'Deployment time windows',
  expression: 'Expressions',
  config: 'Control-plane configuration',
  cli: 'Command line',
  system: 'System',
};

let out = `# Error codes

Every problem Rampart reports carries a stable code. Codes never change meaning; new ones are added.
In \`rampart validate\` output a code appears as \`file:line:column: error CODE: message\`, followed by a
\`hint:\` line with the fix. In JSON output it is the \`code\` field. Warnings use the same codes.

<!-- Generated from packages/core/src/errors/error-codes.ts by \`npm run docs:errors\`. Do not edit by hand. -->
`;
for (const [area, title] of Object.entries(areas)) {
  const rows = Object.entries(errorCodes).filter(([, info]) => info.area === area);
  if (rows.length === 0) continue;
  out += `\n## ${title}\n\n| code | what it means | how to fix it |\n| --- | --- | --- |\n`;
  for (const [code, info] of rows)
    out += `| \`${code}\` | ${info.summary.replace(/\|/g, '\\|')} | ${info.fix.replace(/\|/g, '\\|')} |\n`;
}
const missing = Object.entries(errorCodes).filter(([, info]) => !(info.area in areas));
if (missing.length > 0)
  throw new Error(`codes with an unknown area: ${missing.map(([c]) => c).join(', ')}`);

const target = new URL('../docs/errors.md', import.meta.url);
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== out) {
    console.error(
      'docs/errors.md is out of date: run `npm run docs:errors` and commit the result.',
    );
    process.exit(1);
  }
  console.log('docs/errors.md is up to date');
} else {
  writeFileSync(target, out);
  console.log('wrote docs/errors.md');
}
