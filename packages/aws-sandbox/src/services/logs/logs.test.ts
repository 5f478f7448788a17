import {
  AccessDeniedException,
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  paginateDescribeLogGroups,
  paginateGetLogEvents,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  type FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV, STAGING, type TestCredentials } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { userWithPolicy } from '../cloudformation/test-support/cfn-sandbox.js';

const START = Date.parse('2026-03-01T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('CloudWatch Logs', () => {
  const clock = new ManualClock(START);
  let sandbox: Sandbox;
  let logs: CloudWatchLogsClient;
  const client = (credentials: TestCredentials): CloudWatchLogsClient =>
    new CloudWatchLogsClient(clientConfig(sandbox, credentials, { clock }));

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    logs = client(sandbox.credentialsFor(DEV));
  });
  beforeEach(() => {
    sandbox.control.reset();
    clock.set(START);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const group = async (name: string, stream?: string): Promise<void> => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    if (stream !== undefined) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: stream }));
    }
  };

  describe('log groups', () => {
    it('creates, describes with prefix and pages, and deletes groups', async () => {
      await logs.send(
        new CreateLogGroupCommand({
          logGroupName: '/app/api',
          kmsKeyId: `arn:aws:kms:us-east-1:${DEV}:key/abc`,
          tags: { team: 'core' },
        }),
      );
      await group('/app/worker');
      await group('/other');
      const { logGroups } = await logs.send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/' }),
      );
      expect(logGroups?.map((g) => g.logGroupName)).toEqual(['/app/api', '/app/worker']);
      expect(logGroups?.[0]).toMatchObject({
        creationTime: START,
        arn: `arn:aws:logs:us-east-1:${DEV}:log-group:/app/api:*`,
        logGroupArn: `arn:aws:logs:us-east-1:${DEV}:log-group:/app/api`,
        kmsKeyId: `arn:aws:kms:us-east-1:${DEV}:key/abc`,
        storedBytes: 0,
      });
      expect(logGroups?.[0]?.retentionInDays).toBeUndefined();

      const first = await logs.send(new DescribeLogGroupsCommand({ limit: 2 }));
      expect(first.logGroups).toHaveLength(2);
      expect(first.nextToken).toBeDefined();
      const names: string[] = [];
      for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 1 }, {})) {
        names.push(...(page.logGroups ?? []).map((g) => g.logGroupName ?? ''));
      }
      expect(names).toEqual(['/app/api', '/app/worker', '/other']);

      await logs.send(new DeleteLogGroupCommand({ logGroupName: '/other' }));
      const after = await logs.send(new DescribeLogGroupsCommand({}));
      expect(after.logGroups?.map((g) => g.logGroupName)).toEqual(['/app/api', '/app/worker']);
    });

    it('keeps groups per account and region', async () => {
      await group('/app/api');
      const other = client(sandbox.credentialsFor(STAGING));
      expect((await other.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
      const west = new CloudWatchLogsClient({
        ...clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }),
        region: 'eu-west-1',
      });
      expect((await west.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    });

    it('sets and removes a retention policy', async () => {
      await group('/app/api');
      await logs.send(
        new PutRetentionPolicyCommand({ logGroupName: '/app/api', retentionInDays: 7 }),
      );
      const described = await logs.send(new DescribeLogGroupsCommand({}));
      expect(described.logGroups?.[0]?.retentionInDays).toBe(7);
      await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/app/api' }));
      const cleared = await logs.send(new DescribeLogGroupsCommand({}));
      expect(cleared.logGroups?.[0]?.retentionInDays).toBeUndefined();
    });

    it('answers bad group calls with the real exceptions', async () => {
      await group('/app/api');
      expect(
        await rejection(logs.send(new CreateLogGroupCommand({ logGroupName: '/app/api' }))),
      ).toBeInstanceOf(ResourceAlreadyExistsException);
      const missing = await rejection(
        logs.send(new DeleteLogGroupCommand({ logGroupName: '/nope' })),
      );
      expect(missing).toBeInstanceOf(ResourceNotFoundException);
      expect(missing.message).toBe('The specified log group does not exist.');
      expect(
        await rejection(logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' }))),
      ).toBeInstanceOf(InvalidParameterException);
      const retention = await rejection(
        logs.send(new PutRetentionPolicyCommand({ logGroupName: '/app/api', retentionInDays: 4 })),
      );
      expect(retention).toBeInstanceOf(InvalidParameterException);
      expect(retention.message).toContain('enum value set');
      expect(
        await rejection(
          logs.send(
            new DescribeLogGroupsCommand({ logGroupNamePrefix: '/a', logGroupNamePattern: 'b' }),
          ),
        ),
      ).toBeInstanceOf(InvalidParameterException);
      expect(
        await rejection(logs.send(new DescribeLogGroupsCommand({ limit: 51 }))),
      ).toBeInstanceOf(InvalidParameterException);
      expect(
        await rejection(logs.send(new DescribeLogGroupsCommand({ nextToken: 'garbage' }))),
      ).toBeInstanceOf(InvalidParameterException);
    });

    it('treats __proto__ as an ordinary group name', async () => {
      await group('__proto__', 's');
      const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));
      expect(logGroups?.map((g) => g.logGroupName)).toEqual(['__proto__']);
      await logs.send(new DeleteLogGroupCommand({ logGroupName: '__proto__' }));
      expect(
        await rejection(logs.send(new DeleteLogGroupCommand({ logGroupName: '__proto__' }))),
      ).toBeInstanceOf(ResourceNotFoundException);
    });
  });

  describe('log streams', () => {
    it('creates streams and describes them by name or last event time', async () => {
      await group('/app/api', 'b-stream');
      await logs.send(
        new CreateLogStreamCommand({ logGroupName: '/app/api', logStreamName: 'a-stream' }),
      );
      await logs.send(
        new CreateLogStreamCommand({ logGroupName: '/app/api', logStreamName: 'c-other' }),
      );
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: '/app/api',
          logStreamName: 'a-stream',
          logEvents: [{ timestamp: START - 2 * MINUTE, message: 'old' }],
        }),
      );
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: '/app/api',
          logStreamName: 'b-stream',
          logEvents: [{ timestamp: START - MINUTE, message: 'new' }],
        }),
      );
      const byName = await logs.send(
        new DescribeLogStreamsCommand({ logGroupName: '/app/api', logStreamNamePrefix: 'a' }),
      );
      expect(byName.logStreams?.map((s) => s.logStreamName)).toEqual(['a-stream']);
      expect(byName.logStreams?.[0]).toMatchObject({
        creationTime: START,
        firstEventTimestamp: START - 2 * MINUTE,
        lastEventTimestamp: START - 2 * MINUTE,
        lastIngestionTime: START,
        arn: `arn:aws:logs:us-east-1:${DEV}:log-group:/app/api:log-stream:a-stream`,
      });
      const newest = await logs.send(
        new DescribeLogStreamsCommand({
          logGroupIdentifier: `arn:aws:logs:us-east-1:${DEV}:log-group:/app/api`,
          orderBy: 'LastEventTime',
          descending: true,
          limit: 2,
        }),
      );
      expect(newest.logStreams?.map((s) => s.logStreamName)).toEqual(['b-stream', 'a-stream']);
      const rest = await logs.send(
        new DescribeLogStreamsCommand({
          logGroupName: '/app/api',
          orderBy: 'LastEventTime',
          descending: true,
          limit: 2,
          nextToken: newest.nextToken,
        }),
      );
      expect(rest.logStreams?.map((s) => s.logStreamName)).toEqual(['c-other']);
      expect(rest.nextToken).toBeUndefined();

      await logs.send(
        new DeleteLogStreamCommand({ logGroupName: '/app/api', logStreamName: 'c-other' }),
      );
      const left = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/app/api' }));
      expect(left.logStreams?.map((s) => s.logStreamName)).toEqual(['a-stream', 'b-stream']);
    });

    it('answers bad stream calls with the real exceptions', async () => {
      await group('/app/api', 's');
      expect(
        await rejection(
          logs.send(new CreateLogStreamCommand({ logGroupName: '/app/api', logStreamName: 's' })),
        ),
      ).toBeInstanceOf(ResourceAlreadyExistsException);
      expect(
        await rejection(
          logs.send(new CreateLogStreamCommand({ logGroupName: '/nope', logStreamName: 's' })),
        ),
      ).toBeInstanceOf(ResourceNotFoundException);
      expect(
        await rejection(
          logs.send(new CreateLogStreamCommand({ logGroupName: '/app/api', logStreamName: 'a:b' })),
        ),
      ).toBeInstanceOf(InvalidParameterException);
      expect(
        await rejection(
          logs.send(
            new DescribeLogStreamsCommand({
              logGroupName: '/app/api',
              orderBy: 'LastEventTime',
              logStreamNamePrefix: 's',
            }),
          ),
        ),
      ).toBeInstanceOf(InvalidParameterException);
      expect(
        await rejection(
          logs.send(
            new DescribeLogStreamsCommand({
              logGroupName: '/app/api',
              logGroupIdentifier: '/app/api',
            }),
          ),
        ),
      ).toBeInstanceOf(InvalidParameterException);
      const gone = await rejection(
        logs.send(new DeleteLogStreamCommand({ logGroupName: '/app/api', logStreamName: 'x' })),
      );
      expect(gone).toBeInstanceOf(ResourceNotFoundException);
      expect(gone.message).toBe('The specified log stream does not exist.');
    });
  });

  describe('PutLogEvents', () => {
    const put = (events: { timestamp: number; message: string }[], sequenceToken?: string) =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: '/app/api',
          logStreamName: 's',
          logEvents: events,
          ...(sequenceToken !== undefined ? { sequenceToken } : {}),
        }),
      );

    it('accepts events and ignores sequence tokens', async () => {
      await group('/app/api', 's');
      const first = await put([{ timestamp: START, message: 'one' }], 'whatever');
      expect(first.nextSequenceToken).toBeDefined();
      expect(first.rejectedLogEventsInfo).toBeUndefined();
      await put([{ timestamp: START, message: 'two' }], 'stale-token');
      const { events } = await logs.send(
        new GetLogEventsCommand({
          logGroupName: '/app/api',
          logStreamName: 's',
          startFromHead: true,
        }),
      );
      expect(events?.map((e) => e.message)).toEqual(['one', 'two']);
      expect(events?.[0]?.ingestionTime).toBe(START);
    });

    it('rejects events outside the acceptance window and keeps the others', async () => {
      await group('/app/api', 's');
      const result = await put([
        { timestamp: START - 15 * DAY, message: 'too old' },
        { timestamp: START - 10 * MINUTE, message: 'kept 1' },
        { timestamp: START + HOUR, message: 'kept 2' },
        { timestamp: START + 3 * HOUR, message: 'too new' },
      ]);
      expect(result.rejectedLogEventsInfo).toEqual({
        tooOldLogEventEndIndex: 1,
        tooNewLogEventStartIndex: 3,
      });
      const { events } = await logs.send(
        new GetLogEventsCommand({ logGroupName: '/app/api', logStreamName: 's' }),
      );
      expect(events?.map((e) => e.message)).toEqual(['kept 1', 'kept 2']);
    });

    it("rejects events older than the group's retention as expired", async () => {
      await group('/app/api', 's');
      await logs.send(
        new PutRetentionPolicyCommand({ logGroupName: '/app/api', retentionInDays: 1 }),
      );
      const result = await put([
        { timestamp: START - 2 * DAY, message: 'expired' },
        { timestamp: START, message: 'kept' },
      ]);
      expect(result.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 1 });
    });

    it('fails whole batches that break the batch rules', async () => {
      await group('/app/api', 's');
      const unordered = await rejection(
        put([
          { timestamp: START, message: 'b' },
          { timestamp: START - 1, message: 'a' },
        ]),
      );
      expect(unordered).toBeInstanceOf(InvalidParameterException);
      expect(unordered.message).toContain('chronological order');
      const span = await rejection(
        put([
          { timestamp: START - 2 * DAY, message: 'a' },
          { timestamp: START, message: 'b' },
        ]),
      );
      expect(span).toBeInstanceOf(InvalidParameterException);
      expect(span.message).toContain('24 hours');
      const big = 'x'.repeat(600_000);
      const large = await rejection(
        put([
          { timestamp: START, message: big },
          { timestamp: START, message: big },
        ]),
      );
      expect(large).toBeInstanceOf(InvalidParameterException);
      expect(large.message).toContain('Upload too large');
      expect(await rejection(put([]))).toBeInstanceOf(InvalidParameterException);
      const { events } = await logs.send(
        new GetLogEventsCommand({ logGroupName: '/app/api', logStreamName: 's' }),
      );
      expect(events).toEqual([]);
    });

    it('needs the group and the stream to exist', async () => {
      await group('/app/api');
      const noStream = await rejection(put([{ timestamp: START, message: 'x' }]));
      expect(noStream).toBeInstanceOf(ResourceNotFoundException);
      expect(noStream.message).toBe('The specified log stream does not exist.');
      const noGroup = await rejection(
        logs.send(
          new PutLogEventsCommand({
            logGroupName: '/nope',
            logStreamName: 's',
            logEvents: [{ timestamp: START, message: 'x' }],
          }),
        ),
      );
      expect(noGroup.message).toBe('The specified log group does not exist.');
    });
  });

  describe('GetLogEvents', () => {
    const fill = async (count: number): Promise<void> => {
      await group('/app/api', 's');
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: '/app/api',
          logStreamName: 's',
          logEvents: Array.from({ length: count }, (_, i) => ({
            timestamp: START - HOUR + i * MINUTE,
            message: `event ${i}`,
          })),
        }),
      );
    };
    const get = (input: Partial<ConstructorParameters<typeof GetLogEventsCommand>[0]>) =>
      logs.send(
        new GetLogEventsCommand({ logGroupName: '/app/api', logStreamName: 's', ...input }),
      );

    it('reads the newest events by default and walks back with the backward token', async () => {
      await fill(5);
      const tail = await get({ limit: 2 });
      expect(tail.events?.map((e) => e.message)).toEqual(['event 3', 'event 4']);
      const before = await get({ limit: 2, nextToken: tail.nextBackwardToken });
      expect(before.events?.map((e) => e.message)).toEqual(['event 1', 'event 2']);
      const first = await get({ limit: 2, nextToken: before.nextBackwardToken });
      expect(first.events?.map((e) => e.message)).toEqual(['event 0']);
      const none = await get({ limit: 2, nextToken: first.nextBackwardToken });
      expect(none.events).toEqual([]);
      expect(none.nextBackwardToken).toBe(first.nextBackwardToken);
    });

    it('reads from the head and returns the same forward token at the end', async () => {
      await fill(5);
      const head = await get({ startFromHead: true, limit: 3 });
      expect(head.events?.map((e) => e.message)).toEqual(['event 0', 'event 1', 'event 2']);
      const next = await get({ limit: 3, nextToken: head.nextForwardToken });
      expect(next.events?.map((e) => e.message)).toEqual(['event 3', 'event 4']);
      const end = await get({ limit: 3, nextToken: next.nextForwardToken });
      expect(end.events).toEqual([]);
      expect(end.nextForwardToken).toBe(next.nextForwardToken);

      // A tailing reader picks up events written after it reached the end.
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: '/app/api',
          logStreamName: 's',
          logEvents: [{ timestamp: START, message: 'late' }],
        }),
      );
      const late = await get({ nextToken: end.nextForwardToken });
      expect(late.events?.map((e) => e.message)).toEqual(['late']);
    });

    it('stops the SDK paginator at the end of the stream', async () => {
      await fill(5);
      const messages: string[] = [];
      for await (const page of paginateGetLogEvents(
        { client: logs, pageSize: 2, stopOnSameToken: true },
        { logGroupName: '/app/api', logStreamName: 's', startFromHead: true },
      )) {
        messages.push(...(page.events ?? []).map((e) => e.message ?? ''));
      }
      expect(messages).toEqual(['event 0', 'event 1', 'event 2', 'event 3', 'event 4']);
    });

    it('filters by time range and hides events past retention', async () => {
      await fill(5);
      const range = await get({
        startFromHead: true,
        startTime: START - HOUR + MINUTE,
        endTime: START - HOUR + 3 * MINUTE,
      });
      expect(range.events?.map((e) => e.message)).toEqual(['event 1', 'event 2']);
      await logs.send(
        new PutRetentionPolicyCommand({ logGroupName: '/app/api', retentionInDays: 1 }),
      );
      clock.advance(DAY - HOUR + 2 * MINUTE + 1);
      const later = client(sandbox.credentialsFor(DEV));
      const kept = await later.send(
        new GetLogEventsCommand({
          logGroupName: '/app/api',
          logStreamName: 's',
          startFromHead: true,
        }),
      );
      expect(kept.events?.map((e) => e.message)).toEqual(['event 3', 'event 4']);
    });

    it('orders late-arriving older events by timestamp', async () => {
      await fill(2);
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: '/app/api',
          logStreamName: 's',
          logEvents: [{ timestamp: START - 2 * HOUR, message: 'earlier' }],
        }),
      );
      const all = await get({ startFromHead: true });
      expect(all.events?.map((e) => e.message)).toEqual(['earlier', 'event 0', 'event 1']);
    });

    it('rejects bad tokens and limits', async () => {
      await fill(1);
      expect(await rejection(get({ nextToken: 'x/1' }))).toBeInstanceOf(InvalidParameterException);
      expect(await rejection(get({ limit: 0 }))).toBeInstanceOf(InvalidParameterException);
      expect(
        await rejection(
          logs.send(new GetLogEventsCommand({ logGroupName: '/app/api', logStreamName: 'nope' })),
        ),
      ).toBeInstanceOf(ResourceNotFoundException);
    });
  });

  describe('FilterLogEvents', () => {
    const seed = async (): Promise<void> => {
      await group('/app/api', 'web-1');
      await logs.send(
        new CreateLogStreamCommand({ logGroupName: '/app/api', logStreamName: 'web-2' }),
      );
      await logs.send(
        new CreateLogStreamCommand({ logGroupName: '/app/api', logStreamName: 'job-1' }),
      );
      const write = (stream: string, events: [number, string][]) =>
        logs.send(
          new PutLogEventsCommand({
            logGroupName: '/app/api',
            logStreamName: stream,
            logEvents: events.map(([minute, message]) => ({
              timestamp: START - HOUR + minute * MINUTE,
              message,
            })),
          }),
        );
      await write('web-1', [
        [0, 'INFO started'],
        [3, 'ERROR request failed: timeout'],
        [6, 'WARN slow response'],
      ]);
      await write('web-2', [
        [1, 'INFO started'],
        [4, 'ERROR request failed: refused'],
      ]);
      await write('job-1', [
        [2, 'ERROR job crashed'],
        [5, 'INFO done'],
      ]);
    };
    const filter = async (
      input: Partial<ConstructorParameters<typeof FilterLogEventsCommand>[0]>,
    ): Promise<FilteredLogEvent[]> =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: '/app/api', ...input })))
        .events ?? [];
    const messages = (events: FilteredLogEvent[]): string[] => events.map((e) => e.message ?? '');

    it('interleaves streams in time order with stream names and event ids', async () => {
      await seed();
      const events = await filter({});
      expect(messages(events)).toEqual([
        'INFO started',
        'INFO started',
        'ERROR job crashed',
        'ERROR request failed: timeout',
        'ERROR request failed: refused',
        'INFO done',
        'WARN slow response',
      ]);
      expect(events.map((e) => e.logStreamName)).toEqual([
        'web-1',
        'web-2',
        'job-1',
        'web-1',
        'web-2',
        'job-1',
        'web-1',
      ]);
      expect(new Set(events.map((e) => e.eventId)).size).toBe(7);
      expect(events[0]).toMatchObject({ timestamp: START - HOUR, ingestionTime: START });
    });

    it('matches terms, quoted phrases, ?alternatives and -exclusions', async () => {
      await seed();
      expect(messages(await filter({ filterPattern: 'ERROR failed' }))).toEqual([
        'ERROR request failed: timeout',
        'ERROR request failed: refused',
      ]);
      expect(messages(await filter({ filterPattern: '"failed: refused"' }))).toEqual([
        'ERROR request failed: refused',
      ]);
      expect(messages(await filter({ filterPattern: '?WARN ?crashed' }))).toEqual([
        'ERROR job crashed',
        'WARN slow response',
      ]);
      expect(messages(await filter({ filterPattern: 'ERROR -timeout -job' }))).toEqual([
        'ERROR request failed: refused',
      ]);
      expect(messages(await filter({ filterPattern: 'error' }))).toEqual([]);
    });

    it('selects streams by name or prefix and events by time', async () => {
      await seed();
      expect(messages(await filter({ logStreamNames: ['job-1'] }))).toEqual([
        'ERROR job crashed',
        'INFO done',
      ]);
      expect((await filter({ logStreamNamePrefix: 'web-' })).map((e) => e.logStreamName)).toEqual([
        'web-1',
        'web-2',
        'web-1',
        'web-2',
        'web-1',
      ]);
      expect(
        messages(
          await filter({
            startTime: START - HOUR + 2 * MINUTE,
            endTime: START - HOUR + 4 * MINUTE,
          }),
        ),
      ).toEqual([
        'ERROR job crashed',
        'ERROR request failed: timeout',
        'ERROR request failed: refused',
      ]);
    });

    it('pages with nextToken, newest first on request', async () => {
      await seed();
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await logs.send(
          new FilterLogEventsCommand({ logGroupName: '/app/api', limit: 3, nextToken: token }),
        );
        seen.push(...messages(page.events ?? []));
        token = page.nextToken;
      } while (token !== undefined);
      expect(seen).toHaveLength(7);
      expect(seen[6]).toBe('WARN slow response');
      const newest = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: '/app/api',
          startFromHead: false,
          startTime: START - DAY,
          limit: 2,
        }),
      );
      expect(messages(newest.events ?? [])).toEqual(['WARN slow response', 'INFO done']);
      const older = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: '/app/api',
          limit: 2,
          nextToken: newest.nextToken,
        }),
      );
      expect(messages(older.events ?? [])).toEqual([
        'ERROR request failed: refused',
        'ERROR request failed: timeout',
      ]);
    });

    it('refuses patterns and parameters it cannot honour', async () => {
      await seed();
      for (const filterPattern of [
        '{ $.level = "ERROR" }',
        '[ip, user]',
        '"unterminated',
        '%ERR.*%',
      ]) {
        expect(await rejection(filter({ filterPattern }))).toBeInstanceOf(
          InvalidParameterException,
        );
      }
      expect(
        await rejection(filter({ logStreamNames: ['web-1'], logStreamNamePrefix: 'web' })),
      ).toBeInstanceOf(InvalidParameterException);
      expect(await rejection(filter({ nextToken: 'nope' }))).toBeInstanceOf(
        InvalidParameterException,
      );
      expect(await rejection(filter({ startFromHead: false }))).toBeInstanceOf(
        InvalidParameterException,
      );
      expect(
        await rejection(logs.send(new FilterLogEventsCommand({ logGroupName: '/nope' }))),
      ).toBeInstanceOf(ResourceNotFoundException);
    });
  });

  describe('IAM', () => {
    it('authorizes on log-group and log-stream ARNs', async () => {
      await group('/app/api', 'allowed');
      await logs.send(
        new CreateLogStreamCommand({ logGroupName: '/app/api', logStreamName: 'other' }),
      );
      const iam = new IAMClient(clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }));
      const writer = client(
        await userWithPolicy(iam, 'writer', [
          {
            Effect: 'Allow',
            Action: ['logs:PutLogEvents', 'logs:GetLogEvents'],
            Resource: `arn:aws:logs:us-east-1:${DEV}:log-group:/app/api:log-stream:allowed`,
          },
          {
            Effect: 'Allow',
            Action: 'logs:FilterLogEvents',
            Resource: `arn:aws:logs:us-east-1:${DEV}:log-group:/app/api`,
          },
        ]),
      );
      const event = [{ timestamp: START, message: 'hello' }];
      await writer.send(
        new PutLogEventsCommand({
          logGroupName: '/app/api',
          logStreamName: 'allowed',
          logEvents: event,
        }),
      );
      const denied = await rejection(
        writer.send(
          new PutLogEventsCommand({
            logGroupName: '/app/api',
            logStreamName: 'other',
            logEvents: event,
          }),
        ),
      );
      expect(denied).toBeInstanceOf(AccessDeniedException);
      expect(denied.message).toContain(
        `logs:PutLogEvents on resource: arn:aws:logs:us-east-1:${DEV}:log-group:/app/api:log-stream:other`,
      );
      const { events } = await writer.send(
        new FilterLogEventsCommand({ logGroupName: '/app/api' }),
      );
      expect(events?.map((e) => e.message)).toEqual(['hello']);
      expect(
        await rejection(writer.send(new CreateLogGroupCommand({ logGroupName: '/x' }))),
      ).toBeInstanceOf(AccessDeniedException);
      expect(await rejection(writer.send(new DescribeLogGroupsCommand({})))).toBeInstanceOf(
        AccessDeniedException,
      );
    });

    it('does not let another account read a group by ARN', async () => {
      await group('/app/api', 's');
      const other = client(sandbox.credentialsFor(STAGING));
      expect(
        await rejection(
          other.send(
            new GetLogEventsCommand({
              logGroupIdentifier: `arn:aws:logs:us-east-1:${DEV}:log-group:/app/api`,
              logStreamName: 's',
            }),
          ),
        ),
      ).toBeInstanceOf(AccessDeniedException);
    });
  });
});
