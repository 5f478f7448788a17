// The configuration's root outputs, read from `terraform output -json`, become the step's outputs
// (values keep their JSON type); sensitive ones are named but never shown in the log.
import type { JsonObject, JsonValue } from '@rampart/engine';

/** The outputs, and which of them Terraform marks sensitive. */
export interface TerraformOutputs {
  values: JsonObject;
  sensitive: string[];
}

/** Reads `terraform output -json`. @throws Error when it is not that command's JSON. */
export function parseTerraformOutputs(json: string): TerraformOutputs {
  const parsed: unknown = JSON.parse(json);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('terraform output -json did not print an object');
  }
  const values: JsonObject = {};
  const sensitive: string[] = [];
  for (const [name, entry] of Object.entries(parsed as Record<string, unknown>)) {
    if (entry === null || typeof entry !== 'object' || !('value' in entry)) {
      throw new Error(`terraform output -json printed no value for output ${JSON.stringify(name)}`);
    }
    const output = entry as { value: JsonValue; sensitive?: unknown };
    values[name] = output.value;
    if (output.sensitive === true) sensitive.push(name);
  }
  return { values, sensitive };
}

/** `name = value` lines for the log; a sensitive output shows `(sensitive)`. */
export function outputLines(outputs: TerraformOutputs, maxChars = 200): string[] {
  return Object.entries(outputs.values).map(([name, value]) => {
    if (outputs.sensitive.includes(name)) return `${name} = (sensitive)`;
    const text = JSON.stringify(value);
    return `${name} = ${text.length > maxChars ? `${text.slice(0, maxChars)}…` : text}`;
  });
}
