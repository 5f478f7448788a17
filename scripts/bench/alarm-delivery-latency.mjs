// Benchmark: alarm state change → HTTP delivery to an EventBridge API destination (issue 4
// target: under 100 ms). A sandbox in this process, a local HTTP receiver standing in for
// Rampart's endpoint, a connection (API key) + API destination + rule for "CloudWatch Alarm State
// Change" events; then N times: flip the alarm with CloudWatch SetAlarmState through the SDK and
// measure from just before the call to the request arriving at the receiver. The sandbox runs
// with background ticks off, so the figure shows the first delivery attempt needs no tick.
// `--trigger put-events` measures a PutEvents custom event instead of SetAlarmState.
// Build first (npx tsc -b packages/aws-sandbox), then:
//   node scripts/bench/alarm-delivery-latency.mjs [--flips N] [--trigger set-alarm-state|put-events]
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { startSandbox } from '@rampart/aws-sandbox';

const TARGET_MS = 100;
const ACCOUNT = '333333333333';
const WARMUP = 5;

/** A receiver that resolves the waiter registered for each request's correlation key. */
async function startReceiver(keyOf) {
  const waiters = new Map();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const arrived = performance.now();
      res.statusCode = 200;
      res.end('{}');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (req.headers['x-api-key'] !== 'bench-key') throw new Error('delivery without the API key');
      const key = keyOf(body);
      waiters.get(key)?.(arrived);
      waiters.delete(key);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    arrival: (key) => new Promise((resolve) => waiters.set(key, resolve)),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)];
}

export async function run({ flips = 50, trigger = 'set-alarm-state' } = {}) {
  if (trigger !== 'set-alarm-state' && trigger !== 'put-events') {
    throw new Error(`--trigger must be set-alarm-state or put-events, got ${trigger}`);
  }
  const sandbox = await startSandbox({ tickIntervalMs: 0 });
  // SetAlarmState events carry the reason; PutEvents events carry a sequence number.
  const receiver = await startReceiver((body) =>
    trigger === 'put-events' ? `seq-${body.detail.seq}` : body.detail.state.reason,
  );
  try {
    const config = {
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      credentials: sandbox.credentialsFor(ACCOUNT),
      maxAttempts: 1,
    };
    const events = new EventBridgeClient(config);
    const cloudwatch = new CloudWatchClient(config);
    const connection = await events.send(
      new CreateConnectionCommand({
        Name: 'bench',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'bench-key' },
        },
      }),
    );
    const destination = await events.send(
      new CreateApiDestinationCommand({
        Name: 'bench',
        ConnectionArn: connection.ConnectionArn,
        InvocationEndpoint: `${receiver.url}/alarms`,
        HttpMethod: 'POST',
      }),
    );
    const pattern =
      trigger === 'put-events'
        ? { source: ['rampart.bench'] }
        : { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] };
    await events.send(new PutRuleCommand({ Name: 'bench', EventPattern: JSON.stringify(pattern) }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'bench',
        Targets: [
          {
            Id: 'receiver',
            Arn: destination.ApiDestinationArn,
            RoleArn: `arn:aws:iam::${ACCOUNT}:role/events-invoke`,
          },
        ],
      }),
    );
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'bench-5xx',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/bench/0123456789abcdef' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'ignore',
      }),
    );

    const once = async (i) => {
      const key = trigger === 'put-events' ? `seq-${i}` : `flip-${i}`;
      const arrived = receiver.arrival(key);
      const t0 = performance.now();
      if (trigger === 'put-events') {
        await events.send(
          new PutEventsCommand({
            Entries: [
              { Source: 'rampart.bench', DetailType: 'Bench', Detail: JSON.stringify({ seq: i }) },
            ],
          }),
        );
      } else {
        await cloudwatch.send(
          new SetAlarmStateCommand({
            AlarmName: 'bench-5xx',
            // Alternate so that every call is a state change (and so an event).
            StateValue: i % 2 === 0 ? 'ALARM' : 'OK',
            StateReason: key,
          }),
        );
      }
      return (await arrived) - t0;
    };

    for (let i = 0; i < WARMUP; i++) await once(i);
    const latencies = [];
    for (let i = WARMUP; i < WARMUP + flips; i++) latencies.push(await once(i));
    latencies.sort((a, b) => a - b);
    const median = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    await sandbox.control.tick();
    const failed = sandbox.control.eventDeliveries().filter((a) => a.outcome !== 'delivered');
    if (failed.length > 0) throw new Error(`undelivered attempts: ${JSON.stringify(failed)}`);
    const what = trigger === 'put-events' ? 'PutEvents' : 'SetAlarmState';
    console.log(
      `${what} → API destination request received, ${flips} sequential flips in process (SDK call included):`,
    );
    console.log(
      `  median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, min ${latencies[0].toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms (target < ${TARGET_MS} ms)`,
    );
    return { median, p95 };
  } finally {
    await receiver.close();
    await sandbox.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { flips: { type: 'string' }, trigger: { type: 'string' } },
  });
  await run({
    ...(values.flips !== undefined ? { flips: Number(values.flips) } : {}),
    ...(values.trigger !== undefined ? { trigger: values.trigger } : {}),
  });
}
