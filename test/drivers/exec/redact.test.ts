import { describe, expect, it } from 'vitest';
import { Redactor, REDACTED } from '../../../src/drivers/exec/redact.js';

describe('Redactor.text: built-in token shapes', () => {
  const r = new Redactor();
  const cases: [string, string, string][] = [
    ['AWS access key id', 'key AKIAIOSFODNN7EXAMPLE here', `key ${REDACTED} here`],
    ['GitHub token', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789', `token ${REDACTED}`],
    ['GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop', REDACTED],
    ['Slack token', 'SLACK=xoxb-1234567890-abcdefghij', `SLACK=${REDACTED}`],
    ['JWT', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok', `jwt ${REDACTED} ok`],
    ['Authorization header keeps the scheme', 'Authorization: Bearer abc.def-ghi_jkl', `Authorization: Bearer ${REDACTED}`],
    ['bare bearer token', 'curl -H "x: Bearer 0123456789abcdefghij"', `curl -H "x: Bearer ${REDACTED}"`],
    ['password= keeps the name', 'login password=hunter2 user=bob', `login password=${REDACTED} user=bob`],
    ['JSON password', '{"password": "s3cr3t", "user": "bob"}', `{"password": "${REDACTED}", "user": "bob"}`],
    ['api_key: value', 'api_key: 12345abcde', `api_key: ${REDACTED}`],
    [
      'credentials in a URL',
      'git clone https://bob:tok3n@git.example.com/x.git',
      `git clone https://bob:${REDACTED}@git.example.com/x.git`,
    ],
    ['ordinary text is untouched', 'deploy v2.1.0 to 4 hosts: ok', 'deploy v2.1.0 to 4 hosts: ok'],
    [
      'one-line private key block',
      'k=-----BEGIN OPENSSH PRIVATE KEY----- AAAA -----END OPENSSH PRIVATE KEY-----',
      `k=${REDACTED} private key`,
    ],
  ];
  it.each(cases)('%s', (_, input, want) => {
    expect(r.text(input)).toBe(want);
  });
});

describe('Redactor: runbook patterns', () => {
  it('replaces the whole match, whatever the groups', () => {
    const r = new Redactor(['token-(\\d+)', 'internal\\.secret\\.example']);
    expect(r.text('use token-1234 on internal.secret.example')).toBe(`use ${REDACTED} on ${REDACTED}`);
  });
  it('ignores patterns that match the empty string instead of flooding the line', () => {
    expect(new Redactor(['x*']).text('abc')).toBe('abc');
  });
  it('skips an invalid pattern rather than crashing', () => {
    expect(new Redactor(['(unclosed']).text('fine')).toBe('fine');
  });
});

describe('Redactor.stream: private key blocks across lines', () => {
  it('drops the body and the END line, keeps what follows', () => {
    const s = new Redactor().stream();
    const lines = ['before', '-----BEGIN RSA PRIVATE KEY-----', 'MIIEpAIBAAKCAQEA', 'abcdef==', '-----END RSA PRIVATE KEY-----', 'after'];
    expect(lines.map((l) => s.line(l)).filter((l) => l !== undefined)).toEqual(['before', `${REDACTED} private key`, 'after']);
  });
  it('tracks state per stream', () => {
    const r = new Redactor();
    const a = r.stream();
    const b = r.stream();
    a.line('-----BEGIN PRIVATE KEY-----');
    expect(a.line('secret body')).toBeUndefined();
    expect(b.line('other stream')).toBe('other stream');
  });
});
