// The normalized shape of a CloudFormation template, after parsing JSON or YAML.

/** A JSON value inside a template (intrinsic functions are one-key objects). */
export type TemplateValue =
  string | number | boolean | null | TemplateValue[] | { [key: string]: TemplateValue };

/** A `Parameters` entry. */
export interface ParameterDeclaration {
  Type: string;
  Default?: string;
  AllowedValues?: string[];
  AllowedPattern?: string;
  NoEcho: boolean;
  Description?: string;
  MinLength?: number;
  MaxLength?: number;
  MinValue?: number;
  MaxValue?: number;
  ConstraintDescription?: string;
}

/** A `Resources` entry. */
export interface ResourceDeclaration {
  Type: string;
  Properties: Record<string, TemplateValue>;
  DependsOn: string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** An `Outputs` entry. */
export interface OutputDeclaration {
  Value: TemplateValue;
  Description?: TemplateValue;
  ExportName?: TemplateValue;
  Condition?: string;
}

/** A checked template; every section present (possibly empty). */
export interface Template {
  Description?: string;
  Parameters: Record<string, ParameterDeclaration>;
  Mappings: Record<string, Record<string, Record<string, TemplateValue>>>;
  Conditions: Record<string, TemplateValue>;
  Resources: Record<string, ResourceDeclaration>;
  Outputs: Record<string, OutputDeclaration>;
}
