import { afterAll, describe, expect, it } from 'vitest';
import { isRampartError } from '../errors/index.js';
import { planPipeline } from '../planner/plan-pipeline.js';
import { modelOf, pipelineYaml, removeTempRepos } from '../test-support/pipeline-fixtures.js';
import { ISSUER_HOST_PLACEHOLDER } from './plan-stage-policies.js';

afterAll(removeTempRepos);

const PIPELINE = pipelineYaml(`
stages:
  - name: dev
    account_id: "222222222222"
    region: us-east-1
steps:
  - name: Infra
    type: RAMPART:TERRAFORM:SYNTHESIZE
    params: { source: infra }
`);

const organization = {
  name: 'Acme',
  slug: 'acme',
  cicd_account_id: '111111111111',
  cicd_account_region: 'us-east-1',
};

describe('planPipeline: stage role policies', () => {
  it('shows the full policies when the organization is configured', async () => {
    const model = await modelOf(PIPELINE);
    const plan = planPipeline(model, {
      inputs: { organization },
      issuerUrl: 'https://rampart.acme.example/',
    });
    const policies = plan.stages[0]?.policies;
    expect(policies?.roleName).toBe(plan.stages[0]?.role);
    expect(policies?.policies.map((p) => p.name)).toEqual(['rampart-steps']);
    expect(JSON.stringify(policies?.trustPolicy)).toContain(
      '"rampart.acme.example:sub":"org:acme/pipeline:app/stage:dev"',
    );
  });

  it('uses a placeholder issuer host without issuer_url', async () => {
    const model = await modelOf(PIPELINE);
    const policies = planPipeline(model, { inputs: { organization } }).stages[0]?.policies;
    expect(policies?.trustPolicy.Statement[0]?.Principal).toEqual({
      Federated: `arn:aws:iam::222222222222:oidc-provider/${ISSUER_HOST_PLACEHOLDER}`,
    });
  });

  it('leaves policies out while the organization is incomplete', async () => {
    const model = await modelOf(PIPELINE);
    expect(planPipeline(model).stages[0]?.policies).toBeUndefined();
    const { cicd_account_region: _region, ...partial } = organization;
    expect(planPipeline(model, { inputs: { organization: partial } }).stages[0]?.policies).toBe(
      undefined,
    );
  });

  it('reports an issuer URL IAM would reject', async () => {
    const model = await modelOf(PIPELINE);
    let code: string | undefined;
    try {
      planPipeline(model, { inputs: { organization }, issuerUrl: 'http://rampart.acme.example' });
    } catch (e) {
      code = isRampartError(e) ? e.code : 'other';
    }
    expect(code).toBe('CONFIG_INVALID');
  });
});
