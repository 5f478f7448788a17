import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, DEV } from '../../tests/sdk-clients.js';
import { signedFetch } from '../../tests/raw-requests.js';
import { systemClock } from '../clock.js';
import { jsonProtocol } from '../protocols/json-protocol.js';
import { startSandbox, type Sandbox } from '../sandbox.js';
import type { ServiceDefinition } from './service.js';

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Echo reads its request body, as REST handlers do; Relay invokes it in-process. */
const echo: ServiceDefinition = {
  name: 'echo',
  protocol: jsonProtocol({ targetPrefix: 'Echo' }),
  actions: {
    Read: {
      iamAction: 'sts:GetCallerIdentity',
      handler: async (ctx) => ({
        Body: await text(ctx.request.stream),
        Length: ctx.request.headers['content-length'] ?? '',
        Type: ctx.request.headers['content-type'] ?? '',
      }),
    },
    Relay: {
      iamAction: 'sts:GetCallerIdentity',
      handler: async (ctx) => ({
        WithBody: await ctx.invoke(
          'echo',
          'Read',
          {},
          {
            body: '<Doc>é</Doc>',
            headers: { 'content-type': 'application/xml' },
          },
        ),
        WithoutBody: await ctx.invoke('echo', 'Read', {}),
      }),
    },
  },
};

describe('ctx.invoke with a request body', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ extraServices: [echo] });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('gives the invoked action that body and its length; without one, the calling request', async () => {
    const config = clientConfig(sandbox, sandbox.credentialsFor(DEV));
    const response = await signedFetch(sandbox, {
      service: 'echo',
      credentials: config.credentials,
      clock: systemClock,
      headers: { 'x-amz-target': 'Echo.Relay', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      WithBody: { Body: string; Length: string; Type: string };
      WithoutBody: { Length: string; Type: string };
    };
    expect(result.WithBody).toEqual({
      Body: '<Doc>é</Doc>',
      Length: String(Buffer.byteLength('<Doc>é</Doc>')),
      Type: 'application/xml',
    });
    expect(result.WithoutBody.Type).toBe('application/x-amz-json-1.1');
    expect(result.WithoutBody.Length).toBe('2');
  });
});
