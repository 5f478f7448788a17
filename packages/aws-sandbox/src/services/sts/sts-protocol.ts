// STS speaks the query protocol, version 2011-06-15.
import { queryProtocol } from '../../protocols/query-protocol.js';

/** The STS protocol binding. */
export const STS_PROTOCOL = queryProtocol({
  version: '2011-06-15',
  xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
});
