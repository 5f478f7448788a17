// What a target receives: the whole event, a constant `Input`, the part `InputPath` selects, or
// an `InputTransformer` template filled from the event.
import type { EventEnvelope } from './event-envelope.js';
import type { TargetRecord } from './events-state.js';
import { parseJsonPath, selectJsonPath } from './json-path.js';

/** The rule a delivery comes from (for the `aws.events.rule-*` placeholders). */
export interface RuleIdentity {
  name: string;
  arn: string;
}

function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

function select(envelope: EventEnvelope, path: string): unknown {
  const segments = parseJsonPath(path);
  return segments === undefined ? undefined : selectJsonPath(envelope, segments);
}

/** The values a template may use: `InputPathsMap` entries and AWS's predefined variables. */
function variables(
  target: TargetRecord,
  envelope: EventEnvelope,
  rule: RuleIdentity,
  ingestionTime: string,
): Map<string, unknown> {
  const values = new Map<string, unknown>([
    ['aws.events.rule-arn', rule.arn],
    ['aws.events.rule-name', rule.name],
    ['aws.events.event.ingestion-time', ingestionTime],
    ['aws.events.event', envelope],
    ['aws.events.event.json', envelope],
  ]);
  for (const [name, path] of Object.entries(target.InputTransformer?.InputPathsMap ?? {})) {
    values.set(name, select(envelope, path));
  }
  return values;
}

/**
 * Fills an input template. In a JSON template (starting with `{`, `[` or `"`), a placeholder
 * inside a string literal takes the value's text, escaped; outside one it takes the value as
 * JSON (strings with their quotes). In a text template, placeholders take the value's text.
 * Unknown placeholders stay as written.
 */
export function fillTemplate(template: string, values: Map<string, unknown>): string {
  const json = /^\s*[{["]/.test(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i += 1) {
    const char = template[i] ?? '';
    if (json && char === '\\' && inString) {
      out += char + (template[i + 1] ?? '');
      i += 1;
      continue;
    }
    if (json && char === '"') inString = !inString;
    const placeholder = char === '<' ? /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(i)) : null;
    if (placeholder?.[1] === undefined || !values.has(placeholder[1])) {
      out += char;
      continue;
    }
    const value = values.get(placeholder[1]);
    const text = typeof value === 'string' ? value : value === undefined ? '' : jsonText(value);
    if (!json) out += text;
    else if (inString) out += JSON.stringify(text).slice(1, -1);
    else out += value === undefined ? 'null' : jsonText(value);
    i += placeholder[0].length - 1;
  }
  return out;
}

/** The body a target receives for an event. */
export function targetInput(
  target: TargetRecord,
  envelope: EventEnvelope,
  rule: RuleIdentity,
  ingestionTime: string,
): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return jsonText(select(envelope, target.InputPath));
  if (target.InputTransformer !== undefined) {
    return fillTemplate(
      target.InputTransformer.InputTemplate,
      variables(target, envelope, rule, ingestionTime),
    );
  }
  return jsonText(envelope);
}
