import { describe, expect, it } from 'vitest';
import { parsePostgresUrl, redactDatabaseUrl } from './database-url.js';

describe('database URLs', () => {
  it('hides the password and nothing else', () => {
    expect(redactDatabaseUrl('postgres://app:p%40ss@db:5432/rampart?sslmode=require')).toBe(
      'postgres://app:***@db:5432/rampart?sslmode=require',
    );
    expect(redactDatabaseUrl('postgres://app@db/rampart')).toBe('postgres://app@db/rampart');
    expect(redactDatabaseUrl('postgres:///rampart?host=/run/postgresql')).toBe(
      'postgres:///rampart?host=/run/postgresql',
    );
  });

  it('hides the password of text that does not parse as a URL', () => {
    expect(redactDatabaseUrl('postgres://app:secret@db:port/x')).toBe(
      'postgres://app:***@db:port/x',
    );
  });

  it('accepts both PostgreSQL schemes', () => {
    expect(parsePostgresUrl('postgres://db/rampart').hostname).toBe('db');
    expect(parsePostgresUrl('postgresql://db/rampart').pathname).toBe('/rampart');
  });

  it('refuses other schemes and non-URLs with STORE_URL_INVALID', () => {
    expect(() => parsePostgresUrl('mysql://u:pw@db/x')).toThrow(
      expect.objectContaining({
        code: 'STORE_URL_INVALID',
        message: expect.stringContaining('"mysql"') as unknown,
      }),
    );
    expect(() => parsePostgresUrl('localhost:5432')).toThrow(
      expect.objectContaining({ code: 'STORE_URL_INVALID' }),
    );
    expect(() => parsePostgresUrl('db.example')).toThrow(
      expect.objectContaining({ code: 'STORE_URL_INVALID' }),
    );
  });
});
