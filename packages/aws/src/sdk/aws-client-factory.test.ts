import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AwsClientFactory } from './aws-client-factory.js';

const run = promisify(execFile);

const BUILT = fileURLToPath(new URL('../../dist/sdk/aws-client-factory.js', import.meta.url));

const CLIENT_PACKAGES = [
  'cloudformation',
  'cloudfront',
  'cloudwatch',
  'cloudwatch-logs',
  'ecr',
  'ecs',
  'iam',
  'kms',
  'lambda',
  's3',
  'secrets-manager',
  'sts',
] as const;

/**
 * Which `@aws-sdk/client-*` packages a fresh Node process has loaded after importing the built
 * factory, building one, and asking it for the clients named in `ask`. A child process, since
 * this test worker has loaded SDK packages of its own.
 */
async function loadedAfter(ask: string[]): Promise<{ imported: string[]; asked: string[] }> {
  const script = `
    import { createRequire } from 'node:module';
    const require = createRequire(${JSON.stringify(BUILT)});
    const names = ${JSON.stringify(CLIENT_PACKAGES)};
    const files = names.map((name) => [name, require.resolve('@aws-sdk/client-' + name)]);
    const loaded = () => files.filter(([, file]) => file in require.cache).map(([name]) => name);
    const { AwsClientFactory } = await import(${JSON.stringify(BUILT)});
    const factory = new AwsClientFactory({ endpointUrl: 'http://127.0.0.1:9' });
    const imported = loaded();
    for (const method of ${JSON.stringify(ask)}) factory[method]({ region: 'us-east-1' });
    console.log(JSON.stringify({ imported, asked: loaded() }));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(stdout) as { imported: string[]; asked: string[] };
}

describe('AwsClientFactory', () => {
  it('loads no SDK client package until one of its clients is asked for', async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: build first (npx tsc -b)`);
    const none = await loadedAfter([]);
    expect(none).toEqual({ imported: [], asked: [] });
    const some = await loadedAfter(['lambda', 'webIdentitySts']);
    expect(some.imported).toEqual([]);
    expect(some.asked.sort()).toEqual(['lambda', 'sts']);
  });

  it('builds every client with the region, endpoint and one shared connection pool', async () => {
    const factory = new AwsClientFactory({
      endpointUrl: 'http://127.0.0.1:4566',
      defaultCredentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const target = { region: 'eu-west-1' };
    const clients = [
      factory.sts(target),
      factory.webIdentitySts(target),
      factory.cloudFormation(target),
      factory.cloudWatch(target),
      factory.cloudWatchLogs(target),
      factory.cloudFront(target),
      factory.ecr(target),
      factory.ecs(target),
      factory.iam(target),
      factory.kms(target),
      factory.lambda(target),
      factory.s3(target),
      factory.secretsManager(target),
    ];
    const handlers = new Set(clients.map((client) => client.config.requestHandler));
    expect(handlers.size).toBe(1);
    for (const client of clients) {
      expect(await client.config.region()).toBe('eu-west-1');
      const endpoint = await client.config.endpoint?.();
      expect(endpoint?.hostname).toBe('127.0.0.1');
      expect(endpoint?.port).toBe(4566);
    }
    const s3 = factory.s3(target);
    expect(s3.config.forcePathStyle).toBe(true);
    expect(await factory.ecs(target).config.credentials()).toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
    });
    // Web identity STS signs nothing: asking its credentials fails instead of finding some.
    await expect(factory.webIdentitySts(target).config.credentials()).rejects.toThrow(
      /unsigned requests only/,
    );
    for (const client of [...clients, s3]) client.destroy();
  });

  it('addresses S3 virtual-host style on real AWS, and passes the per-client options', async () => {
    const factory = new AwsClientFactory({ maxAttempts: 5 });
    const s3 = factory.s3({ region: 'us-west-2' });
    expect(s3.config.forcePathStyle).toBe(false);
    expect(s3.config.endpoint).toBeUndefined();
    expect(await s3.config.maxAttempts()).toBe(5);
    const ecs = factory.ecs({ region: 'us-west-2', maxAttempts: 1 });
    expect(await ecs.config.maxAttempts()).toBe(1);
    s3.destroy();
    ecs.destroy();
  });

  it('signs with the configured clock: its offset from the system clock', () => {
    const hour = 3_600_000;
    const factory = new AwsClientFactory({ clock: { now: () => new Date(Date.now() + hour) } });
    const offset = factory.sts({ region: 'us-east-1' }).config.systemClockOffset;
    // Two reads of the system clock lie between the clock's reading and the factory's.
    expect(Math.abs(offset - hour)).toBeLessThan(60_000);
    expect(new AwsClientFactory().sts({ region: 'us-east-1' }).config.systemClockOffset).toBe(0);
  });
});
