import { describe, expect, it } from 'vitest';
import { Redactor, REDACTED } from '../../../src/drivers/exec/redact.js';
import { MIN_SECRET_LENGTH } from '../../../src/runbook/secrets.js';

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

describe('Redactor: secret values (a runbook secrets: list, credential ${VAR})', () => {
  const token = 'tok-3f9a.b+c*d(e)?[f]$';
  it('hides a value wherever it appears, regex characters taken literally', () => {
    const r = new Redactor([], [token]);
    expect(r.text(`a ${token} b${token}c`)).toBe(`a ${REDACTED} b${REDACTED}c`);
    expect(r.text('tok-3f9aXb+c*d(e)?[f]$')).toBe('tok-3f9aXb+c*d(e)?[f]$');
  });
  it('takes the longest value first, so a value holding another goes whole', () => {
    const r = new Redactor([], ['abcdefgh', 'abcdefgh-and-more']);
    expect(r.text('x abcdefgh-and-more y abcdefgh')).toBe(`x ${REDACTED} y ${REDACTED}`);
  });
  it('runs before the patterns, so a pattern taking part of a value cannot leave the rest', () => {
    const r = new Redactor(['s3cr3t'], ['s3cr3t-TAIL-9876']);
    expect(r.text('v=s3cr3t-TAIL-9876')).toBe(`v=${REDACTED}`);
  });
  it(`leaves values shorter than ${MIN_SECRET_LENGTH} characters alone (they would hide ordinary output)`, () => {
    const r = new Redactor([], ['prod', '', 'a'.repeat(MIN_SECRET_LENGTH - 1)]);
    expect(r.text('deploy to prod: aaaaaaa')).toBe('deploy to prod: aaaaaaa');
    expect(new Redactor([], ['a'.repeat(MIN_SECRET_LENGTH)]).text(`x${'a'.repeat(MIN_SECRET_LENGTH)}`)).toBe(`x${REDACTED}`);
  });
  it('hides each line of a multi-line value, as output comes line by line', () => {
    const s = new Redactor([], ['first-line-of-it\r\nsecond-line-of-it\nshort']).stream();
    expect(['x first-line-of-it', 'second-line-of-it y', 'short'].map((l) => s.line(l))).toEqual([
      `x ${REDACTED}`,
      `${REDACTED} y`,
      'short',
    ]);
  });
  it('hides the start of a value at the end of a line that was cut short, and only on cut lines', () => {
    const r = new Redactor([], ['0123456789abcdef']);
    expect(r.cutLine('head 0123456')).toBe(`head ${REDACTED}`);
    expect(r.stream().line('head 0123456', true)).toBe(`head ${REDACTED}`);
    expect(r.stream().line('head 0123456')).toBe('head 0123456');
    expect(r.cutLine('head 01')).toBe('head 01');
  });
});
