// Targets of a rule: PutTargets (create or replace by Id), ListTargetsByRule, RemoveTargets.
import type { Input, InputValue } from '../../framework/input.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { constraintViolation, limitExceeded, validationError } from './events-errors.js';
import { checkEventBus, eventsPage, resourceName } from './events-input.js';
import { parseEventsArn, type TargetRecord } from './events-state.js';
import { parseJsonPath } from './json-path.js';
import { putOwn } from '../../state/own-record.js';
import { findRule, namedRuleArn } from './rule-actions.js';

const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;
const MAX_TARGETS_PER_RULE = 5;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/;

function stringMap(input: Input | undefined, field: string): Record<string, string> | undefined {
  if (!input) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.raw)) {
    if (typeof value !== 'string') throw validationError(`${field} values must be strings.`);
    putOwn(out, key, value);
  }
  return out;
}

function checkJsonPath(path: string, id: string): void {
  if (parseJsonPath(path) === undefined) {
    throw validationError(`Target ${id}: ${path} is not a valid JSON path.`);
  }
}

/** Reads and validates one target. */
function readTarget(target: Input): TargetRecord {
  const id = target.reqStr('Id');
  if (!TARGET_ID.test(id)) {
    throw constraintViolation(
      'targets.member.id',
      id,
      'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+',
    );
  }
  const arn = target.reqStr('Arn');
  if (!ARN.test(arn))
    throw validationError(
      `Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`,
    );
  const record: TargetRecord = { Id: id, Arn: arn };
  const roleArn = target.str('RoleArn');
  if (roleArn !== undefined) record.RoleArn = roleArn;
  if (parseEventsArn(arn)?.kind === 'api-destination' && roleArn === undefined) {
    throw validationError(`RoleArn is required for target ${arn}.`);
  }
  const input = target.str('Input');
  const inputPath = target.str('InputPath');
  const transformer = target.obj('InputTransformer');
  if ([input, inputPath, transformer].filter((x) => x !== undefined).length > 1) {
    throw validationError(
      `Only one of Input, InputPath, or InputTransformer must be provided for target ${id}.`,
    );
  }
  if (input !== undefined) {
    try {
      JSON.parse(input);
    } catch {
      throw validationError(`Input for target ${id} is not valid JSON text.`);
    }
    record.Input = input;
  }
  if (inputPath !== undefined) {
    checkJsonPath(inputPath, id);
    record.InputPath = inputPath;
  }
  if (transformer) {
    const template = transformer.reqStr('InputTemplate');
    const paths = stringMap(transformer.obj('InputPathsMap'), 'InputPathsMap') ?? {};
    if (Object.keys(paths).length > 100) {
      throw validationError(`InputPathsMap of target ${id} has more than 100 entries.`);
    }
    for (const [name, path] of Object.entries(paths)) {
      if (name.startsWith('aws.')) {
        throw validationError(`InputPathsMap of target ${id} may not define ${name}: reserved.`);
      }
      checkJsonPath(path, id);
    }
    record.InputTransformer = { InputPathsMap: paths, InputTemplate: template };
  }
  const http = target.obj('HttpParameters');
  if (http) {
    const headers = stringMap(http.obj('HeaderParameters'), 'HeaderParameters');
    const query = stringMap(http.obj('QueryStringParameters'), 'QueryStringParameters');
    const pathValues = http.strList('PathParameterValues');
    record.HttpParameters = {
      ...(pathValues.length > 0 ? { PathParameterValues: pathValues } : {}),
      ...(headers ? { HeaderParameters: headers } : {}),
      ...(query ? { QueryStringParameters: query } : {}),
    };
  }
  const retry = target.obj('RetryPolicy');
  if (retry) {
    const attempts = retry.int('MaximumRetryAttempts');
    const age = retry.int('MaximumEventAgeInSeconds');
    if (attempts !== undefined && (attempts < 0 || attempts > 185)) {
      throw constraintViolation(
        'targets.member.retryPolicy.maximumRetryAttempts',
        String(attempts),
        'Member must have value between 0 and 185',
      );
    }
    if (age !== undefined && (age < 60 || age > 86_400)) {
      throw constraintViolation(
        'targets.member.retryPolicy.maximumEventAgeInSeconds',
        String(age),
        'Member must have value between 60 and 86400',
      );
    }
    record.RetryPolicy = {
      ...(attempts !== undefined ? { MaximumRetryAttempts: attempts } : {}),
      ...(age !== undefined ? { MaximumEventAgeInSeconds: age } : {}),
    };
  }
  const deadLetter = target.obj('DeadLetterConfig');
  if (deadLetter) {
    const dlqArn = deadLetter.str('Arn');
    record.DeadLetterConfig = dlqArn !== undefined ? { Arn: dlqArn } : {};
  }
  return record;
}

function readTargets(ctx: ActionContext): TargetRecord[] {
  const targets = ctx.input.list('Targets');
  if (targets.length < 1 || targets.length > 10) {
    throw constraintViolation(
      'targets',
      `[${targets.length} targets]`,
      'Member must have length between 1 and 10',
    );
  }
  return targets.map(readTarget);
}

/** A stored target as the API returns it. */
function renderTarget(target: TargetRecord): Record<string, InputValue> {
  return JSON.parse(JSON.stringify(target)) as Record<string, InputValue>;
}

/** The target actions. */
export const targetActions: Record<string, ActionDefinition> = {
  PutTargets: {
    validate: (ctx) => {
      resourceName(ctx, 'Rule');
      checkEventBus(ctx);
      readTargets(ctx);
    },
    resources: (ctx) => [namedRuleArn(ctx, 'Rule')],
    handler: async (ctx) => {
      const rule = findRule(ctx, resourceName(ctx, 'Rule'));
      const targets = readTargets(ctx);
      for (const roleArn of new Set(targets.flatMap((t) => (t.RoleArn ? [t.RoleArn] : [])))) {
        await ctx.authorize('iam:PassRole', roleArn, {
          'iam:PassedToService': 'events.amazonaws.com',
        });
      }
      const merged = [...rule.targets];
      for (const target of targets) {
        const index = merged.findIndex((existing) => existing.Id === target.Id);
        if (index >= 0) merged[index] = target;
        else merged.push(target);
      }
      if (merged.length > MAX_TARGETS_PER_RULE) {
        throw limitExceeded('The requested resource exceeds the maximum number allowed.');
      }
      rule.targets = merged;
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
  },
  ListTargetsByRule: {
    validate: (ctx) => {
      resourceName(ctx, 'Rule');
      checkEventBus(ctx);
    },
    resources: (ctx) => [namedRuleArn(ctx, 'Rule')],
    handler: (ctx) => {
      const rule = findRule(ctx, resourceName(ctx, 'Rule'));
      const { page, nextToken } = eventsPage(ctx, rule.targets);
      return {
        Targets: page.map(renderTarget),
        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      };
    },
  },
  RemoveTargets: {
    validate: (ctx) => {
      resourceName(ctx, 'Rule');
      checkEventBus(ctx);
      const ids = ctx.input.strList('Ids');
      if (ids.length < 1 || ids.length > 100) {
        throw constraintViolation(
          'ids',
          `[${ids.length} ids]`,
          'Member must have length between 1 and 100',
        );
      }
    },
    resources: (ctx) => [namedRuleArn(ctx, 'Rule')],
    handler: (ctx) => {
      const rule = findRule(ctx, resourceName(ctx, 'Rule'));
      const ids = ctx.input.strList('Ids');
      rule.targets = rule.targets.filter((target) => !ids.includes(target.Id));
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
  },
};
