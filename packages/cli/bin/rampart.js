#!/usr/bin/env node
// Entry point of the `rampart` command: the bundle when it was built (fast start), else ../dist.
let cli;
try {
  cli = await import('../bundle/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('bundle/main.js'))
    throw error;
  cli = await import('../dist/main.js');
}
process.exitCode = await cli.main(process.argv.slice(2));
