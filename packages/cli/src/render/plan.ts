/** Text rendering of a PipelinePlan for `rampart plan`. */
import type { PipelinePlan, StagePlan, StepPlan } from '@rampart/core';
import { displayPath } from './diagnostics.js';

export function renderPlan(plan: PipelinePlan, cwd: string): string {
  const o = plan.organization;
  const lines: string[] = [];
  lines.push(`Pipeline ${plan.slug} (${displayPath(plan.file, cwd)})`);
  lines.push(
    `  tracks: ${plan.tracks}   pipeline updates require approval: ${plan.updatesRequireApproval}`,
  );
  lines.push(
    `  organization: ${o.name} (${o.slug}), CI/CD account ${o.cicd_account_id} in ${o.cicd_account_region}`,
  );
  if (plan.at !== undefined) lines.push(`  windows evaluated at ${plan.at}`);
  if (plan.artifacts.length > 0) {
    lines.push('', 'Artifacts (built once, then mirrored into each stage):');
    for (const a of plan.artifacts) {
      const where =
        a.cicd === undefined
          ? 'built in each stage (per_stage)'
          : `${a.kind === 'image' ? `repository ${a.cicd.repository ?? ''}` : `bucket ${a.cicd.bucket ?? ''}`} in ${a.cicd.accountId} ${a.cicd.region}`;
      lines.push(`  ${a.name} [${a.id}] ${a.type} → ${where}`);
    }
    if (plan.build !== undefined) {
      lines.push(
        `  build role: ${plan.build.roleName} in ${plan.build.accountId} (trusts only ${plan.build.subject})`,
      );
      lines.push(...renderPolicyLines(plan.build));
    }
  }
  plan.stages.forEach((stage, i) => lines.push('', ...renderStage(stage, i, plan.stages.length)));
  return `${lines.join('\n')}\n`;
}

function renderStage(stage: StagePlan, index: number, total: number): string[] {
  const lines: string[] = [];
  const kind = stage.kind === 'ephemeral' ? ' (ephemeral environment)' : '';
  lines.push(
    `Stage ${index + 1}/${total}: ${stage.name}${kind} — account ${stage.accountId}, ${stage.region}`,
  );
  let window = `${stage.window.name}: ${stage.window.description}`;
  if (stage.window.open === true)
    window += ` — open${stage.window.closesAt === undefined ? '' : ` until ${stage.window.closesAt}`}`;
  if (stage.window.open === false)
    window += ` — closed (${stage.window.reason ?? 'closed'})${stage.window.opensAt === undefined ? ', does not open within 400 days' : `, opens ${stage.window.opensAt}`}`;
  lines.push(`  window:  ${window}`);
  lines.push(
    `  alarms:  ${stage.alarms.length === 0 ? 'none (no automatic rollback)' : stage.alarms.join(', ')}`,
  );
  lines.push(`  role:    ${stage.role}`);
  const vars = Object.entries(stage.vars);
  if (vars.length > 0)
    lines.push(`  vars:    ${vars.map(([k, v]) => `${k}=${inline(v)}`).join(', ')}`);
  lines.push('  steps:');
  const byName = new Map(stage.steps.map((s) => [s.name, s]));
  stage.levels.forEach((level, depth) => {
    for (const name of level) {
      const step = byName.get(name);
      if (step !== undefined) lines.push(...renderStep(step, `L${depth}`));
    }
  });
  for (const step of stage.steps.filter((s) => s.skipped))
    lines.push(`    --  ${step.name}  ${step.type}  (skipped in this stage)`);
  if (stage.artifacts.length > 0) {
    lines.push('  artifact copies:');
    for (const a of stage.artifacts)
      lines.push(
        `    ${a.name} → ${a.kind === 'image' ? `repository ${a.repository ?? ''}` : `bucket ${a.bucket ?? ''}`}${a.perStage ? ' (built here, per_stage)' : ''}`,
      );
  }
  lines.push(
    `  IAM actions: ${stage.iam.actions.length === 0 ? 'none beyond artifact access' : stage.iam.actions.join(', ')}`,
  );
  lines.push(...renderPolicies(stage));
  return lines;
}

/** One line per policy of the stage role; `--format json` holds the full documents. */
function renderPolicies(stage: StagePlan): string[] {
  const p = stage.policies;
  if (p === undefined) {
    return [
      '  role policies: not computed (set organization slug, cicd_account_id and cicd_account_region in rampart.config.yaml)',
    ];
  }
  return [
    `  role policies (trusts only ${p.subject}; full documents with --format json):`,
    ...renderPolicyLines(p),
  ];
}

/** One line per policy of a role (stage or build), then its size notes. */
function renderPolicyLines(
  p: Pick<NonNullable<StagePlan['policies']>, 'policies' | 'notes'>,
): string[] {
  const lines: string[] = [];
  for (const policy of p.policies) {
    const statements = policy.document.Statement;
    const actions = new Set(statements.flatMap((s) => s.Action));
    const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
    lines.push(
      `    ${policy.kind.padEnd(7)} ${policy.name}: ${count(statements.length, 'statement')}, ${count(actions.size, 'action')}, ${policy.size} characters`,
    );
  }
  for (const note of p.notes) lines.push(`    ${note.severity}: ${note.message}`);
  return lines;
}

function renderStep(step: StepPlan, level: string): string[] {
  const after = step.dependsOn.length === 0 ? '' : `  (after ${step.dependsOn.join(', ')})`;
  const lines = [
    `    ${level.padEnd(3)} ${step.name}  ${step.type}${step.id === undefined ? '' : `  id=${step.id}`}${after}`,
  ];
  for (const [k, v] of Object.entries(step.params)) lines.push(...renderValue(k, v, 10));
  if (step.timeoutMinutes !== undefined)
    lines.push(`          timeout: ${step.timeoutMinutes} min`);
  return lines;
}

/** A key and value; maps are expanded one key per line, two levels deep. */
function renderValue(key: string, value: unknown, indent: number, depth = 0): string[] {
  const pad = ' '.repeat(indent);
  if (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    depth < 2 &&
    Object.keys(value).length > 0
  ) {
    return [
      `${pad}${key}:`,
      ...Object.entries(value).flatMap(([k, v]) => renderValue(k, v, indent + 2, depth + 1)),
    ];
  }
  return [`${pad}${key}: ${inline(value)}`];
}

function inline(value: unknown): string {
  if (typeof value === 'string')
    return /^[\w./:@[\]-]+$/.test(value) ? value : JSON.stringify(value);
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
