// Bundles the CLI's everyday commands (validate, plan, schema, init) with @rampart/core, zod, yaml
// and luxon into packages/cli/bundle/, so a start loads a few files instead of hundreds.
// Commands that use AWS SDKs or the server keep loading from packages/cli/dist.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('../packages/cli/', import.meta.url));
const unbundled = new Set(['bootstrap', 'exec', 'sandbox', 'server', 'oidc', 'demo']);

rmSync(`${cli}bundle`, { recursive: true, force: true });
await build({
  entryPoints: [`${cli}dist/main.js`],
  outdir: `${cli}bundle`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // yaml ships CommonJS that requires node built-ins.
  banner: {
    js: "import { createRequire as __rampartRequire } from 'node:module'; const require = __rampartRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'unbundled-commands',
      setup(b) {
        b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (args) => {
          const name = args.path.slice('./commands/'.length, -'.js'.length);
          return unbundled.has(name)
            ? { path: `../dist/commands/${name}.js`, external: true }
            : undefined;
        });
      },
    },
  ],
});
console.log('bundled packages/cli/bundle');
