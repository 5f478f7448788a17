/** `rampart schema`: the JSON Schema of pipeline files, for editors. */
import { pipelineJsonSchema } from '@rampart/core';
import { EXIT, type CliIo } from '../cli-io.js';
import { parseFlags } from '../parse-flags.js';

export const help = `Usage: rampart schema

Prints the JSON Schema of pipeline.yaml files. Save it and point the YAML
language server at it for completion and inline checks:

  rampart schema > .rampart/pipeline.schema.json
  # first line of .rampart/<slug>/pipeline.yaml:
  # yaml-language-server: $schema=../pipeline.schema.json

The schema checks shapes only; \`rampart validate\` checks everything.
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('schema', argv, {}, 0);
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  io.stdout(`${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`);
  return Promise.resolve(EXIT.ok);
}
