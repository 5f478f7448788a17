// AWS::Logs::LogGroup: a log group with its retention, KMS key and tags. Ref is the name; the Arn
// attribute ends in `:*`, as CloudFormation returns it.
import type { InputValue } from '../../../framework/input.js';
import { optInteger, optString, sameValue, tagsOf } from './property-readers.js';
import type { ResourceProvider } from './resource-provider.js';
import { ignoringNotFound } from './service-errors.js';

/** The provider. */
export const logsLogGroupProvider: ResourceProvider = {
  type: 'AWS::Logs::LogGroup',
  replaceOn: ['LogGroupName', 'LogGroupClass'],
  attributes: ['Arn'],
  taggable: true,
  async create(ctx, props) {
    const name = optString(props, 'LogGroupName') ?? ctx.physicalName({ maxLength: 512 });
    const input: Record<string, InputValue> = { logGroupName: name };
    const kmsKeyId = optString(props, 'KmsKeyId');
    if (kmsKeyId !== undefined) input['kmsKeyId'] = kmsKeyId;
    const logGroupClass = optString(props, 'LogGroupClass');
    if (logGroupClass !== undefined) input['logGroupClass'] = logGroupClass;
    const tags = tagsOf(props);
    if (tags.length > 0) input['tags'] = Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
    await ctx.call('logs', 'CreateLogGroup', input);
    const retention = optInteger(props, 'RetentionInDays');
    if (retention !== undefined) {
      try {
        await ctx.call('logs', 'PutRetentionPolicy', {
          logGroupName: name,
          retentionInDays: retention,
        });
      } catch (error: unknown) {
        await ctx.call('logs', 'DeleteLogGroup', { logGroupName: name }).catch(() => undefined);
        throw error;
      }
    }
    return {
      physicalId: name,
      attributes: { Arn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:*` },
    };
  },
  async update(ctx, { physicalId: name, previous, props, attributes }) {
    if (!sameValue(previous['RetentionInDays'], props['RetentionInDays'])) {
      const retention = optInteger(props, 'RetentionInDays');
      await (retention === undefined
        ? ctx.call('logs', 'DeleteRetentionPolicy', { logGroupName: name })
        : ctx.call('logs', 'PutRetentionPolicy', {
            logGroupName: name,
            retentionInDays: retention,
          }));
    }
    return { physicalId: name, attributes };
  },
  async delete(ctx, { physicalId }) {
    await ignoringNotFound(() => ctx.call('logs', 'DeleteLogGroup', { logGroupName: physicalId }));
  },
};
