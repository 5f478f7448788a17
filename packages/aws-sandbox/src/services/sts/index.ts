// The STS service: caller identity, role assumption, web identity federation.
import type { ServiceDefinition } from '../../framework/service.js';
import { assumeRole } from './assume-role.js';
import { assumeRoleWithWebIdentity } from './assume-role-with-web-identity.js';
import { getCallerIdentity } from './get-caller-identity.js';
import { STS_PROTOCOL } from './sts-protocol.js';

/** STS. */
export const stsService: ServiceDefinition = {
  name: 'sts',
  protocol: STS_PROTOCOL,
  global: true,
  actions: {
    GetCallerIdentity: getCallerIdentity,
    AssumeRole: assumeRole,
    AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity,
  },
};
