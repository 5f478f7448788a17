// YAML templates: parses with the `yaml` package and turns the short-form tags (`!Ref`, `!Sub`,
// `!GetAtt`, …) into the long-form JSON CloudFormation evaluates.
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Tags,
} from 'yaml';
import { templateFormatError } from '../cfn-errors.js';
import type { TemplateValue } from './template-types.js';

/** Short-form tag → long-form function name. */
const SHORT_FORMS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!Join': 'Fn::Join',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!ImportValue': 'Fn::ImportValue',
  '!GetAZs': 'Fn::GetAZs',
  '!Base64': 'Fn::Base64',
  '!FindInMap': 'Fn::FindInMap',
  '!Cidr': 'Fn::Cidr',
  '!Transform': 'Fn::Transform',
};

/** Each tag on scalars, sequences and mappings; resolution is ours, so nodes pass through. */
const CUSTOM_TAGS: Tags = Object.keys(SHORT_FORMS).flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag, collection: 'map' as const, resolve: (value: unknown) => value },
]);

function convert(node: unknown, doc: Document): TemplateValue {
  if (isAlias(node)) return convert(node.resolve(doc), doc);
  let value: TemplateValue;
  if (isMap(node)) {
    const out: Record<string, TemplateValue> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[key] = convert(pair.value, doc);
    }
    value = out;
  } else if (isSeq(node)) {
    value = node.items.map((item) => convert(item, doc));
  } else if (isScalar(node)) {
    const raw = node.value;
    value =
      raw === null || raw === undefined
        ? null
        : typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean'
          ? raw
          : (node.source ?? JSON.stringify(raw));
  } else {
    value = null;
  }
  const tag = (node as Node | null)?.tag;
  if (tag === undefined || !tag.startsWith('!')) return value;
  const fn = SHORT_FORMS[tag];
  if (fn === undefined) throw templateFormatError(`Unsupported YAML tag ${tag}`);
  if (fn === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    if (dot < 0) return { [fn]: value };
    return { [fn]: [value.slice(0, dot), value.slice(dot + 1)] };
  }
  if (fn === 'Fn::GetAZs' && value === null) return { [fn]: '' };
  return { [fn]: value };
}

/** Parses a YAML template body; throws `Template format error: YAML not well-formed.`. */
export function parseYamlTemplate(body: string): TemplateValue {
  const doc = parseDocument(body, { customTags: CUSTOM_TAGS, uniqueKeys: true });
  const error = doc.errors[0];
  if (error !== undefined) {
    const at = error.linePos?.[0];
    const where = at ? ` (line ${at.line}, column ${at.col})` : '';
    throw templateFormatError(`YAML not well-formed.${where}`);
  }
  return convert(doc.contents, doc);
}
