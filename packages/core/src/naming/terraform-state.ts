/** Where a stage's Terraform state lives in the organization's state bucket. */
import { assertNamePart } from './name-part.js';

/** The folder of a stage's state, `<slug>/<stage>/`; the stage role may touch only keys below it. */
export function terraformStatePrefix(input: { slug: string; stage: string }): string {
  assertNamePart('pipeline slug', input.slug);
  assertNamePart('stage name', input.stage);
  return `${input.slug}/${input.stage}/`;
}

/** `<slug>/<stage>/terraform.tfstate`. */
export function terraformStateKey(input: { slug: string; stage: string }): string {
  return `${terraformStatePrefix(input)}terraform.tfstate`;
}
