/** How long Rampart's OIDC tokens live. Retired signing keys stay published for the maximum. */

/** A token lives this long unless asked otherwise: enough for one STS call with retries. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 300;

/**
 * No token lives longer. Retired keys are published until every token they signed has expired,
 * so this bound is also the overlap of a key rotation.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 600;

/** The audience AWS STS expects (the client id of every account's OIDC provider). */
export const STS_AUDIENCE = 'sts.amazonaws.com';
