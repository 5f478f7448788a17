// Rules on the default bus: PutRule (create or update), DescribeRule, ListRules, DeleteRule,
// EnableRule, DisableRule.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { compileEventPattern } from './event-pattern.js';
import { constraintViolation, notFound, validationError } from './events-errors.js';
import {
  byName,
  checkEventBus,
  eventsPage,
  eventsState,
  here,
  resourceName,
} from './events-input.js';
import { DEFAULT_BUS, ruleArn, type RuleRecord, type RuleState } from './events-state.js';
import { ownValue, putOwn } from '../../state/own-record.js';

const RULE_STATES: readonly string[] = [
  'ENABLED',
  'DISABLED',
  'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
];
const MAX_PATTERN_LENGTH = 4096;
const SCHEDULE = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\)|at\(.+\))$/;

/** The rule a call names, or `ResourceNotFoundException`. */
export function findRule(ctx: ActionContext, name: string): RuleRecord {
  const rule = ownValue(eventsState(ctx).rules, name);
  if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${DEFAULT_BUS}.`);
  return rule;
}

/** The ARN of the rule a call names (`Name` or `Rule`). */
export function namedRuleArn(ctx: ActionContext, field = 'Name'): string {
  return ruleArn(here(ctx), resourceName(ctx, field));
}

function checkPutRule(ctx: ActionContext): void {
  resourceName(ctx);
  checkEventBus(ctx);
  const pattern = ctx.input.str('EventPattern');
  const schedule = ctx.input.str('ScheduleExpression');
  if (pattern === undefined && schedule === undefined) {
    throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  }
  if (pattern !== undefined) {
    if (pattern.length > MAX_PATTERN_LENGTH) {
      throw constraintViolation(
        'eventPattern',
        `${pattern.slice(0, 20)}…`,
        `Member must have length less than or equal to ${MAX_PATTERN_LENGTH}`,
      );
    }
    compileEventPattern(pattern);
  }
  if (schedule !== undefined && !SCHEDULE.test(schedule)) {
    throw validationError('Parameter ScheduleExpression is not valid.');
  }
  const state = ctx.input.str('State');
  if (state !== undefined && !RULE_STATES.includes(state)) {
    throw constraintViolation(
      'state',
      state,
      `Member must satisfy enum value set: [${RULE_STATES.join(', ')}]`,
    );
  }
  const description = ctx.input.str('Description');
  if (description !== undefined && description.length > 512) {
    throw constraintViolation(
      'description',
      description,
      'Member must have length less than or equal to 512',
    );
  }
}

function describeRule(ctx: ActionContext, rule: RuleRecord): Record<string, unknown> {
  return {
    Name: rule.name,
    Arn: ruleArn(here(ctx), rule.name),
    ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
    ...(rule.scheduleExpression !== undefined
      ? { ScheduleExpression: rule.scheduleExpression }
      : {}),
    State: rule.state,
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.roleArn !== undefined ? { RoleArn: rule.roleArn } : {}),
    EventBusName: DEFAULT_BUS,
  };
}

function setState(state: RuleState): ActionDefinition {
  return {
    validate: (ctx) => {
      resourceName(ctx);
      checkEventBus(ctx);
    },
    resources: (ctx) => [namedRuleArn(ctx)],
    handler: (ctx) => {
      findRule(ctx, resourceName(ctx)).state = state;
      return {};
    },
  };
}

/** The rule actions. */
export const ruleActions: Record<string, ActionDefinition> = {
  PutRule: {
    validate: checkPutRule,
    resources: (ctx) => [namedRuleArn(ctx)],
    handler: async (ctx) => {
      const name = resourceName(ctx);
      const roleArn = ctx.input.str('RoleArn');
      if (roleArn !== undefined) {
        await ctx.authorize('iam:PassRole', roleArn, {
          'iam:PassedToService': 'events.amazonaws.com',
        });
      }
      const rules = eventsState(ctx).rules;
      const existing = ownValue(rules, name);
      const pattern = ctx.input.str('EventPattern');
      const schedule = ctx.input.str('ScheduleExpression');
      const description = ctx.input.str('Description');
      const rule: RuleRecord = {
        name,
        ...(pattern !== undefined ? { eventPattern: pattern } : {}),
        ...(schedule !== undefined ? { scheduleExpression: schedule } : {}),
        state: (ctx.input.str('State') ?? existing?.state ?? 'ENABLED') as RuleState,
        ...(description !== undefined ? { description } : {}),
        ...(roleArn !== undefined ? { roleArn } : {}),
        createdBy: existing?.createdBy ?? ctx.accountId,
        // PutRule replaces the rule's settings but keeps its targets.
        targets: existing?.targets ?? [],
      };
      putOwn(rules, name, rule);
      return { RuleArn: ruleArn(here(ctx), name) };
    },
  },
  DescribeRule: {
    validate: (ctx) => {
      resourceName(ctx);
      checkEventBus(ctx);
    },
    resources: (ctx) => [namedRuleArn(ctx)],
    handler: (ctx) => {
      const rule = findRule(ctx, resourceName(ctx));
      return { ...describeRule(ctx, rule), CreatedBy: rule.createdBy };
    },
  },
  ListRules: {
    validate: (ctx) => {
      checkEventBus(ctx);
    },
    handler: (ctx) => {
      const prefix = ctx.input.str('NamePrefix') ?? '';
      const rules = byName(
        Object.values(eventsState(ctx).rules).filter((rule) => rule.name.startsWith(prefix)),
      );
      const { page, nextToken } = eventsPage(ctx, rules);
      return {
        Rules: page.map((rule) => describeRule(ctx, rule)),
        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      };
    },
  },
  DeleteRule: {
    validate: (ctx) => {
      resourceName(ctx);
      checkEventBus(ctx);
    },
    resources: (ctx) => [namedRuleArn(ctx)],
    handler: (ctx) => {
      const name = resourceName(ctx);
      const rules = eventsState(ctx).rules;
      const rule = ownValue(rules, name);
      // Deleting a rule that does not exist succeeds, as in AWS.
      if (!rule) return {};
      if (rule.targets.length > 0) {
        throw validationError("Rule can't be deleted since it has targets.");
      }
      delete rules[name];
      return {};
    },
  },
  EnableRule: setState('ENABLED'),
  DisableRule: setState('DISABLED'),
};
