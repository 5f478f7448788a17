// The engine's CredentialsProvider over the credential broker: the broker needs the pipeline's
// model (stage account, region, role name), so the server passes a resolver from the engine's
// stage target to the registered pipeline.
import { RampartError, type PipelineModel } from '@rampart/core';
import type { CredentialsProvider, StageCredentials, StageTarget } from '@rampart/engine';
import { findStage, type CredentialBroker } from '../credentials/credential-broker.js';

/**
 * The model of the pipeline a stage target belongs to (by `pipelineId` or `pipelineSlug`), or
 * `undefined` when no such pipeline is registered.
 */
export type PipelineModelResolver = (
  target: StageTarget,
) => PipelineModel | undefined | Promise<PipelineModel | undefined>;

/** Options of {@link BrokerCredentialsProvider}. */
export interface BrokerCredentialsProviderOptions {
  broker: CredentialBroker;
  pipelines: PipelineModelResolver;
}

/** Stage credentials from the broker (OIDC token → `AssumeRoleWithWebIdentity`), cached by it. */
export class BrokerCredentialsProvider implements CredentialsProvider {
  constructor(private readonly options: BrokerCredentialsProviderOptions) {}

  /**
   * @throws RampartError `AWS_CREDENTIALS_FAILED` when the pipeline is not registered, or when its
   *   stage now deploys to another account or region than the deployment's plan says (the
   *   credentials would be for the wrong place), and whatever the broker throws.
   */
  async credentialsFor(target: StageTarget, deploymentId?: string): Promise<StageCredentials> {
    const pipeline = await this.options.pipelines(target);
    if (pipeline === undefined) {
      throw new RampartError(
        'AWS_CREDENTIALS_FAILED',
        `no registered pipeline "${target.pipelineSlug}" (id ${target.pipelineId}) to issue stage "${target.stage}" credentials for`,
        { source: 'system', hint: 'Register the pipeline again, or cancel its deployments.' },
      );
    }
    const stage = findStage(pipeline, target.stage);
    if (stage.accountId !== target.accountId || stage.region !== target.region) {
      throw new RampartError(
        'AWS_CREDENTIALS_FAILED',
        `pipeline "${pipeline.slug}" stage "${stage.name}" now deploys to account ${stage.accountId} in ${stage.region}, but this deployment's plan targets account ${target.accountId} in ${target.region}`,
        {
          source: 'user',
          hint: 'Deploy a new revision with the current pipeline file; the running one cannot get credentials for its old target.',
        },
      );
    }
    const issued = await this.options.broker.credentialsFor({
      pipeline,
      stage: target.stage,
      ...(deploymentId === undefined ? {} : { deploymentId }),
    });
    const { credentials } = issued;
    return {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
      expiration: credentials.expiration,
    };
  }
}
