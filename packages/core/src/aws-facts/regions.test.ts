import { describe, expect, it } from 'vitest';
import { AWS_REGIONS, AWS_REGION_NAMES, isKnownRegion } from './regions.js';
import { partitionOf } from './partition.js';

describe('AWS_REGIONS', () => {
  it('holds the commercial, GovCloud and China regions', () => {
    for (const code of ['us-east-1', 'eu-west-1', 'ap-southeast-7', 'mx-central-1', 'ca-west-1']) {
      expect(AWS_REGIONS).toContain(code);
    }
    for (const code of ['us-gov-west-1', 'us-gov-east-1', 'cn-north-1', 'cn-northwest-1']) {
      expect(AWS_REGIONS).toContain(code);
    }
  });

  it('is sorted, without duplicates, and every code has a display name', () => {
    expect([...AWS_REGIONS]).toEqual([...AWS_REGIONS].sort());
    expect(new Set(AWS_REGIONS).size).toBe(AWS_REGIONS.length);
    for (const code of AWS_REGIONS) expect(AWS_REGION_NAMES[code]).toMatch(/\S/);
  });

  it('holds only well-formed region codes', () => {
    for (const code of AWS_REGIONS) expect(code).toMatch(/^[a-z]{2}(-[a-z]+)+-\d$/);
  });

  it('leaves out pseudo-regions and isolated partitions', () => {
    for (const code of ['aws-global', 'us-iso-east-1', 'eusc-de-east-1']) {
      expect(AWS_REGIONS).not.toContain(code);
    }
  });
});

describe('isKnownRegion', () => {
  it('accepts known codes', () => {
    expect(isKnownRegion('us-west-2')).toBe(true);
    expect(isKnownRegion('us-gov-west-1')).toBe(true);
  });

  it('rejects typos, other cases and empty strings', () => {
    for (const code of ['us-east1', 'US-EAST-1', 'us-east-1 ', '', 'mars-north-1']) {
      expect(isKnownRegion(code)).toBe(false);
    }
  });
});

describe('partitionOf', () => {
  it('maps GovCloud, China and commercial regions', () => {
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('us-gov-east-1')).toBe('aws-us-gov');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOf('us-east-1')).toBe('aws');
    expect(partitionOf('eu-central-2')).toBe('aws');
  });

  it('reads the prefix, so regions launched later still map', () => {
    expect(partitionOf('us-gov-south-9')).toBe('aws-us-gov');
    expect(partitionOf('cn-south-1')).toBe('aws-cn');
    expect(partitionOf('xx-new-1')).toBe('aws');
  });
});
