import { describe, expect, it } from 'vitest';
import { queryParamsToTree } from './query-params.js';

describe('queryParamsToTree', () => {
  it('turns member lists, entry maps and nested structures into a tree', () => {
    const tree = queryParamsToTree(
      new URLSearchParams(
        'Action=CreateRole&Version=2010-05-08&RoleName=r&Tags.member.2.Key=b&Tags.member.2.Value=2' +
          '&Tags.member.1.Key=a&Tags.member.1.Value=1&ClientIDList=&PolicyArns.member.1.arn=x' +
          '&Attributes.entry.1.key=k&Attributes.entry.1.value=v&Nested.Inner.Leaf=z&X-Amz-Date=20260101T000000Z',
      ).entries(),
    );
    expect(tree).toEqual({
      RoleName: 'r',
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
      ],
      ClientIDList: '',
      PolicyArns: [{ arn: 'x' }],
      Attributes: { k: 'v' },
      Nested: { Inner: { Leaf: 'z' } },
    });
  });

  it('keeps the structure when a key is both a leaf and a prefix', () => {
    expect(
      queryParamsToTree([
        ['A.B', '1'],
        ['A', 'x'],
      ]),
    ).toEqual({ A: { B: '1' } });
  });
});
