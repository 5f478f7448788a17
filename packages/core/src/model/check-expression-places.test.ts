import { afterAll, describe, expect, it } from 'vitest';
import {
  describeAll,
  pipelineYaml,
  positionOf,
  removeTempRepos,
  validateYaml,
} from '../test-support/pipeline-fixtures.js';

afterAll(removeTempRepos);

describe('expressions outside the places they are evaluated: EXPR_NOT_ALLOWED at the ${{', () => {
  it('in region, tracks, a step name, goes_after, skip, a window name and a notification channel', async () => {
    const text = pipelineYaml(`
tracks: \${{ trigger.branch }}
stages:
  - name: dev
    account_id: "111111111111"
    region: \${{ vars.region }}
    skip: ["\${{ vars.skip }}"]
    deployment_time_window: "\${{ vars.window }}"
steps:
  - name: Build \${{ stage.name }}
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
  - name: Test
    type: RAMPART:SCRIPT:RUN
    goes_after: ["\${{ vars.after }}"]
    params: { command: x }
notifications:
  slack: { channel: "#deploys-\${{ stage.name }}" }`);
    const v = await validateYaml(text);
    const notAllowed = v.errors.filter((d) => d.code === 'EXPR_NOT_ALLOWED');
    const expected = [
      ['trigger.branch', 'pipeline.tracks'],
      ['vars.region', 'pipeline.stages.0.region'],
      ['vars.skip', 'pipeline.stages.0.skip.0'],
      ['vars.window', 'pipeline.stages.0.deployment_time_window'],
      ['stage.name }}\n', 'pipeline.steps.0.name'],
      ['vars.after', 'pipeline.steps.1.goes_after.0'],
      ['stage.name }}"', 'pipeline.notifications.slack.channel'],
    ] as const;
    for (const [needle, where] of expected) {
      const pos = positionOf(text, needle, 1, -4); // the `${{ ` before the name
      const d = notAllowed.find((x) => x.line === pos.line && x.column === pos.column);
      expect(d, `${where} at ${pos.line}:${pos.column}\n${describeAll(v.errors)}`).toBeDefined();
      expect(d?.message).toBe(`expressions are not evaluated in ${where}`);
      expect(d?.hint).toContain(
        'expressions work in step params, artifact params and envs, and vars',
      );
    }
    expect(notAllowed).toHaveLength(expected.length);
  });

  it('reports nothing for expressions in step params, artifact params and envs, and vars of stages, stage_defaults and ephemeral environments', async () => {
    const text = pipelineYaml(`
stage_defaults:
  vars: { a: "\${{ stage.name }}" }
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { b: "\${{ stage.region }}" }
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo \${{ vars.a }} \${{ vars.b }}
      env: { NESTED: ["\${{ stage.account_id }}"] }
artifacts:
  Site:
    type: BUNDLE:BUILD
    params: { build_commands: "make \${{ pipeline.slug }}", file_path: a.zip }
    envs: { X: "\${{ trigger.sha }}" }
ephemeral_environments:
  pr:
    triggers: [{ on: api }]
    release: [{ on: api }]
    account_id: "111111111111"
    region: us-east-1
    vars: { b: "\${{ stage.name }}" }`);
    const v = await validateYaml(text);
    expect(v.errors, describeAll(v.errors)).toEqual([]);
  });
});
