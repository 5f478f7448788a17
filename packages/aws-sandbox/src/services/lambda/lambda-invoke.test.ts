import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  InvalidRequestContentException,
  InvokeCommand,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  type CreateFunctionCommandInput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  createRole,
  esmHandler,
  handlerZip,
  lambdaClients,
  payloadText,
  rejection,
} from './test-support/lambda-kit.js';

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

describe('Lambda Invoke', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let lambda: LambdaClient;
  let role: string;

  beforeAll(async () => {
    sandbox = await startSandbox({
      clock,
      tickIntervalMs: 0,
      delays: { 'lambda.create': 0, 'lambda.update': 0 },
    });
  });
  beforeEach(async () => {
    sandbox.control.reset();
    const clients = lambdaClients(sandbox, sandbox.credentialsFor(DEV), clock);
    lambda = clients.lambda;
    role = await createRole(clients.iam);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const create = (name: string, zip: Uint8Array, extra: Partial<CreateFunctionCommandInput> = {}) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: role,
        Code: { ZipFile: zip },
        ...extra,
      }),
    );

  it('runs an ESM handler with the event, context, environment and console log', async () => {
    await create(
      'echo',
      handlerZip({
        'index.mjs': [
          'export const handler = async (event, context) => {',
          "  console.log('got', JSON.stringify(event));",
          '  return {',
          '    event,',
          '    name: context.functionName,',
          '    requestId: context.awsRequestId,',
          '    remaining: context.getRemainingTimeInMillis() > 0,',
          '    stage: process.env.STAGE,',
          '    version: process.env.AWS_LAMBDA_FUNCTION_VERSION,',
          '    region: process.env.AWS_REGION,',
          '  };',
          '};',
        ].join('\n'),
      }),
      { Environment: { Variables: { STAGE: 'dev' } } },
    );
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: json({ a: 1 }), LogType: 'Tail' }),
    );
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect(result.ExecutedVersion).toBe('$LATEST');
    const body = JSON.parse(payloadText(result.Payload)) as Record<string, unknown>;
    expect(body).toMatchObject({
      event: { a: 1 },
      name: 'echo',
      remaining: true,
      stage: 'dev',
      version: '$LATEST',
      region: 'us-east-1',
    });
    const requestId = result.$metadata.requestId ?? '';
    expect(body['requestId']).toBe(requestId);
    const log = Buffer.from(result.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toContain(`START RequestId: ${requestId} Version: $LATEST`);
    expect(log).toContain(`${requestId}\tINFO\tgot {"a":1}`);
    expect(log).toContain(`REPORT RequestId: ${requestId}`);

    // The same lines reach CloudWatch Logs under /aws/lambda/<name>.
    const logs = new CloudWatchLogsClient(
      clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }),
    );
    const events = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/lambda/echo', filterPattern: 'INFO' }),
    );
    expect(events.events?.map((e) => e.message)).toEqual([
      `2026-03-01T10:00:00.000Z\t${requestId}\tINFO\tgot {"a":1}`,
    ]);
  });

  it('runs CommonJS callback handlers in subdirectories, and aliases with their version', async () => {
    await create(
      'cjs',
      handlerZip({
        'src/app.js': [
          'exports.main = function (event, context, callback) {',
          '  setTimeout(() => callback(null, { doubled: event.n * 2 }), 5);',
          '};',
        ].join('\n'),
      }),
      { Handler: 'src/app.main' },
    );
    const direct = await lambda.send(
      new InvokeCommand({ FunctionName: 'cjs', Payload: json({ n: 21 }) }),
    );
    expect(JSON.parse(payloadText(direct.Payload))).toEqual({ doubled: 42 });

    await lambda.send(new PublishVersionCommand({ FunctionName: 'cjs' }));
    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'cjs', Name: 'live', FunctionVersion: '1' }),
    );
    const viaAlias = await lambda.send(
      new InvokeCommand({ FunctionName: 'cjs', Qualifier: 'live', Payload: json({ n: 2 }) }),
    );
    expect(viaAlias.ExecutedVersion).toBe('1');
    expect(JSON.parse(payloadText(viaAlias.Payload))).toEqual({ doubled: 4 });
  });

  it('reports a thrown error and a missing handler the way Lambda does', async () => {
    await create(
      'boom',
      handlerZip({
        'index.mjs': "export const handler = async () => { throw new TypeError('bad input'); };",
      }),
    );
    const failed = await lambda.send(new InvokeCommand({ FunctionName: 'boom' }));
    expect(failed.StatusCode).toBe(200);
    expect(failed.FunctionError).toBe('Unhandled');
    const error = JSON.parse(payloadText(failed.Payload)) as {
      errorType: string;
      errorMessage: string;
      trace: string[];
    };
    expect(error.errorType).toBe('TypeError');
    expect(error.errorMessage).toBe('bad input');
    expect(error.trace[0]).toBe('TypeError: bad input');

    await create('lost', esmHandler('1'), { Handler: 'index.missing' });
    const lost = await lambda.send(new InvokeCommand({ FunctionName: 'lost' }));
    expect(lost.FunctionError).toBe('Unhandled');
    expect(JSON.parse(payloadText(lost.Payload))).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.missing is undefined or not exported',
    });
  });

  it('kills a handler that outlives its timeout (a real one-second wait)', async () => {
    await create(
      'stuck',
      handlerZip({ 'index.mjs': 'export const handler = () => new Promise(() => {});' }),
      { Timeout: 1 },
    );
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'stuck', LogType: 'Tail' }));
    expect(result.FunctionError).toBe('Unhandled');
    const requestId = result.$metadata.requestId ?? '';
    expect(JSON.parse(payloadText(result.Payload))).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(Buffer.from(result.LogResult ?? '', 'base64').toString('utf8')).toContain(
      'Task timed out after 1.00 seconds',
    );
  });

  it('answers Event and DryRun invocations without waiting for the handler', async () => {
    await create('quiet', esmHandler('null'));
    const event = await lambda.send(
      new InvokeCommand({ FunctionName: 'quiet', InvocationType: 'Event', Payload: json({}) }),
    );
    expect(event.StatusCode).toBe(202);
    expect(payloadText(event.Payload)).toBe('');
    const dry = await lambda.send(
      new InvokeCommand({ FunctionName: 'quiet', InvocationType: 'DryRun' }),
    );
    expect(dry.StatusCode).toBe(204);
  });

  it('returns the configured response for other runtimes and image-like functions', async () => {
    await create('py', esmHandler('1'), {
      Runtime: 'python3.12',
      Handler: 'app.handler',
      Environment: { Variables: { SANDBOX_RESPONSE: '{"ok":true}' } },
    });
    const configured = await lambda.send(new InvokeCommand({ FunctionName: 'py' }));
    expect(JSON.parse(payloadText(configured.Payload))).toEqual({ ok: true });
    await create('rb', esmHandler('1'), { Runtime: 'ruby3.3', Handler: 'app.handler' });
    expect(
      payloadText((await lambda.send(new InvokeCommand({ FunctionName: 'rb' }))).Payload),
    ).toBe('null');
  });

  it('reports a function error for code marked unhealthy, without running it', async () => {
    const created = await create('sick', esmHandler('"fine"'));
    sandbox.control.markUnhealthy({ codeSha256: created.CodeSha256 ?? '' });
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'sick' }));
    expect(result.FunctionError).toBe('Unhandled');
    expect(payloadText(result.Payload)).toContain('marks code');
    sandbox.control.markHealthy({ codeSha256: created.CodeSha256 ?? '' });
    const healthy = await lambda.send(new InvokeCommand({ FunctionName: 'sick' }));
    expect(payloadText(healthy.Payload)).toBe('"fine"');
  });

  it('rejects bad payloads, unknown qualifiers and pending functions', async () => {
    await create('strict', esmHandler('1'));
    const notJson = await rejection(
      lambda.send(
        new InvokeCommand({ FunctionName: 'strict', Payload: new TextEncoder().encode('{nope') }),
      ),
    );
    expect(notJson).toBeInstanceOf(InvalidRequestContentException);
    expect(
      await rejection(
        lambda.send(new InvokeCommand({ FunctionName: 'strict', Qualifier: 'ghost' })),
      ),
    ).toBeInstanceOf(ResourceNotFoundException);

    const slow = await startSandbox({ clock, tickIntervalMs: 0 });
    try {
      const clients = lambdaClients(slow, slow.credentialsFor(DEV), clock);
      await clients.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'new',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: await createRole(clients.iam),
          Code: { ZipFile: esmHandler('1') },
        }),
      );
      const pending = await rejection(
        clients.lambda.send(new InvokeCommand({ FunctionName: 'new' })),
      );
      expect(pending).toBeInstanceOf(ResourceConflictException);
    } finally {
      await slow.stop();
    }
  });

  it('routes weighted alias traffic to both versions in proportion', async () => {
    await create('split', esmHandler('"one"'));
    await lambda.send(new PublishVersionCommand({ FunctionName: 'split' }));
    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'split', Name: 'live', FunctionVersion: '1' }),
    );
    // Version 2 answers from its configuration, which makes the split visible and fast.
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'split',
        Runtime: 'python3.12',
        Environment: { Variables: { SANDBOX_RESPONSE: '"two"' } },
      }),
    );
    await lambda.send(new PublishVersionCommand({ FunctionName: 'split' }));
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'split',
        Name: 'live',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } },
      }),
    );
    const versions: string[] = [];
    for (let n = 0; n < 4; n += 1) {
      const result = await lambda.send(new InvokeCommand({ FunctionName: 'split:live' }));
      versions.push(result.ExecutedVersion ?? '');
    }
    expect(versions.sort()).toEqual(['1', '1', '2', '2']);
  });
});
