/** The `sub` claim of the tokens Rampart mints, which each stage role's trust policy pins. */
import { assertNamePart } from './name-part.js';

/**
 * `org:<org>/pipeline:<slug>/stage:<stage>`. AWS checks only `aud` and `sub` for generic OIDC
 * providers, so this string is the whole identity of a stage; each part is checked to hold no
 * separator or wildcard, so no other org, pipeline or stage can produce the same subject.
 */
export function oidcSubject(input: { org: string; slug: string; stage: string }): string {
  assertNamePart('organization slug', input.org);
  assertNamePart('pipeline slug', input.slug);
  assertNamePart('stage name', input.stage);
  return `org:${input.org}/pipeline:${input.slug}/stage:${input.stage}`;
}
