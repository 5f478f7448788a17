/** The shape of the CloudFormation templates bootstrap generates, and the intrinsics they use. */

/** A template as plain JSON: what CloudFormation receives, byte for byte once serialized. */
export interface CfnTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  /** @default none */
  Parameters?: Record<string, CfnParameter>;
  /** Condition name → `Fn::Equals` / `Fn::Not` / … expression. @default none */
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, CfnOutput>;
}

export interface CfnParameter {
  Type: 'String';
  Description: string;
  /** @default none: the parameter is required */
  Default?: string;
  /** @default any value */
  AllowedPattern?: string;
  /** @default CloudFormation's generic message */
  ConstraintDescription?: string;
  /** @default no minimum */
  MinLength?: number;
  /** Masks the value (`****`) wherever CloudFormation describes the stack. @default false */
  NoEcho?: boolean;
}

/**
 * What happens to a resource's data when it leaves the stack. Bootstrap keeps data
 * (`RetainExceptOnCreate`: kept on stack deletion and removal, deleted only when the stack
 * creating it rolls back, so a re-run after a failed first bootstrap does not trip over it).
 */
export type CfnDeletionPolicy = 'Delete' | 'Retain' | 'RetainExceptOnCreate';

export interface CfnResource {
  Type: string;
  /** Created only when this condition holds. @default always */
  Condition?: string;
  /** @default `Delete` */
  DeletionPolicy?: CfnDeletionPolicy;
  /** @default `Delete` */
  UpdateReplacePolicy?: 'Delete' | 'Retain';
  Properties: Record<string, unknown>;
}

export interface CfnOutput {
  Description: string;
  Value: unknown;
}

/** `{ "Ref": name }`: a parameter's value, or a resource's primary id. */
export function ref(name: string): { Ref: string } {
  return { Ref: name };
}

/** `{ "Fn::GetAtt": [resource, attribute] }`. */
export function getAtt(resource: string, attribute: string): { 'Fn::GetAtt': [string, string] } {
  return { 'Fn::GetAtt': [resource, attribute] };
}

/** `{ "Fn::If": [condition, whenTrue, whenFalse] }`. */
export function fnIf(
  condition: string,
  whenTrue: unknown,
  whenFalse: unknown,
): { 'Fn::If': [string, unknown, unknown] } {
  return { 'Fn::If': [condition, whenTrue, whenFalse] };
}

/** Leaves a property out (inside `Fn::If`). */
export const NO_VALUE = { Ref: 'AWS::NoValue' } as const;

/** Resource settings for anything that holds data bootstrap must never destroy. */
export const KEEP_DATA: Pick<CfnResource, 'DeletionPolicy' | 'UpdateReplacePolicy'> = {
  DeletionPolicy: 'RetainExceptOnCreate',
  UpdateReplacePolicy: 'Retain',
};
