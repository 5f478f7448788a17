/**
 * `rampart bootstrap` as a library: reaches every account, then deploys (or, with `dry-run`,
 * diffs; with `check`, compares) the account stacks, the org stack, and the pipeline and stage
 * stacks, accounts in parallel with bounded concurrency. It reports through events and returns
 * whether everything succeeded; it never prints. It needs no network path to the control plane:
 * `public_url` only goes into templates (with `--check`, a reachability probe only warns).
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { STS_AUDIENCE, isRampartError, mapBounded, oidcProviderHost } from '@rampart/core';
import type { AwsClientFactory } from '../sdk/aws-client-factory.js';
import { callerAccountId, reachAccount, type AccountAccess } from './account-access.js';
import type {
  BootstrapListener,
  StackCheckState,
  StackChange,
  StackRef,
} from './bootstrap-events.js';
import { planBootstrap, type PlannedStack } from './bootstrap-plan.js';
import type { ValidPipeline } from './load-pipelines.js';
import { probePublicUrl } from './public-url-probe.js';
import {
  deployStack,
  deployedTemplate,
  describeStack,
  outputsOf,
  type Poller,
} from './stack-deployer.js';
import { canonicalJson, diffTemplates, isEmptyDiff } from './template-diff.js';
import { ACCOUNT_PARAMETERS } from './templates/account-template.js';
import { ALARM_PUSH_PARAMETER } from './templates/alarm-push.js';
import type { BootstrapSettings } from './templates/bootstrap-settings.js';
import type { CfnTemplate } from './templates/cfn-template.js';
import { BOOTSTRAP_TEMPLATE_VERSION } from './templates/template-version.js';

/** `deploy` changes accounts; `dry-run` and `check` only read. */
export type BootstrapMode = 'deploy' | 'dry-run' | 'check';

export interface BootstrapOptions {
  settings: BootstrapSettings;
  /** Every valid pipeline of the organization. */
  pipelines: readonly ValidPipeline[];
  /** `--pipeline-slugs`. @default every pipeline */
  slugs?: readonly string[];
  mode: BootstrapMode;
  /** Builds clients; its default credentials are the caller's. */
  sdk: AwsClientFactory;
  /** `--target-account-role-name`. @default OrganizationAccountAccessRole, then AWSControlTowerExecution */
  targetAccountRoleName?: string;
  /** Accounts worked on at once (CloudFormation limits are per account, so they do not compete). @default 10 */
  concurrency?: number;
  emit: BootstrapListener;
  /** @default a timer, polling every 2 s */
  poller?: Poller;
  /** How `--check` asks `<public_url>/healthz`. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** How the run went, stack by stack. */
export interface BootstrapOutcome {
  /** Deploy: everything deployed. Check: everything up to date. Dry run: nothing failed. */
  ok: boolean;
  failed: number;
  /** `--check`: stacks missing or out of date. */
  notUpToDate: number;
}

/** Placeholder key ARN for dry runs and checks before the org stack exists. */
const PENDING_KEY = 'arn:aws:kms:pending:000000000000:key/created-by-the-org-stack';

const realPoller: Poller = {
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

function refOf(stack: PlannedStack): StackRef {
  const { kind, stackName, accountId, region } = stack;
  return { kind, stackName, accountId, region };
}

/** Runs bootstrap. Failures of single stacks are reported as events and counted, not thrown. */
export async function runBootstrap(options: BootstrapOptions): Promise<BootstrapOutcome> {
  const { settings, sdk, emit, mode } = options;
  const plan = planBootstrap({
    settings,
    pipelines: options.pipelines,
    ...(options.slugs === undefined ? {} : { slugs: options.slugs }),
  });
  const concurrency = options.concurrency ?? 10;
  const poller = options.poller ?? realPoller;
  const outcome: BootstrapOutcome = { ok: true, failed: 0, notUpToDate: 0 };
  const fail = (stack: PlannedStack, message: string) => {
    outcome.failed += 1;
    emit({ type: 'stack-failed', stack: refOf(stack), message });
  };

  if (mode === 'check' && settings.alarmPush !== undefined) {
    const probe = await probePublicUrl(settings.alarmPush.publicUrl, {
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    emit({ type: 'public-url-check', ...probe });
  }

  const caller = await callerAccountId(sdk, settings.organization.cicd_account_region);
  const access = new Map<string, AccountAccess>();
  await mapBounded(plan.accounts, concurrency, async (accountId) => {
    const region = plan.accountStacks.find((s) => s.accountId === accountId)?.region ?? '';
    try {
      const reached = await reachAccount({
        sdk,
        callerAccount: caller,
        accountId,
        region,
        ...(options.targetAccountRoleName === undefined
          ? {}
          : { roleName: options.targetAccountRoleName }),
      });
      access.set(accountId, reached);
      emit({ type: 'account-reached', accountId, via: reached.via });
    } catch (error) {
      emit({ type: 'account-unreachable', accountId, message: messageOf(error) });
    }
  });

  const cfnFor = (stack: PlannedStack): CloudFormationClient | undefined => {
    const reached = access.get(stack.accountId);
    if (reached === undefined) return undefined;
    return sdk.cloudFormation({
      region: stack.region,
      ...(reached.credentials === undefined ? {} : { credentials: reached.credentials }),
    });
  };

  /** Deploys, diffs or checks one stack; returns its outputs when it exists afterwards. */
  const handle = async (
    stack: PlannedStack,
    kmsKeyArn: string,
  ): Promise<Record<string, string> | undefined> => {
    const cfn = cfnFor(stack);
    if (cfn === undefined) {
      fail(stack, `account ${stack.accountId} is unreachable`);
      return undefined;
    }
    try {
      const template = stack.template(kmsKeyArn);
      if (mode === 'deploy') {
        const parameters =
          stack.kind === 'account'
            ? await accountParameters(sdk, cfn, stack, settings, access)
            : secretParameters(template, settings);
        const done = await deployStack({
          cfn,
          stack: refOf(stack),
          template,
          tags: stack.tags,
          parameters,
          emit,
          poller,
        });
        return done.outputs;
      }
      const existing = await describeStack(cfn, stack.stackName);
      const deployed =
        existing === undefined ? undefined : await deployedTemplate(cfn, stack.stackName);
      const diff = diffTemplates(deployed, template);
      if (mode === 'dry-run') {
        const change: StackChange =
          deployed === undefined ? 'CREATE' : isEmptyDiff(diff) ? 'NO CHANGE' : 'UPDATE';
        emit({ type: 'stack-diff', stack: refOf(stack), change, diff });
      } else {
        const reasons: string[] = [];
        let state: StackCheckState = 'up-to-date';
        if (existing === undefined) state = 'missing';
        else {
          const version = outputsOf(existing).TemplateVersion;
          if (version !== String(BOOTSTRAP_TEMPLATE_VERSION)) {
            reasons.push(
              `template version ${version ?? 'none'}, current ${BOOTSTRAP_TEMPLATE_VERSION}`,
            );
          }
          const status = existing.StackStatus ?? '';
          if (!/^(CREATE|UPDATE)_COMPLETE$/.test(status)) reasons.push(`stack status ${status}`);
          for (const role of diff.roles) {
            if (role.added.length + role.removed.length > 0) {
              reasons.push(
                `policy drift on ${role.roleName}: ${[...role.added.map((a) => `+${a}`), ...role.removed.map((a) => `-${a}`)].join(' ')}`,
              );
            }
          }
          if (deployed !== undefined && canonicalJson(deployed) !== canonicalJson(template)) {
            const changed = diff.resources.map((r) => `${r.change} ${r.logicalId}`);
            reasons.push(
              changed.length === 0 ? 'template differs' : `resources differ: ${changed.join(', ')}`,
            );
          }
          if (reasons.length > 0) state = 'out-of-date';
        }
        if (state !== 'up-to-date') outcome.notUpToDate += 1;
        emit({ type: 'stack-check', stack: refOf(stack), state, reasons });
      }
      return existing === undefined ? undefined : outputsOf(existing);
    } catch (error) {
      fail(stack, messageOf(error));
      return undefined;
    }
  };

  // 1. Account stacks, every account in parallel.
  const accountResults = await mapBounded(plan.accountStacks, concurrency, async (stack) => ({
    accountId: stack.accountId,
    ok: (await handle(stack, PENDING_KEY)) !== undefined || mode !== 'deploy',
  }));
  const accountOk = new Map(accountResults.map((r) => [r.accountId, r.ok]));

  // 2. The org stack: its key ARN goes into the stage stacks.
  const org = plan.organizationStack;
  const orgOutputs =
    accountOk.get(org.accountId) === true ? await handle(org, PENDING_KEY) : undefined;
  if (orgOutputs === undefined && accountOk.get(org.accountId) !== true) {
    fail(org, `the account stack of ${org.accountId} failed first`);
  }
  const keyArn = orgOutputs?.KeyArn;

  // 3. Pipeline and stage stacks, grouped by account; accounts in parallel.
  const byAccount = new Map<string, PlannedStack[]>();
  for (const stack of plan.pipelineStacks) {
    byAccount.set(stack.accountId, [...(byAccount.get(stack.accountId) ?? []), stack]);
  }
  await mapBounded([...byAccount.values()], concurrency, async (stacks) => {
    for (const stack of stacks) {
      if (mode === 'deploy' && (keyArn === undefined || accountOk.get(stack.accountId) !== true)) {
        const reason =
          keyArn === undefined
            ? `the org stack ${org.stackName} is not deployed`
            : `the account stack of ${stack.accountId} failed`;
        outcome.failed += 1;
        emit({ type: 'stack-skipped', stack: refOf(stack), reason });
        continue;
      }
      const failedBefore = outcome.failed;
      await handle(stack, keyArn ?? PENDING_KEY);
      // A stage whose stack failed to deploy got no wiring; dry runs and checks report the plan.
      if (stack.alarms !== undefined && (mode !== 'deploy' || outcome.failed === failedBefore)) {
        emit({ type: 'alarm-watch', stack: refOf(stack), ...stack.alarms });
      }
    }
  });

  outcome.ok = outcome.failed === 0 && (mode !== 'check' || outcome.notUpToDate === 0);
  return outcome;
}

/**
 * The secrets a template declares as parameters: the alarm push token. They travel only as
 * `NoEcho` parameter values, so no template, diff, output or event ever holds them.
 */
function secretParameters(
  template: CfnTemplate,
  settings: BootstrapSettings,
): Record<string, string> {
  const token = settings.alarmPush?.token;
  return template.Parameters?.[ALARM_PUSH_PARAMETER] === undefined || token === undefined
    ? {}
    : { [ALARM_PUSH_PARAMETER]: token };
}

/**
 * The account stack's parameters. A provider for the issuer that exists outside the stack is
 * adopted (IAM allows one per URL); an existing stack keeps what it was given.
 */
async function accountParameters(
  sdk: AwsClientFactory,
  cfn: CloudFormationClient,
  stack: PlannedStack,
  settings: BootstrapSettings,
  access: ReadonlyMap<string, AccountAccess>,
): Promise<Record<string, string | undefined>> {
  const existing = await describeStack(cfn, stack.stackName);
  if (existing !== undefined && existing.StackStatus !== 'ROLLBACK_COMPLETE') {
    return {
      [ACCOUNT_PARAMETERS.existingProviderArn]: undefined,
      [ACCOUNT_PARAMETERS.thumbprint]: undefined,
    };
  }
  const reached = access.get(stack.accountId);
  const iam = sdk.iam({
    region: stack.region,
    ...(reached?.credentials === undefined ? {} : { credentials: reached.credentials }),
  });
  const host = oidcProviderHost(settings.issuerUrl);
  // Loaded on first use, not with the module: see AwsClientFactory.
  const {
    AddClientIDToOpenIDConnectProviderCommand,
    GetOpenIDConnectProviderCommand,
    ListOpenIDConnectProvidersCommand,
  } = await import('@aws-sdk/client-iam');
  const list = await iam.send(new ListOpenIDConnectProvidersCommand({}));
  const adopted = (list.OpenIDConnectProviderList ?? [])
    .map((p) => p.Arn ?? '')
    .find((arn) => arn.endsWith(`:oidc-provider/${host}`));
  if (adopted !== undefined) {
    // Stage roles trust tokens for STS only: the adopted provider must accept that audience.
    const provider = await iam.send(
      new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: adopted }),
    );
    if (!(provider.ClientIDList ?? []).includes(STS_AUDIENCE)) {
      await iam.send(
        new AddClientIDToOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: adopted,
          ClientID: STS_AUDIENCE,
        }),
      );
    }
  }
  return {
    [ACCOUNT_PARAMETERS.existingProviderArn]: adopted ?? '',
    [ACCOUNT_PARAMETERS.thumbprint]: '',
  };
}

function messageOf(error: unknown): string {
  if (isRampartError(error))
    return error.hint === undefined ? error.message : `${error.message} (${error.hint})`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
