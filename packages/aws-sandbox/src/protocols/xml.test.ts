import { describe, expect, it } from 'vitest';
import { escapeXml, renderXmlChildren } from './xml.js';

describe('escapeXml', () => {
  it('leaves plain text alone', () => {
    const arn = 'arn:aws:iam::111111111111:user/admin';
    expect(escapeXml(arn)).toBe(arn);
    expect(escapeXml('')).toBe('');
  });

  it('escapes every special character, wherever it is', () => {
    expect(escapeXml(`a&b<c>d"e'f\rg`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f&#xD;g');
    expect(escapeXml('&&')).toBe('&amp;&amp;');
    expect(escapeXml('plain then <tag>')).toBe('plain then &lt;tag&gt;');
  });
});

describe('renderXmlChildren', () => {
  it('renders objects, member lists, dates and escaped text, skipping absent values', () => {
    expect(
      renderXmlChildren({
        Arn: 'a<b',
        Tags: [{ Key: 'k', Value: 'v' }],
        Created: new Date('2026-03-01T10:00:00Z'),
        Count: 2,
        Missing: undefined,
        Empty: null,
      }),
    ).toBe(
      '<Arn>a&lt;b</Arn><Tags><member><Key>k</Key><Value>v</Value></member></Tags>' +
        '<Created>2026-03-01T10:00:00.000Z</Created><Count>2</Count>',
    );
  });
});
