/**
 * A real server on a temp data dir (SQLite) with a git repository holding pipelines, and a small
 * typed client. Stage credentials and alarm readings are fakes: route tests exercise the API and
 * the engine, not AWS (the end-to-end test does that against the sandbox).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControlPlaneConfig } from '@rampart/core';
import type { AlarmReading, CredentialsProvider, StageTarget } from '@rampart/engine';
import { SseParser, type SseMessage } from '@rampart/protocol';
import { afterEach, beforeEach } from 'vitest';
import { startServer, type RunningServer, type StartServerOptions } from '../start-server.js';
import type { ServerNotice } from '../server-notice.js';
import { TestGitRepo } from './git-repo.js';

export const ORGANIZATION = {
  name: 'Acme',
  slug: 'acme',
  cicd_account_id: '111111111111',
  cicd_account_region: 'us-east-1' as const,
};

/**
 * A two-stage pipeline: a script writing outputs, one of them a secret (`secret-value`, decoded at
 * run time so it appears nowhere else), then a manual approval.
 */
export const WEB_PIPELINE = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: "444444444444"
      region: us-east-1
      auto_rollback_alarm_name: web-staging-5xx
    - name: prod
      account_id: "555555555555"
      region: us-west-2
      auto_rollback_alarm_name: web-prod-5xx
  steps:
    - name: Build
      type: RAMPART:SCRIPT:RUN
      params:
        command: 'echo "building \${{ stage.name }}"; echo "warning: slow" >&2; printf "image=web:1\\napi_token=%s\\n" "$(echo c2VjcmV0LXZhbHVl | base64 -d)" > "$RAMPART_OUTPUT"'
    - name: Approve
      type: RAMPART:APPROVAL:MANUAL
`;

/** Alarm states the fake reader answers with, by alarm name. */
export class FakeAlarms {
  readonly states = new Map<string, AlarmReading>();

  readAlarms(_target: StageTarget, alarms: readonly string[]): Promise<AlarmReading[]> {
    return Promise.resolve(alarms.flatMap((a) => this.states.get(a) ?? []));
  }
}

export const fakeCredentials: CredentialsProvider = {
  credentialsFor: () =>
    Promise.resolve({ accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake', sessionToken: 'fake' }),
};

/** A JSON answer. */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiHarness {
  readonly server: RunningServer;
  readonly repo: TestGitRepo;
  readonly adminToken: string;
  readonly notices: ServerNotice[];
  readonly alarms: FakeAlarms;
  /** A JSON request; `token` undefined sends no Authorization header. */
  call<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiAnswer<T>>;
  /** Creates a token of `role` with the admin token; returns its secret. */
  token(role: 'admin' | 'deployer' | 'viewer', name?: string): Promise<string>;
  /** Registers the repo as pipeline `web`. */
  registerWeb(): Promise<void>;
  /** Waits until the engine has nothing left to do before time moves on. */
  idle(): Promise<void>;
  /**
   * Reads a stream until `until` says stop (or it ends); returns the messages. The stream is
   * closed afterwards.
   */
  stream(
    path: string,
    until: (messages: SseMessage[]) => boolean,
    headers?: Record<string, string>,
  ): Promise<SseMessage[]>;
}

/** Registers hooks that start a fresh server and repository for each test. */
export function useApiServer(
  extra: Partial<Omit<StartServerOptions, 'config'>> & {
    config?: Partial<ControlPlaneConfig>;
  } = {},
): ApiHarness {
  const { config: extraConfig, ...extraOptions } = extra;
  let dir: string | undefined;
  let state: { server: RunningServer; repo: TestGitRepo; alarms: FakeAlarms } | undefined;
  const notices: ServerNotice[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-api-'));
    const repo = new TestGitRepo(join(dir, 'repo'), dir);
    repo.commit({ '.rampart/web/pipeline.yaml': WEB_PIPELINE }, 'web pipeline');
    const alarms = new FakeAlarms();
    notices.length = 0;
    const server = await startServer({
      config: { data_dir: join(dir, 'data'), organization: ORGANIZATION, ...extraConfig },
      listen: '127.0.0.1:0',
      ports: { credentials: fakeCredentials, alarms },
      runtime: { storePollIntervalMs: 200 },
      keepAliveMs: 100,
      onNotice: (n) => notices.push(n),
      ...extraOptions,
    });
    state = { server, repo, alarms };
  });

  afterEach(async () => {
    await state?.server.stop();
    state = undefined;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const current = () => {
    if (state === undefined) throw new Error('the server exists only inside a test');
    return state;
  };

  const harness: ApiHarness = {
    get server() {
      return current().server;
    },
    get repo() {
      return current().repo;
    },
    get alarms() {
      return current().alarms;
    },
    get adminToken() {
      const secret = extraConfig?.admin_token ?? current().server.firstAdminToken?.secret;
      if (secret === undefined) throw new Error('this server created no admin token');
      return secret;
    },
    notices,
    async call<T>(
      method: string,
      path: string,
      options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
    ): Promise<ApiAnswer<T>> {
      const token = options.token === undefined ? harness.adminToken : options.token;
      const response = await fetch(`${current().server.url}${path}`, {
        method,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(options.body === undefined
          ? {}
          : {
              body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
            }),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (metrics): keep the text.
      }
      return { status: response.status, body: body as T, headers: response.headers };
    },
    async token(role, name = `${role}-${Math.floor(performance.now() * 1000)}`) {
      const created = await harness.call<{ secret: string }>('POST', '/api/v1/tokens', {
        body: { name, role },
      });
      if (created.status !== 201) throw new Error(`token: ${JSON.stringify(created.body)}`);
      return created.body.secret;
    },
    async registerWeb() {
      const answer = await harness.call('POST', '/api/v1/pipelines', {
        body: { slug: 'web', source: { kind: 'path', location: current().repo.dir } },
      });
      if (answer.status !== 201) throw new Error(`register: ${JSON.stringify(answer.body)}`);
    },
    idle: () => current().server.runtime.whenIdle(),
    async stream(path, until, headers = {}) {
      const controller = new AbortController();
      const response = await fetch(`${current().server.url}${path}`, {
        headers: {
          accept: 'text/event-stream',
          authorization: `Bearer ${harness.adminToken}`,
          ...headers,
        },
        signal: controller.signal,
      });
      if (response.body === null) throw new Error(`no stream: ${response.status}`);
      const parser = new SseParser();
      const messages: SseMessage[] = [];
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      try {
        while (!until(messages)) {
          const { value, done } = await reader.read();
          if (done) break;
          messages.push(...parser.push(value));
        }
      } finally {
        controller.abort();
      }
      return messages;
    },
  };
  return harness;
}
