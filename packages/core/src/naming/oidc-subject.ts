/** The `sub` claim of the tokens Rampart mints, which each stage (and build) role's trust policy pins. */
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

/**
 * `org:<org>/pipeline:<slug>/build`: the subject of the tokens a pipeline's builds exchange for
 * the build role's credentials. No stage subject can equal it (those end in `/stage:<name>`), so a
 * stage token never assumes the build role, nor a build token a stage role.
 */
export function buildOidcSubject(input: { org: string; slug: string }): string {
  assertNamePart('organization slug', input.org);
  assertNamePart('pipeline slug', input.slug);
  return `org:${input.org}/pipeline:${input.slug}/build`;
}
