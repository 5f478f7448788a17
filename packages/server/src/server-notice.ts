/**
 * What the server reports about itself (libraries never print): `rampart server` renders these,
 * tests assert on their codes. The engine runtime's notices come through as they are.
 */
import type { RuntimeNotice } from '@rampart/engine';

export type ServerNotice =
  /** The server listens and serves the API. */
  | { code: 'server.started'; url: string; issuerUrl: string; store: string }
  /**
   * The first start found no API token and no `admin_token`: an admin token was created. Its
   * secret appears here once and is never shown again.
   */
  | { code: 'server.admin_token_created'; name: string; secret: string }
  /** A master key was generated into `data_dir/master.key`: back it up. */
  | { code: 'server.master_key_generated'; file: string }
  /** A request failed inside the server (answered 500 with the code only). */
  | {
      code: 'server.request_failed';
      method: string;
      path: string;
      errorCode: string;
      message: string;
    }
  /** Step log lines could not be stored and were dropped. */
  | { code: 'server.log_lines_dropped'; lines: number; message: string }
  /** A pushed alarm state change could not be applied. */
  | { code: 'server.alarm_event_failed'; alarm: string; message: string }
  /** A revision's checkout could not be removed (it stays under data_dir/work). */
  | { code: 'server.workspace_cleanup_failed'; deploymentId: string; message: string }
  /**
   * Commands leased to an earlier server process of this host that no longer runs (it was
   * killed) were given back at start, to run again now.
   */
  | { code: 'server.leases_reclaimed'; owner: string; commands: number }
  /** The server stopped. */
  | { code: 'server.stopped' }
  | RuntimeNotice;

export type ServerNoticeCode = ServerNotice['code'];
