import {
  CreateStackCommand,
  DeleteStackCommand,
  ListExportsCommand,
  ListImportsCommand,
  UpdateStackCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { cfnClients, describeStack, stackEvents } from './test-support/cfn-sandbox.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** A stack exporting `values` (export name → value). */
function exporter(values: Record<string, string>): string {
  return JSON.stringify({
    Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
    Outputs: Object.fromEntries(
      Object.entries(values).map(([name, value], index) => [
        `Out${index}`,
        { Value: value, Export: { Name: name } },
      ]),
    ),
  });
}

const IMPORTER = `
Resources:
  Handle: {Type: AWS::CloudFormation::WaitConditionHandle}
Outputs:
  Seen:
    Value: !Join ['/', [!ImportValue shared-vpc, !ImportValue {'Fn::Sub': '\${AWS::Region}-subnet'}]]
`;

describe('exports and imports', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let cfn: CloudFormationClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    ({ cfn } = cfnClients(sandbox, sandbox.credentialsFor(DEV), clock));
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  const exportShared = async (): Promise<string> => {
    const { StackId } = await cfn.send(
      new CreateStackCommand({
        StackName: 'network',
        TemplateBody: exporter({ 'shared-vpc': 'vpc-123', 'us-east-1-subnet': 'subnet-9' }),
      }),
    );
    return StackId ?? '';
  };

  it('lists exports and resolves Fn::ImportValue', async () => {
    const exporterId = await exportShared();
    const { Exports } = await cfn.send(new ListExportsCommand({}));
    expect(Exports).toEqual([
      { ExportingStackId: exporterId, Name: 'shared-vpc', Value: 'vpc-123' },
      { ExportingStackId: exporterId, Name: 'us-east-1-subnet', Value: 'subnet-9' },
    ]);
    await cfn.send(new CreateStackCommand({ StackName: 'app', TemplateBody: IMPORTER }));
    const app = await describeStack(cfn, 'app');
    expect(app.Outputs).toEqual([{ OutputKey: 'Seen', OutputValue: 'vpc-123/subnet-9' }]);
    const { Imports } = await cfn.send(new ListImportsCommand({ ExportName: 'shared-vpc' }));
    expect(Imports).toEqual(['app']);
  });

  it('refuses imports of missing exports, and duplicate export names', async () => {
    const missing = await rejection(
      cfn.send(new CreateStackCommand({ StackName: 'app', TemplateBody: IMPORTER })),
    );
    expect(missing.name).toBe('ValidationError');
    expect(missing.message).toBe('No export named shared-vpc found.');
    await exportShared();
    await cfn.send(
      new CreateStackCommand({
        StackName: 'copycat',
        TemplateBody: exporter({ 'shared-vpc': 'vpc-456' }),
      }),
    );
    const copycat = await describeStack(cfn, 'copycat');
    expect(copycat.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(copycat.StackStatusReason).toBe(
      'Export with name shared-vpc is already exported by stack network',
    );
    const unused = await rejection(cfn.send(new ListImportsCommand({ ExportName: 'shared-vpc' })));
    expect(unused.message).toBe("Export 'shared-vpc' is not imported by any stack.");
  });

  it('keeps exports in use from being changed, removed or deleted', async () => {
    await exportShared();
    await cfn.send(new CreateStackCommand({ StackName: 'app', TemplateBody: IMPORTER }));
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'network',
        TemplateBody: exporter({ 'shared-vpc': 'vpc-999', 'us-east-1-subnet': 'subnet-9' }),
      }),
    );
    let network = await describeStack(cfn, 'network');
    expect(network.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(network.StackStatusReason).toBe(
      'Export shared-vpc cannot be updated as it is in use by app',
    );
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'network',
        TemplateBody: exporter({ 'us-east-1-subnet': 'subnet-9' }),
      }),
    );
    network = await describeStack(cfn, 'network');
    expect(network.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(network.StackStatusReason).toBe(
      'Export shared-vpc cannot be deleted as it is in use by app',
    );
    expect(network.Outputs?.map((o) => o.ExportName)).toEqual(['shared-vpc', 'us-east-1-subnet']);

    await cfn.send(new DeleteStackCommand({ StackName: 'network' }));
    network = await describeStack(cfn, 'network');
    expect(network.StackStatus).toBe('DELETE_FAILED');
    expect(network.StackStatusReason).toBe(
      'Export shared-vpc cannot be deleted as it is in use by app',
    );

    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
    await cfn.send(new DeleteStackCommand({ StackName: 'network' }));
    expect((await describeStack(cfn, network.StackId ?? '')).StackStatus).toBe('DELETE_COMPLETE');
    const { Exports } = await cfn.send(new ListExportsCommand({}));
    expect(Exports ?? []).toEqual([]);
    expect((await stackEvents(cfn, network.StackId ?? '')).at(-1)?.ResourceStatus).toBe(
      'DELETE_COMPLETE',
    );
  });

  it('pages ListExports', async () => {
    const names = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [`export-${i}`, `value-${i}`]),
    );
    await cfn.send(new CreateStackCommand({ StackName: 'lots', TemplateBody: exporter(names) }));
    const first = await cfn.send(new ListExportsCommand({}));
    expect(first.Exports).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    const second = await cfn.send(new ListExportsCommand({ NextToken: first.NextToken }));
    expect(second.Exports?.map((e) => e.Name)).toEqual(
      Array.from({ length: 20 }, (_, i) => `export-${100 + i}`),
    );
    expect(second.NextToken).toBeUndefined();
    const bad = await rejection(cfn.send(new ListExportsCommand({ NextToken: 'nonsense' })));
    expect(bad.name).toBe('ValidationError');
  });
});
