// The registry's authentication dance and its IAM: the same rules as the ECR API, applied to the
// principal behind the token, across accounts through repository policies.
import {
  CreateRepositoryCommand,
  SetRepositoryPolicyCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { DeleteAccessKeyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CICD, clients, DEV, MANAGEMENT } from '../../tests/sdk-clients.js';
import { ManualClock } from '../clock.js';
import { startSandbox, type Sandbox } from '../sandbox.js';
import {
  basicAuth,
  ecrClient,
  policyDocument,
  randomBlob,
  registryPassword,
  testImage,
  userWithPolicy,
  type TestImage,
} from '../services/ecr/test-support/ecr-sandbox.js';

interface OciErrors {
  errors: { code: string; message: string }[];
}

describe('the OCI registry: authentication and authorization', () => {
  let sandbox: Sandbox;
  let owner: ECRClient;
  let ownerAuth: Record<string, string>;
  let image: TestImage;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const shared = `${CICD}/us-east-1/shared`;

  const reg = (path: string, headers: Record<string, string>, init: RequestInit = {}) =>
    fetch(`${sandbox.endpoint}${path}`, { ...init, headers });

  async function failure(response: Response): Promise<[number, string, string]> {
    const body = (await response.json()) as OciErrors;
    return [response.status, body.errors[0]?.code ?? '', body.errors[0]?.message ?? ''];
  }

  async function push(auth: Record<string, string>, name: string, pushed: TestImage, tag: string) {
    for (const blob of [pushed.config, ...pushed.layers]) {
      const response = await reg(`/v2/${name}/blobs/uploads/?digest=${blob.digest}`, auth, {
        method: 'POST',
        body: blob.data,
      });
      if (response.status !== 201) return response;
    }
    return reg(
      `/v2/${name}/manifests/${tag}`,
      { ...auth, 'content-type': pushed.mediaType },
      {
        method: 'PUT',
        body: pushed.manifest,
      },
    );
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    owner = ecrClient(sandbox, sandbox.credentialsFor(CICD), clock);
    await owner.send(new CreateRepositoryCommand({ repositoryName: 'shared' }));
    ownerAuth = basicAuth(await registryPassword(owner));
    image = testImage([randomBlob(200)]);
    expect((await push(ownerAuth, shared, image, 'v1')).status).toBe(201);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('challenges clients without credentials with Basic, and accepts the ECR token', async () => {
    for (const path of ['/v2/', '/v2', `/v2/${shared}/manifests/v1`]) {
      const response = await reg(path, {});
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate'), path).toMatch(/^Basic realm="/);
      expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
      expect((await failure(response))[1]).toBe('UNAUTHORIZED');
    }
    const base = await reg('/v2/', ownerAuth);
    expect(base.status).toBe(200);
    expect(await base.json()).toEqual({});
    for (const authorization of [
      'Basic ' + Buffer.from('AWS:not-a-token').toString('base64'),
      'Basic !!!',
      'Bearer something',
      'Basic ' + Buffer.from('no-colon').toString('base64'),
    ]) {
      const response = await reg('/v2/', { authorization });
      expect(response.status, authorization).toBe(401);
    }
    // SigV4-signed requests to /v2 are not the registry's (and an unsigned HEAD has no body).
    const head = await reg(`/v2/${shared}/manifests/v1`, {}, { method: 'HEAD' });
    expect(head.status).toBe(401);
    expect(await head.text()).toBe('');
  });

  it('refuses expired tokens and tokens of deleted keys', async () => {
    const start = new ManualClock(clock.now());
    const sandbox2 = await startSandbox({ clock: start, tickIntervalMs: 0 });
    try {
      const admin = ecrClient(sandbox2, sandbox2.credentialsFor(CICD), start);
      const auth = basicAuth(await registryPassword(admin));
      expect((await fetch(`${sandbox2.endpoint}/v2/`, { headers: auth })).status).toBe(200);
      start.advance(12 * 3600 * 1000 - 1000);
      expect((await fetch(`${sandbox2.endpoint}/v2/`, { headers: auth })).status).toBe(200);
      start.advance(1000);
      const expired = await fetch(`${sandbox2.endpoint}/v2/`, { headers: auth });
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect((await failure(expired))[2]).toBe(
        'Your authorization token has expired. Reauthenticate and try again.',
      );
      // A user's key deleted: its tokens die with it.
      const keys = await userWithPolicy(sandbox2, start, CICD, 'temp', [
        { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      ]);
      const userAuth = basicAuth(await registryPassword(ecrClient(sandbox2, keys, start)));
      expect((await fetch(`${sandbox2.endpoint}/v2/`, { headers: userAuth })).status).toBe(200);
      const { iam } = clients(sandbox2, sandbox2.credentialsFor(CICD), { clock: start });
      await iam.send(
        new DeleteAccessKeyCommand({ UserName: 'temp', AccessKeyId: keys.accessKeyId }),
      );
      expect((await fetch(`${sandbox2.endpoint}/v2/`, { headers: userAuth })).status).toBe(401);
    } finally {
      await sandbox2.stop();
    }
  });

  it('authorizes each operation with the principal’s IAM rights', async () => {
    const puller = await userWithPolicy(sandbox, clock, CICD, 'puller', [
      { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Resource: `arn:aws:ecr:us-east-1:${CICD}:repository/shared`,
      },
    ]);
    const auth = basicAuth(await registryPassword(ecrClient(sandbox, puller, clock)));
    const manifest = await reg(`/v2/${shared}/manifests/v1`, auth);
    expect(await manifest.text()).toBe(image.manifest);
    const layer = await reg(`/v2/${shared}/blobs/${image.layers[0]?.digest ?? ''}`, auth);
    expect(layer.status).toBe(200);
    await layer.arrayBuffer();
    const denied: [string, RequestInit][] = [
      [`/v2/${shared}/manifests/v2`, { method: 'PUT', body: image.manifest }],
      [`/v2/${shared}/blobs/uploads/`, { method: 'POST' }],
      [`/v2/${shared}/manifests/v1`, { method: 'DELETE' }],
      [`/v2/${shared}/tags/list`, {}],
      [`/v2/${shared}/blobs/${image.config.digest}`, { method: 'HEAD' }],
    ];
    for (const [path, init] of denied) {
      const response = await reg(path, { ...auth, 'content-type': image.mediaType }, init);
      expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(403);
      if (init.method !== 'HEAD') {
        const [, code, message] = await failure(response);
        expect(code).toBe('DENIED');
        expect(message).toContain(
          `User: arn:aws:iam::${CICD}:user/puller is not authorized to perform: ecr:`,
        );
      }
    }
    // A repository it has no rights on is denied before it is found missing.
    const elsewhere = await reg(`/v2/${CICD}/us-east-1/missing/manifests/v1`, auth);
    expect(elsewhere.status).toBe(403);
  });

  it('lets other accounts pull, push and mount only as the repository policy allows', async () => {
    const devEcr = ecrClient(sandbox, sandbox.credentialsFor(DEV), clock);
    await devEcr.send(new CreateRepositoryCommand({ repositoryName: 'mirror' }));
    const devAuth = basicAuth(await registryPassword(devEcr));
    const mirror = `${DEV}/us-east-1/mirror`;
    const layerDigest = image.layers[0]?.digest ?? '';
    const mount = () =>
      reg(`/v2/${mirror}/blobs/uploads/?mount=${layerDigest}&from=${shared}`, devAuth, {
        method: 'POST',
      });

    const [status, code, message] = await failure(await reg(`/v2/${shared}/manifests/v1`, devAuth));
    expect([status, code]).toEqual([403, 'DENIED']);
    expect(message).toContain(`arn:aws:ecr:us-east-1:${CICD}:repository/shared`);
    expect((await mount()).status).toBe(202);

    await owner.send(
      new SetRepositoryPolicyCommand({
        repositoryName: 'shared',
        policyText: policyDocument([
          {
            Sid: 'dev-pulls',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${DEV}:root` },
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          },
        ]),
      }),
    );
    const pulled = await reg(`/v2/${shared}/manifests/v1`, devAuth);
    expect(await pulled.text()).toBe(image.manifest);
    const mounted = await mount();
    expect(mounted.status).toBe(201);
    const fromMirror = await reg(`/v2/${mirror}/blobs/${layerDigest}`, devAuth);
    expect(
      Buffer.from(await fromMirror.arrayBuffer()).equals(image.layers[0]?.data ?? Buffer.alloc(0)),
    ).toBe(true);
    const pushed = await push(devAuth, shared, testImage([randomBlob(5)]), 'from-dev');
    expect(pushed.status).toBe(403);
  });

  it('accepts tokens of role sessions until the session expires', async () => {
    await ecrClient(sandbox, sandbox.credentialsFor(DEV), clock).send(
      new CreateRepositoryCommand({ repositoryName: 'session-repo' }),
    );
    const { sts } = clients(sandbox, sandbox.credentialsFor(MANAGEMENT), { clock });
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${DEV}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'deployer',
        DurationSeconds: 900,
      }),
    );
    const session = {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    };
    const auth = basicAuth(await registryPassword(ecrClient(sandbox, session, clock)));
    const ok = await reg(`/v2/${DEV}/us-east-1/session-repo/tags/list`, auth);
    expect(ok.status).toBe(200);
    const log = sandbox.control.requestLog({ service: 'ecr', action: 'RegistryListTags' }).at(-1);
    expect(log?.callerArn).toBe(
      `arn:aws:sts::${DEV}:assumed-role/OrganizationAccountAccessRole/deployer`,
    );
    clock.advance(900 * 1000);
    expect((await reg('/v2/', auth)).status).toBe(401);
  });
});
