// AWS CloudFormation (query protocol, version 2010-05-15): stacks built from JSON/YAML templates
// whose resources are created in the emulated services, asynchronously on the sandbox clock.
import type { ServiceDefinition } from '../../framework/service.js';
import { queryProtocol } from '../../protocols/query-protocol.js';
import { changeSetActions } from './actions/change-set-actions.js';
import { readActions } from './actions/read-actions.js';
import { stackActions } from './actions/stack-actions.js';
import { templateActions } from './actions/template-actions.js';

/** CloudFormation. */
export const cloudFormationService: ServiceDefinition = {
  name: 'cloudformation',
  protocol: queryProtocol({
    version: '2010-05-15',
    xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  }),
  actions: {
    ...stackActions,
    ...readActions,
    ...templateActions,
    ...changeSetActions,
  },
};
