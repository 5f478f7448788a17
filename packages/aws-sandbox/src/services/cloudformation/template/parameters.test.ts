import { describe, expect, it } from 'vitest';
import { parameterRefValues, resolveParameters, type GivenParameter } from './parameters.js';
import { parseTemplate } from './parse-template.js';

const TEMPLATE = parseTemplate(`
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}
  Name: {Type: String, AllowedPattern: '[a-z]+', MinLength: 2, MaxLength: 5}
  Count: {Type: Number, MinValue: 1, MaxValue: 10, Default: 2}
  Ports: {Type: List<Number>, Default: '80,443'}
  Zones: {Type: CommaDelimitedList, Default: 'a, b'}
  Vpc: {Type: 'AWS::EC2::VPC::Id', Default: vpc-1}
  Secret: {Type: String, NoEcho: true, Default: hidden}
  Strict: {Type: String, Default: ok, AllowedValues: [ok], ConstraintDescription: must be ok}
Resources:
  A: {Type: AWS::CloudFormation::WaitConditionHandle}
`);

const given = (values: Record<string, string>): GivenParameter[] =>
  Object.entries(values).map(([key, value]) => ({ key, value, usePreviousValue: false }));

describe('parameters', () => {
  it('applies defaults and keeps NoEcho flags', () => {
    const params = resolveParameters(TEMPLATE, given({ Name: 'abc' }));
    expect(params.find((p) => p.key === 'Count')).toEqual({
      key: 'Count',
      value: '2',
      noEcho: false,
    });
    expect(params.find((p) => p.key === 'Secret')).toEqual({
      key: 'Secret',
      value: 'hidden',
      noEcho: true,
    });
    expect(parameterRefValues(TEMPLATE, params)).toMatchObject({
      Ports: ['80', '443'],
      Zones: ['a', 'b'],
      Vpc: 'vpc-1',
      Count: '2',
    });
  });

  it('checks every constraint with AWS messages', () => {
    const check = (values: Record<string, string>): void => {
      resolveParameters(TEMPLATE, given({ Name: 'abc', ...values }));
    };
    expect(() => check({ Env: 'qa' })).toThrow("Parameter 'Env' must be one of AllowedValues");
    expect(() => check({ Name: 'AB' })).toThrow("Parameter 'Name' must match pattern [a-z]+");
    expect(() => check({ Name: 'a' })).toThrow(
      "Parameter 'Name' must contain at least 2 characters",
    );
    expect(() => check({ Name: 'abcdef' })).toThrow(
      "Parameter 'Name' must contain at most 5 characters",
    );
    expect(() => check({ Count: 'x' })).toThrow("Parameter 'Count' must be a number.");
    expect(() => check({ Count: '11' })).toThrow(
      "Parameter 'Count' must be a number not greater than 10",
    );
    expect(() => check({ Count: '0' })).toThrow(
      "Parameter 'Count' must be a number not less than 1",
    );
    expect(() => check({ Ports: '80,http' })).toThrow("Parameter 'Ports' must be a number.");
    expect(() => check({ Strict: 'no' })).toThrow("Parameter 'Strict' must be ok");
  });

  it('requires values without defaults and rejects unknown keys', () => {
    expect(() => resolveParameters(TEMPLATE, [])).toThrow('Parameters: [Name] must have values');
    expect(() => resolveParameters(TEMPLATE, given({ Name: 'abc', Nope: 'x' }))).toThrow(
      'Parameters: [Nope] do not exist in the template',
    );
  });

  it('reuses previous values on UsePreviousValue', () => {
    const previous = resolveParameters(TEMPLATE, given({ Name: 'abc', Env: 'prod' }));
    const next = resolveParameters(
      TEMPLATE,
      [
        { key: 'Name', usePreviousValue: true },
        { key: 'Env', usePreviousValue: true },
      ],
      previous,
    );
    expect(next.find((p) => p.key === 'Env')?.value).toBe('prod');
    expect(() =>
      resolveParameters(TEMPLATE, [{ key: 'Name', usePreviousValue: true }], []),
    ).toThrow(
      /Cannot specify usePreviousValue as true for a parameter key not in the previous template/,
    );
    expect(() =>
      resolveParameters(TEMPLATE, [{ key: 'Name', value: 'x', usePreviousValue: true }], previous),
    ).toThrow(/Cannot specify usePreviousValue as true and non empty value/);
  });
});
