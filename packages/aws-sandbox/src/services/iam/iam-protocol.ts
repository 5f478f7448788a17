// IAM speaks the query protocol, version 2010-05-08.
import { queryProtocol } from '../../protocols/query-protocol.js';

/** The IAM protocol binding. */
export const IAM_PROTOCOL = queryProtocol({
  version: '2010-05-08',
  xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/',
});
