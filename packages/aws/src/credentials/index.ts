// The credential broker: OIDC token → STS AssumeRoleWithWebIdentity → stage credentials.
export { systemClock, type Clock } from './clock.js';
export {
  createCredentialBroker,
  type BuildCredentialTarget,
  findStage,
  type CredentialBroker,
  type CredentialBrokerOptions,
  type CredentialTarget,
  type StageCredentials,
  type TokenMinter,
} from './credential-broker.js';
export { sessionName } from './session-name.js';
export { stageEnvironment } from './stage-environment.js';
