import { isRampartError, type ControlPlaneConfig } from '@rampart/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  multiAccountExample,
  pipelineFrom,
  removeTempRepos,
  TEST_KEY_ARN,
} from '../test-support/pipelines.js';
import { bootstrapSettingsFrom } from './bootstrap-config.js';
import { planBootstrap } from './bootstrap-plan.js';

afterAll(removeTempRepos);

const TOKEN = 'alarm-push-token-0123456789abcdefghij';

describe('planBootstrap', () => {
  it('plans account stacks for every account, the org stack, then pipeline and stage stacks', async () => {
    const { settings, web } = await multiAccountExample();
    const plan = planBootstrap({ settings, pipelines: [web] });
    expect(plan.accounts).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(plan.accountStacks.map((s) => `${s.accountId} ${s.region} ${s.stackName}`)).toEqual([
      '111111111111 us-east-1 Rampart-Account',
      '222222222222 us-east-1 Rampart-Account',
      '333333333333 us-east-1 Rampart-Account',
    ]);
    expect(plan.organizationStack.stackName).toBe('Rampart-acme-Org');
    expect(
      plan.pipelineStacks.map((s) => `${s.kind} ${s.accountId} ${s.region} ${s.stackName}`),
    ).toEqual([
      'pipeline 111111111111 us-east-1 Rampart-web-Pipeline',
      'stage 222222222222 us-east-1 Rampart-web-staging-Stage',
      'stage 333333333333 us-east-1 Rampart-web-prod-us-east-1-Stage',
      'stage 333333333333 us-west-2 Rampart-web-prod-us-west-2-Stage',
    ]);
    const stage = plan.pipelineStacks[1];
    expect(stage?.tags).toEqual([
      { Key: 'ManagedBy', Value: 'Rampart' },
      { Key: 'rampart:organization', Value: 'acme' },
      { Key: 'rampart:pipeline', Value: 'web' },
      { Key: 'rampart:stage', Value: 'staging' },
    ]);
    // The stage template embeds the org stack's key ARN it is given.
    expect(JSON.stringify(stage?.template(TEST_KEY_ARN))).toContain(TEST_KEY_ARN);
  });

  it('deploys only the chosen pipelines, while the org stack lists every pipeline', async () => {
    const { settings, web } = await multiAccountExample();
    const other = await pipelineFrom(
      settings,
      `version: '1.0.0'\npipeline:\n  cloud_provider: AWS\n  stages:\n    - name: dev\n      account_id: '444444444444'\n      region: eu-west-1\n  steps:\n    - name: Bake\n      type: RAMPART:APPROVAL:BAKE\n      params:\n        duration_minutes: 1\n`,
      { slug: 'api' },
    );
    const plan = planBootstrap({ settings, pipelines: [web, other], slugs: ['api'] });
    expect(plan.accounts).toEqual(['111111111111', '444444444444']);
    expect(plan.pipelineStacks.map((s) => s.stackName)).toEqual(['Rampart-api-dev-Stage']);
    expect(JSON.stringify(plan.organizationStack.template(''))).toContain(
      'rampart-acme-web-staging',
    );
  });

  it('says for each stage with alarms how they are watched', async () => {
    const { settings, web } = await multiAccountExample();
    const watch = (s: typeof settings) =>
      planBootstrap({ settings: s, pipelines: [web] }).pipelineStacks.map((p) =>
        p.alarms === undefined ? `${p.stackName} -` : `${p.stackName} ${p.alarms.watch.via}`,
      );
    expect(watch(settings)).toEqual([
      'Rampart-web-Pipeline -',
      'Rampart-web-staging-Stage poll',
      'Rampart-web-prod-us-east-1-Stage poll',
      'Rampart-web-prod-us-west-2-Stage poll',
    ]);
    const pushing = { ...settings, alarmPush: { publicUrl: 'https://r.example', token: TOKEN } };
    expect(watch(pushing).slice(1)).toEqual([
      'Rampart-web-staging-Stage push',
      'Rampart-web-prod-us-east-1-Stage push',
      'Rampart-web-prod-us-west-2-Stage push',
    ]);
    const staging = planBootstrap({ settings: pushing, pipelines: [web] }).pipelineStacks[1];
    expect(staging?.alarms).toMatchObject({ pipeline: 'web', stage: 'staging' });
    expect(JSON.stringify(staging?.template(TEST_KEY_ARN))).not.toContain(TOKEN);
  });

  it('refuses a slug that names no valid pipeline', async () => {
    const { settings, web } = await multiAccountExample();
    let error: unknown;
    try {
      planBootstrap({ settings, pipelines: [web], slugs: ['nope'] });
    } catch (e) {
      error = e;
    }
    expect(isRampartError(error) && error.code).toBe('USAGE');
    expect((error as Error).message).toContain(
      '"nope", which is not a valid pipeline here (found: web)',
    );
  });
});

describe('bootstrapSettingsFrom', () => {
  it('takes organization and issuer from the config', () => {
    expect(
      bootstrapSettingsFrom({
        organization: {
          slug: 'acme',
          cicd_account_id: '111111111111',
          cicd_account_region: 'us-east-1',
        },
        issuer_url: 'https://rampart.acme.example',
      }),
    ).toEqual({
      organization: {
        slug: 'acme',
        cicd_account_id: '111111111111',
        cicd_account_region: 'us-east-1',
      },
      issuerUrl: 'https://rampart.acme.example',
    });
  });

  it('with public_url: alarm push with the token; http:// only against an endpoint override', () => {
    const untokened: ControlPlaneConfig = {
      organization: {
        slug: 'acme',
        cicd_account_id: '111111111111',
        cicd_account_region: 'us-east-1',
      },
      issuer_url: 'https://rampart.acme.example',
    };
    const base: ControlPlaneConfig = { ...untokened, alarm_push_token: TOKEN };
    expect(
      bootstrapSettingsFrom({ ...base, public_url: 'https://rampart.acme.example' }).alarmPush,
    ).toEqual({ publicUrl: 'https://rampart.acme.example', token: TOKEN });
    expect(bootstrapSettingsFrom(base).alarmPush).toBeUndefined();
    const sandbox = bootstrapSettingsFrom({
      ...base,
      public_url: 'http://127.0.0.1:8080',
      aws: { endpoint_url: 'http://127.0.0.1:4566' },
    });
    expect(sandbox.alarmPush?.publicUrl).toBe('http://127.0.0.1:8080');

    const refused = (config: ControlPlaneConfig) => {
      try {
        bootstrapSettingsFrom(config);
      } catch (error) {
        if (isRampartError(error)) return error;
      }
      throw new Error('expected CONFIG_INVALID');
    };
    const plainHttp = refused({ ...base, public_url: 'http://rampart.acme.example' });
    expect(plainHttp.code).toBe('CONFIG_INVALID');
    expect(plainHttp.message).toContain('accept only https://');
    expect(plainHttp.hint).toContain('HTTPS');
    // The config schema demands the token; a config built in code is checked again.
    const noToken = refused({ ...untokened, public_url: 'https://x.example' });
    expect(noToken.message).toBe('public_url is set without alarm_push_token');
  });

  it('names the first missing key', () => {
    expect(() =>
      bootstrapSettingsFrom({
        organization: {
          slug: 'acme',
          cicd_account_id: '111111111111',
          cicd_account_region: 'us-east-1',
        },
      }),
    ).toThrow('the control-plane config has no issuer_url');
    expect(() => bootstrapSettingsFrom({ issuer_url: 'https://x.example' })).toThrow(
      'has no organization.slug',
    );
  });
});
