// Recognizing intrinsic functions in template values, and the `Fn::Sub` string grammar.
import type { TemplateValue } from './template-types.js';

/** The intrinsic functions the sandbox evaluates. */
export const SUPPORTED_FUNCTIONS = [
  'Ref',
  'Fn::Base64',
  'Fn::FindInMap',
  'Fn::GetAtt',
  'Fn::GetAZs',
  'Fn::If',
  'Fn::ImportValue',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::Sub',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
  'Condition',
] as const;

/** A function call found in a template value. */
export interface FunctionCall {
  name: string;
  arg: TemplateValue;
}

/**
 * The function a value calls, if it is a one-key object whose key is `Ref`, `Condition` or
 * `Fn::…`. (`Condition` counts only where conditions are evaluated; callers decide.)
 */
export function asFunction(value: TemplateValue): FunctionCall | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const name = keys[0] as string;
  if (name !== 'Ref' && name !== 'Condition' && !name.startsWith('Fn::')) return undefined;
  return { name, arg: value[name] as TemplateValue };
}

/** A piece of an `Fn::Sub` string. */
export type SubPart = { kind: 'text'; text: string } | { kind: 'var'; name: string };

/**
 * Splits an `Fn::Sub` string into text and `${Var}` references; `${!Literal}` stays literal as
 * `${Literal}`.
 */
export function parseSub(text: string): SubPart[] {
  const parts: SubPart[] = [];
  let buffer = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) break;
    const end = text.indexOf('}', start + 2);
    if (end < 0) break;
    buffer += text.slice(i, start);
    const inner = text.slice(start + 2, end);
    if (inner.startsWith('!')) {
      buffer += '${' + inner.slice(1) + '}';
    } else {
      if (buffer !== '') parts.push({ kind: 'text', text: buffer });
      buffer = '';
      parts.push({ kind: 'var', name: inner.trim() });
    }
    i = end + 1;
  }
  buffer += text.slice(i);
  if (buffer !== '') parts.push({ kind: 'text', text: buffer });
  return parts;
}

/** Splits `Res.Attr` (the attribute may itself contain dots) as `Fn::GetAtt` and `Fn::Sub` do. */
export function splitAttribute(name: string): [string, string] | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return [name.slice(0, dot), name.slice(dot + 1)];
}

/** The pseudo parameters every template may `Ref`. */
export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::Region',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::Partition',
  'AWS::URLSuffix',
  'AWS::NoValue',
  'AWS::NotificationARNs',
]);
