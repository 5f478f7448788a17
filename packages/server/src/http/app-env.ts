/** The Hono environment of the API: what middleware hands to the routes. */
import type { Caller } from '../services/caller.js';

export interface AppEnv {
  Variables: {
    /** Set by the authentication middleware of `/api/v1/*` routes. */
    caller: Caller;
  };
}
