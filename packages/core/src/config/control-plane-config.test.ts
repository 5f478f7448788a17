import { describe, expect, it } from 'vitest';
import { RampartError } from '../errors/index.js';
import { positionOf } from '../test-support/pipeline-fixtures.js';
import { envNameFor, parseControlPlaneConfig } from './control-plane-config.js';

const FULL = [
  'organization:',
  '  name: Acme Corp',
  '  slug: acme',
  '  cicd_account_id: "012345678901"',
  '  cicd_account_region: us-east-1',
  'issuer_url: https://rampart.example.com',
  'listen: "0.0.0.0:8080"',
  'data_dir: /var/lib/rampart',
  'database_url: postgres://rampart@db/rampart',
  'aws:',
  '  endpoint_url: http://localhost:4566',
  '',
].join('\n');

function configError(input: Parameters<typeof parseControlPlaneConfig>[0]): RampartError {
  try {
    parseControlPlaneConfig(input);
  } catch (error) {
    if (error instanceof RampartError) return error;
    throw error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('parseControlPlaneConfig: file and environment', () => {
  it('reads every key of the file', () => {
    expect(parseControlPlaneConfig({ text: FULL })).toEqual({
      organization: {
        name: 'Acme Corp',
        slug: 'acme',
        cicd_account_id: '012345678901',
        cicd_account_region: 'us-east-1',
      },
      issuer_url: 'https://rampart.example.com',
      listen: '0.0.0.0:8080',
      data_dir: '/var/lib/rampart',
      database_url: 'postgres://rampart@db/rampart',
      aws: { endpoint_url: 'http://localhost:4566' },
    });
  });

  it('no file and no environment, or an empty file: an empty configuration', () => {
    expect(parseControlPlaneConfig({})).toEqual({});
    expect(parseControlPlaneConfig({ text: '' })).toEqual({});
    expect(parseControlPlaneConfig({ text: '# only a comment\n' })).toEqual({});
  });

  it('RAMPART_* variables override single keys, nested ones included; empty values are ignored', () => {
    const config = parseControlPlaneConfig({
      text: FULL,
      env: {
        RAMPART_ORGANIZATION_SLUG: 'acme-eu',
        RAMPART_LISTEN: '127.0.0.1:9000',
        RAMPART_AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
        RAMPART_DATA_DIR: '',
        RAMPART_UNRELATED: 'x',
        HOME: '/root',
      },
    });
    expect(config.organization).toEqual({
      name: 'Acme Corp',
      slug: 'acme-eu',
      cicd_account_id: '012345678901',
      cicd_account_region: 'us-east-1',
    });
    expect(config.listen).toBe('127.0.0.1:9000');
    expect(config.aws).toEqual({ endpoint_url: 'http://127.0.0.1:5000' });
    expect(config.data_dir).toBe('/var/lib/rampart');
  });

  it('the environment alone is enough, and keeps account ids as text', () => {
    expect(
      parseControlPlaneConfig({
        env: {
          RAMPART_ORGANIZATION_CICD_ACCOUNT_ID: '012345678901',
          RAMPART_ORGANIZATION_NAME: 'Acme',
        },
      }),
    ).toEqual({
      organization: { cicd_account_id: '012345678901', name: 'Acme' },
    });
  });

  it('envNameFor joins the key path in upper case', () => {
    expect(envNameFor(['organization', 'cicd_account_id'])).toBe(
      'RAMPART_ORGANIZATION_CICD_ACCOUNT_ID',
    );
    expect(envNameFor(['listen'])).toBe('RAMPART_LISTEN');
  });
});

describe('parseControlPlaneConfig: CONFIG_INVALID lists every problem with its position', () => {
  it('bad values and an unknown key', () => {
    const text =
      'organization:\n  slug: Acme_Co\n  cicd_account_id: "12345"\nlisen: ":8080"\nissuer_url: not a url\n';
    const e = configError({ text, file: 'rampart.config.yaml' });
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.source).toBe('user');
    const at = (needle: string) => {
      const p = positionOf(text, needle);
      return `rampart.config.yaml:${p.line}:${p.column}: `;
    };
    expect(e.message).toContain(
      `${at('Acme_Co')}organization.slug: must be lowercase letters, digits and hyphens`,
    );
    expect(e.message).toContain(
      `${at('"12345"')}organization.cicd_account_id: must be a 12-digit AWS account id in quotes`,
    );
    expect(e.message).toContain(
      `${at('lisen')}unknown key "lisen" in the top level; did you mean "listen"?`,
    );
    expect(e.message).toContain(at('not a url'));
    expect(e.location).toMatchObject({ file: 'rampart.config.yaml' });
    expect(e.hint).toContain('RAMPART_<KEY>');
  });

  it('an unquoted CI/CD account id names the quoted value', () => {
    const text = 'organization:\n  cicd_account_id: 012345678901\n';
    const e = configError({ text });
    expect(e.message).toContain(
      'rampart.config.yaml:2:20: organization.cicd_account_id is an unquoted number (012345678901)',
    );
    expect(e.message).toContain('cicd_account_id: "012345678901"');
    expect(e.location).toEqual({ file: 'rampart.config.yaml', line: 2, column: 20 });
  });

  it('an unknown region', () => {
    expect(
      configError({ text: 'organization:\n  cicd_account_region: us-est-1\n' }).message,
    ).toContain('2:24: organization.cicd_account_region');
  });

  it('bad YAML and a file that is not a map', () => {
    expect(configError({ text: 'listen: [\n' }).message).toMatch(/rampart\.config\.yaml:\d+:\d+: /);
    expect(configError({ text: '- listen\n' }).message).toContain(
      'rampart.config.yaml:1:1: rampart.config.yaml must be a map of settings',
    );
  });

  it('a bad value from the environment alone', () => {
    const e = configError({ env: { RAMPART_ORGANIZATION_CICD_ACCOUNT_ID: '12' } });
    expect(e.message).toContain(
      'RAMPART_ORGANIZATION_CICD_ACCOUNT_ID (organization.cicd_account_id)',
    );
    expect(e.message).toContain('12-digit AWS account id');
  });

  it('a bad value from the environment names its variable, not the file line it overrides', () => {
    const e = configError({
      text: 'organization:\n  name: Acme\n  slug: acme\n',
      env: { RAMPART_ORGANIZATION_SLUG: 'Bad_Slug' },
    });
    expect(e.message).toContain('RAMPART_ORGANIZATION_SLUG');
  });

  it('an unknown key named constructor is CONFIG_INVALID, not a TypeError', () => {
    expect(configError({ text: 'constructor: 1\n' }).code).toBe('CONFIG_INVALID');
  });
});

describe('parseControlPlaneConfig: the master key of the signing keys', () => {
  const KEY = 'q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=';

  it('reads master_key or master_key_file, and RAMPART_MASTER_KEY(_FILE) override them', () => {
    expect(parseControlPlaneConfig({ text: `master_key: "${KEY}"\n` }).master_key).toBe(KEY);
    expect(parseControlPlaneConfig({ text: 'master_key_file: /etc/rampart/master.key\n' })).toEqual(
      {
        master_key_file: '/etc/rampart/master.key',
      },
    );
    expect(parseControlPlaneConfig({ env: { RAMPART_MASTER_KEY: KEY } }).master_key).toBe(KEY);
    expect(
      parseControlPlaneConfig({ env: { RAMPART_MASTER_KEY_FILE: '/run/secrets/key' } })
        .master_key_file,
    ).toBe('/run/secrets/key');
  });

  it('a master_key that is not 32 bytes of base64 is CONFIG_INVALID, without echoing it', () => {
    for (const bad of ['c2hvcnQ=', `${KEY}A`, KEY.replace('q', '*')]) {
      const e = configError({ text: `master_key: "${bad}"\n` });
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.message).toContain('master_key: must be 32 bytes in base64');
      expect(e.message).not.toContain(bad);
    }
  });

  it('both master_key and master_key_file is CONFIG_INVALID', () => {
    const e = configError({ text: `master_key: "${KEY}"\nmaster_key_file: ./key\n` });
    expect(e.message).toContain('set master_key or master_key_file, not both');
  });
});

describe('parseControlPlaneConfig: the server secrets', () => {
  const SECRET = 'x'.repeat(32);

  it('reads admin_token and alarm_push_token from the file or RAMPART_ADMIN_TOKEN / RAMPART_ALARM_PUSH_TOKEN', () => {
    expect(
      parseControlPlaneConfig({ text: `admin_token: ${SECRET}\nalarm_push_token: ${SECRET}\n` }),
    ).toEqual({ admin_token: SECRET, alarm_push_token: SECRET });
    expect(
      parseControlPlaneConfig({
        env: { RAMPART_ADMIN_TOKEN: `a${SECRET}`, RAMPART_ALARM_PUSH_TOKEN: `b${SECRET}` },
      }),
    ).toEqual({ admin_token: `a${SECRET}`, alarm_push_token: `b${SECRET}` });
  });

  it('a short secret is CONFIG_INVALID naming the variable, without echoing the value', () => {
    const e = configError({ env: { RAMPART_ALARM_PUSH_TOKEN: 'short-secret' } });
    expect(e.message).toContain('RAMPART_ALARM_PUSH_TOKEN (alarm_push_token): must be at least 32');
    expect(e.message).not.toContain('short-secret');
    expect(configError({ text: 'admin_token: abc\n' }).message).toContain('admin_token');
  });
});

describe('parseControlPlaneConfig: public_url, where AWS reaches the server', () => {
  const TOKEN = 't'.repeat(32);

  it('reads public_url from the file or RAMPART_PUBLIC_URL, together with alarm_push_token', () => {
    expect(
      parseControlPlaneConfig({
        text: `public_url: https://rampart.acme.example\nalarm_push_token: ${TOKEN}\n`,
      }),
    ).toEqual({ public_url: 'https://rampart.acme.example', alarm_push_token: TOKEN });
    expect(
      parseControlPlaneConfig({
        text: `public_url: https://old.example\n`,
        env: { RAMPART_PUBLIC_URL: 'http://127.0.0.1:8080/', RAMPART_ALARM_PUSH_TOKEN: TOKEN },
      }).public_url,
    ).toBe('http://127.0.0.1:8080/');
    expect(envNameFor(['public_url'])).toBe('RAMPART_PUBLIC_URL');
  });

  it('public_url without alarm_push_token is CONFIG_INVALID at public_url, saying how to fix it', () => {
    const text = 'listen: 127.0.0.1:8080\npublic_url: https://rampart.acme.example\n';
    const e = configError({ text, file: 'rampart.config.yaml' });
    expect(e.code).toBe('CONFIG_INVALID');
    const p = positionOf(text, 'https://rampart.acme.example');
    expect(e.message).toContain(`rampart.config.yaml:${p.line}:${p.column}: public_url`);
    expect(e.message).toContain('needs alarm_push_token');
    expect(e.message).toContain('openssl rand -base64 32');
    expect(e.message).toContain('or remove public_url');
    // Set through the environment: the variable is named.
    const fromEnv = configError({ env: { RAMPART_PUBLIC_URL: 'https://rampart.acme.example' } });
    expect(fromEnv.message).toContain('RAMPART_PUBLIC_URL (public_url): needs alarm_push_token');
  });

  it('a public_url that is not an http(s) URL, or has a query, is CONFIG_INVALID', () => {
    for (const bad of ['ftp://rampart.acme.example', 'rampart.acme.example', 'not a url']) {
      const e = configError({ text: `public_url: ${bad}\nalarm_push_token: ${TOKEN}\n` });
      expect(e.message, bad).toContain('public_url: must be an http:// or https:// URL');
    }
    const e = configError({
      text: `public_url: https://rampart.acme.example/?x=1\nalarm_push_token: ${TOKEN}\n`,
    });
    expect(e.message).toContain('public_url: must not have a query or fragment');
  });
});
