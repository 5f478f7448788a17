import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { STEP_TYPES } from './catalog.js';
import type { StepTypeId } from './step-type-ids.js';

function parse(id: StepTypeId, params: unknown) {
  return (STEP_TYPES[id].params as z.ZodType).safeParse(params);
}

/** The issues as `path: message`, for readable assertions. */
function issues(id: StepTypeId, params: unknown): string[] {
  const result = parse(id, params);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('TERRAFORM:SYNTHESIZE params', () => {
  const id = 'RAMPART:TERRAFORM:SYNTHESIZE';

  it('requires source and defaults requires_approval to NEVER', () => {
    expect(parse(id, { source: 'infra' }).data).toEqual({
      source: 'infra',
      requires_approval: 'NEVER',
    });
    expect(issues(id, {})).toEqual([expect.stringMatching(/^source: /)]);
    expect(issues(id, { source: '' })).toEqual(['source: must not be empty']);
  });

  it('takes the approval modes, or an expression', () => {
    for (const mode of ['ALWAYS', 'NEVER', 'DESTRUCTIVE_CHANGES_ONLY', '${{ vars.approval }}']) {
      expect(parse(id, { source: 'infra', requires_approval: mode }).success).toBe(true);
    }
    expect(issues(id, { source: 'infra', requires_approval: 'SOMETIMES' })).toEqual([
      'requires_approval: expected one of ALWAYS, NEVER, DESTRUCTIVE_CHANGES_ONLY, or an expression ${{ … }}',
    ]);
  });

  it('takes variables as a free-form map or one expression', () => {
    expect(
      parse(id, { source: 'i', variables: { n: 1, tags: { a: 'b' }, on: true } }).success,
    ).toBe(true);
    expect(parse(id, { source: 'i', variables: '${{ vars.tf }}' }).success).toBe(true);
    expect(issues(id, { source: 'i', variables: ['a'] })).toEqual([
      'variables: expected a map of keys to values, or an expression ${{ … }}',
    ]);
    expect(parse(id, { source: 'i', variables: 'plain' }).success).toBe(false);
  });
});

describe('ECS:DEPLOY params', () => {
  const id = 'RAMPART:ECS:DEPLOY';
  const base = {
    cluster_name: 'main',
    service_name: 'api',
    image_url: '${{ stage.artifacts.api.image_url }}',
  };

  it('requires cluster, service and image, and applies defaults', () => {
    expect(parse(id, base).data).toEqual({
      ...base,
      wait_for_steady_state: true,
      timeout_minutes: 30,
    });
    expect(
      issues(id, { cluster_name: 'main' })
        .map((i) => i.split(':')[0])
        .sort(),
    ).toEqual(['image_url', 'service_name']);
  });

  it('accepts typed values or expressions for non-string params', () => {
    expect(parse(id, { ...base, wait_for_steady_state: false, timeout_minutes: 5 }).success).toBe(
      true,
    );
    expect(
      parse(id, {
        ...base,
        wait_for_steady_state: '${{ vars.wait }}',
        timeout_minutes: '[OUTPUT:x/t]',
      }).success,
    ).toBe(true);
  });

  it('rejects wrong types with the expected form in the message', () => {
    expect(issues(id, { ...base, wait_for_steady_state: 'yes' })).toEqual([
      'wait_for_steady_state: expected true or false, or an expression ${{ … }}',
    ]);
    for (const bad of [0, -1, 2.5, '30']) {
      expect(issues(id, { ...base, timeout_minutes: bad })[0]).toMatch(
        /^timeout_minutes: expected a whole number above 0/,
      );
    }
  });
});

describe('ECS:RUN_TASK params', () => {
  const id = 'RAMPART:ECS:RUN_TASK';
  const base = { cluster_name: 'main', task_definition: 'migrate' };

  it('defaults launch_type to FARGATE', () => {
    expect(parse(id, base).data).toEqual({ ...base, launch_type: 'FARGATE' });
    expect(issues(id, { ...base, launch_type: 'LAMBDA' })[0]).toMatch(
      /^launch_type: expected one of FARGATE, EC2, EXTERNAL/,
    );
  });

  it('checks network ids unless they are expressions', () => {
    const ok = {
      ...base,
      subnets: ['subnet-0123456789abcdef0', '${{ vars.subnet }}'],
      security_groups: ['sg-12345678'],
    };
    expect(parse(id, ok).success).toBe(true);
    expect(parse(id, { ...base, subnets: '${{ steps.net.subnets }}' }).success).toBe(true);
    expect(issues(id, { ...base, subnets: ['vpc-123'] })).toEqual([
      'subnets.0: expected a subnet id (subnet-…), or an expression ${{ … }}',
    ]);
    expect(issues(id, { ...base, security_groups: ['default'] })[0]).toMatch(
      /^security_groups\.0: /,
    );
  });

  it('takes command as a list and environment as a map', () => {
    expect(
      parse(id, { ...base, command: ['npm', 'run', 'migrate'], environment: { A: 1 } }).success,
    ).toBe(true);
    expect(parse(id, { ...base, command: 'npm run migrate' }).success).toBe(false);
  });
});

describe('LAMBDA:DEPLOY params', () => {
  const id = 'RAMPART:LAMBDA:DEPLOY';

  it('accepts a zip in S3 or an image', () => {
    expect(parse(id, { function_name: 'f', s3_bucket: 'b', s3_key: 'k.zip' }).success).toBe(true);
    expect(
      parse(id, { function_name: 'f', image_url: '1.dkr.ecr/x:1', alias: 'live' }).success,
    ).toBe(true);
  });

  it('rejects both sources, naming image_url', () => {
    expect(issues(id, { function_name: 'f', s3_bucket: 'b', s3_key: 'k', image_url: 'i' })).toEqual(
      ['image_url: set either image_url or s3_bucket + s3_key, not both'],
    );
    expect(issues(id, { function_name: 'f', s3_key: 'k', image_url: 'i' })[0]).toMatch(
      /^image_url: /,
    );
  });

  it('rejects half of an S3 location, naming the missing half', () => {
    expect(issues(id, { function_name: 'f', s3_bucket: 'b' })).toEqual([
      's3_key: s3_key is required with s3_bucket',
    ]);
    expect(issues(id, { function_name: 'f', s3_key: 'k' })).toEqual([
      's3_bucket: s3_bucket is required with s3_key',
    ]);
  });

  it('rejects no source at all, on the params object', () => {
    expect(issues(id, { function_name: 'f' })).toEqual([
      ': set s3_bucket and s3_key (a zip in S3) or image_url (a container image)',
    ]);
  });
});

describe('LAMBDA:INVOKE params', () => {
  it('takes any JSON payload', () => {
    for (const payload of [{ a: 1 }, [1, 2], 'text', 3, null]) {
      expect(parse('RAMPART:LAMBDA:INVOKE', { function_name: 'f', payload }).success).toBe(true);
    }
    expect(issues('RAMPART:LAMBDA:INVOKE', { payload: {} })[0]).toMatch(/^function_name: /);
  });
});

describe('CLOUDFORMATION:DEPLOY params', () => {
  const id = 'RAMPART:CLOUDFORMATION:DEPLOY';
  const base = { template: 'cfn/app.yaml', stack_name: 'app-prod' };

  it('requires template and stack_name', () => {
    expect(parse(id, base).success).toBe(true);
    expect(issues(id, { stack_name: 'x' })[0]).toMatch(/^template: /);
  });

  it('checks stack names unless they are expressions or ARNs', () => {
    expect(parse(id, { ...base, stack_name: 'app-${{ stage.name }}' }).success).toBe(true);
    expect(
      parse(id, {
        ...base,
        stack_name: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/abc',
      }).success,
    ).toBe(true);
    for (const bad of ['1app', 'app_prod', 'a'.repeat(129)]) {
      expect(issues(id, { ...base, stack_name: bad })[0]).toMatch(
        /^stack_name: expected a stack name/,
      );
    }
  });

  it('takes only known capabilities', () => {
    expect(
      parse(id, { ...base, capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }).success,
    ).toBe(true);
    expect(parse(id, { ...base, capabilities: ['CAPABILITY_ALL'] }).success).toBe(false);
  });
});

describe('S3:UPLOAD params', () => {
  const id = 'RAMPART:S3:UPLOAD';

  it('requires source and bucket and defaults delete_removed to false', () => {
    expect(parse(id, { source: 'dist', bucket: 'my-site' }).data).toEqual({
      source: 'dist',
      bucket: 'my-site',
      delete_removed: false,
    });
    expect(issues(id, { source: 'dist' })[0]).toMatch(/^bucket: /);
  });

  it('checks bucket names unless they are expressions', () => {
    expect(parse(id, { source: 'd', bucket: '${{ steps.infra.bucket }}' }).success).toBe(true);
    for (const bad of ['My-Site', 'ab', '-site', 'site_1']) {
      expect(issues(id, { source: 'd', bucket: bad })[0]).toMatch(
        /^bucket: expected a bucket name/,
      );
    }
  });
});

describe('CLOUDFRONT:INVALIDATE params', () => {
  const id = 'RAMPART:CLOUDFRONT:INVALIDATE';

  it('defaults paths to /*', () => {
    expect(parse(id, { distribution_id: 'E2QWRUHAPOMQZL' }).data).toEqual({
      distribution_id: 'E2QWRUHAPOMQZL',
      paths: ['/*'],
    });
  });

  it('checks ids and paths', () => {
    expect(issues(id, { distribution_id: 'not an id' })[0]).toMatch(/^distribution_id: /);
    expect(issues(id, { distribution_id: 'E2QWRUHAPOMQZL', paths: ['index.html'] })).toEqual([
      'paths.0: expected a path starting with "/", or an expression ${{ … }}',
    ]);
    expect(issues(id, { distribution_id: 'E2QWRUHAPOMQZL', paths: [] })).toEqual([
      'paths: list at least one path',
    ]);
  });
});

describe('APPROVAL and SCRIPT params', () => {
  it('requires duration_minutes for a bake', () => {
    expect(parse('RAMPART:APPROVAL:BAKE', { duration_minutes: 30 }).success).toBe(true);
    expect(issues('RAMPART:APPROVAL:BAKE', {})[0]).toMatch(/^duration_minutes: /);
    expect(issues('RAMPART:APPROVAL:BAKE', { duration_minutes: 0 })[0]).toMatch(
      /^duration_minutes: /,
    );
  });

  it('defaults a manual approval to 168 hours and allows fractions', () => {
    expect(parse('RAMPART:APPROVAL:MANUAL', {}).data).toEqual({ timeout_hours: 168 });
    expect(parse('RAMPART:APPROVAL:MANUAL', { timeout_hours: 1.5 }).success).toBe(true);
  });

  it('requires a command for tests and scripts', () => {
    expect(
      parse('RAMPART:APPROVAL:TEST', { command: 'npm test', junit_report: 'out/junit.xml' })
        .success,
    ).toBe(true);
    expect(parse('RAMPART:SCRIPT:RUN', { command: './deploy.sh', env: { A: '1' } }).success).toBe(
      true,
    );
    expect(issues('RAMPART:SCRIPT:RUN', {})[0]).toMatch(/^command: /);
    expect(issues('RAMPART:SCRIPT:RUN', { command: 'x', junit_report: 'r.xml' })[0]).toMatch(
      /Unrecognized key/,
    );
  });
});
