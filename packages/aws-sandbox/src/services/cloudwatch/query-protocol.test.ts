import { gzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch } from '../../../tests/raw-requests.js';
import { DEV } from '../../../tests/sdk-clients.js';
import { startCloudWatchKit, type CloudWatchKit } from './test-support/cloudwatch-kit.js';

const XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

/** What older clients (AWS CLI v2 up to 2.2x) send: form-encoded query calls. */
describe('CloudWatch over the query protocol', () => {
  let kit: CloudWatchKit;
  const parser = new XMLParser({ ignoreAttributes: false });

  beforeAll(async () => {
    kit = await startCloudWatchKit();
  });
  afterAll(() => kit.stop());

  const call = async (
    params: Record<string, string>,
    options: { gzip?: boolean } = {},
  ): Promise<{ status: number; xml: Record<string, unknown>; headers: Headers }> => {
    const form = new URLSearchParams({ Version: '2010-08-01', ...params }).toString();
    const response = await signedFetch(kit.sandbox, {
      service: 'monitoring',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        ...(options.gzip ? { 'content-encoding': 'gzip' } : {}),
      },
      body: options.gzip ? (gzipSync(form) as unknown as string) : form,
      credentials: kit.sandbox.credentialsFor(DEV),
      clock: kit.clock,
    });
    return {
      status: response.status,
      xml: parser.parse(await response.text()) as Record<string, unknown>,
      headers: response.headers,
    };
  };

  it('creates and describes alarms with query parameters and XML results', async () => {
    const put = await call({
      Action: 'PutMetricAlarm',
      AlarmName: 'cli-alarm',
      Namespace: 'App',
      MetricName: 'Errors',
      'Dimensions.member.1.Name': 'Service',
      'Dimensions.member.1.Value': 'api',
      Statistic: 'Sum',
      Period: '60',
      EvaluationPeriods: '2',
      Threshold: '2.5',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ActionsEnabled: 'false',
      'AlarmActions.member.1': 'arn:aws:sns:us-east-1:333333333333:page',
    });
    expect(put.status).toBe(200);
    expect(put.xml).toMatchObject({
      PutMetricAlarmResponse: { '@_xmlns': XMLNS, ResponseMetadata: {} },
    });

    const described = await call({ Action: 'DescribeAlarms', 'AlarmNames.member.1': 'cli-alarm' });
    expect(described.status).toBe(200);
    const result = (
      described.xml['DescribeAlarmsResponse'] as Record<string, Record<string, unknown>>
    )['DescribeAlarmsResult'];
    expect(result).toMatchObject({
      MetricAlarms: {
        member: {
          AlarmName: 'cli-alarm',
          AlarmArn: `arn:aws:cloudwatch:us-east-1:${DEV}:alarm:cli-alarm`,
          Threshold: 2.5,
          EvaluationPeriods: 2,
          ActionsEnabled: false,
          AlarmActions: { member: 'arn:aws:sns:us-east-1:333333333333:page' },
          Dimensions: { member: { Name: 'Service', Value: 'api' } },
          StateValue: 'INSUFFICIENT_DATA',
          StateUpdatedTimestamp: '2026-03-01T10:00:00.000Z',
        },
      },
      CompositeAlarms: '',
    });
  });

  it('reads gzip bodies and renders maps as entries', async () => {
    const put = await call(
      {
        Action: 'PutMetricData',
        Namespace: 'Shop',
        'MetricData.member.1.MetricName': 'Latency',
        'MetricData.member.1.Values.member.1': '10',
        'MetricData.member.1.Values.member.2': '30',
        'MetricData.member.1.Timestamp': '2026-03-01T09:59:10Z',
      },
      { gzip: true },
    );
    expect(put.status).toBe(200);
    const stats = await call({
      Action: 'GetMetricStatistics',
      Namespace: 'Shop',
      MetricName: 'Latency',
      StartTime: '2026-03-01T09:59:00Z',
      EndTime: '2026-03-01T10:00:00Z',
      Period: '60',
      'ExtendedStatistics.member.1': 'p50',
    });
    expect(stats.xml).toMatchObject({
      GetMetricStatisticsResponse: {
        GetMetricStatisticsResult: {
          Label: 'Latency',
          Datapoints: {
            member: {
              Timestamp: '2026-03-01T09:59:00.000Z',
              ExtendedStatistics: { entry: { key: 'p50', value: 10 } },
              Unit: 'None',
            },
          },
        },
      },
    });
  });

  it('refuses the rpc-v2-cbor protocol newer botocore prefers, clearly', async () => {
    const response = await signedFetch(kit.sandbox, {
      service: 'monitoring',
      path: '/service/GraniteServiceVersion20100801/operation/DescribeAlarms',
      headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
      body: '\u00a0',
      credentials: kit.sandbox.credentialsFor(DEV),
      clock: kit.clock,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>MalformedQueryString</Code>');
  });

  it('answers errors with query codes', async () => {
    const missing = await call({ Action: 'PutMetricAlarm', AlarmName: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.xml).toMatchObject({
      ErrorResponse: {
        Error: {
          Type: 'Sender',
          Code: 'MissingParameter',
          Message: 'The parameter EvaluationPeriods is required.',
        },
      },
    });
    const state = await call({
      Action: 'SetAlarmState',
      AlarmName: 'ghost',
      StateValue: 'OK',
      StateReason: 'r',
    });
    expect(state.status).toBe(404);
    expect(state.xml).toMatchObject({ ErrorResponse: { Error: { Code: 'ResourceNotFound' } } });
    const invalid = await call({ Action: 'DescribeAlarms', MaxRecords: 'many' });
    expect(invalid.xml).toMatchObject({
      ErrorResponse: { Error: { Code: 'InvalidParameterValue' } },
    });
    const unknown = await call({ Action: 'PutDashboard' });
    expect(unknown.xml).toMatchObject({ ErrorResponse: { Error: { Code: 'InvalidAction' } } });
  });
});
