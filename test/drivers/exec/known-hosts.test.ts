import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fingerprint,
  hashName,
  hostMatches,
  knownHostsLine,
  knownHostsName,
  parseKnownHosts,
} from '../../../src/drivers/exec/known-hosts.js';
import { entriesFor, verifyHostKey, type HostKeyPolicy } from '../../../src/drivers/exec/host-keys.js';
import { matchPatternList } from '../../../src/drivers/exec/patterns.js';
import { needBinary } from '../../support/binaries.js';
import { makeKey, tempDir } from '../../support/sshd.js';

const keygen = needBinary('ssh-keygen', 'openssh-client');
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real key: its `type base64` text and blob (placeholders when ssh-keygen is missing and the suite skips). */
function key(name: string) {
  if (!keygen) return { text: '', blob: Buffer.alloc(0) };
  const { pub } = makeKey(dir, name);
  const [type, b64] = pub.split(' ');
  return { text: `${type} ${b64}`, blob: Buffer.from(b64, 'base64') };
}

describe.skipIf(!keygen)('known_hosts parsing and matching', () => {
  const a = key('a');
  const b = key('b');

  const cases: [string, string, string, boolean][] = [
    ['plain name', 'web1.internal', 'web1.internal', true],
    ['case-insensitive', 'Web1.Internal', 'web1.internal', true],
    ['other name', 'web1.internal', 'web2.internal', false],
    ['comma list', 'web1,10.0.0.1', '10.0.0.1', true],
    ['[host]:port', '[web1]:2222', '[web1]:2222', true],
    ['port must match', '[web1]:2222', '[web1]:2200', false],
    ['port 22 is the bare name', 'web1', knownHostsName('web1', 22), true],
    ['wildcard *', '*.internal', 'db.internal', true],
    ['wildcard ?', 'web?.internal', 'web7.internal', true],
    ['wildcard ? is one character', 'web?.internal', 'web17.internal', false],
    ['negation wins', '*.internal,!db.internal', 'db.internal', false],
    ['negation alone matches nothing', '!db.internal', 'web.internal', false],
    ['wildcard in a bracketed name', '[127.0.0.*]:2222', '[127.0.0.9]:2222', true],
  ];
  it.each(cases)('%s', (_, hosts, name, want) => {
    expect(hostMatches({ hosts }, name)).toBe(want);
  });

  it('reads markers, comments, blank and broken lines', () => {
    const text = [
      '# comment',
      '',
      `web1 ${a.text} comment here`,
      `@revoked * ${b.text}`,
      `@cert-authority *.internal ${a.text}`,
      '@bogus web1 ssh-ed25519 AAAA',
      'web2 ssh-ed25519 not-base64!',
      `web3 ssh-rsa ${a.text.split(' ')[1]}`, // declared type differs from the blob
    ].join('\n');
    const e = parseKnownHosts(text, 'kh');
    expect(e.map((x) => [x.marker ?? '', x.hosts, x.line])).toEqual([
      ['', 'web1', 3],
      ['revoked', '*', 4],
      ['cert-authority', '*.internal', 5],
    ]);
    expect(e[0].key.equals(a.blob)).toBe(true);
  });

  it('matches entries hashed by ssh-keygen -H, and only for the right name', () => {
    const f = join(dir, 'hashed');
    writeFileSync(f, `web1.internal ${a.text}\n[10.1.2.3]:2222 ${b.text}\n`);
    expect(spawnSync(keygen!, ['-H', '-f', f]).status).toBe(0);
    const e = parseKnownHosts(readFileSync(f, 'utf8'), f);
    expect(e.every((x) => x.hosts.startsWith('|1|'))).toBe(true);
    expect(e.filter((x) => hostMatches(x, 'web1.internal')).map((x) => x.key.equals(a.blob))).toEqual([true]);
    expect(e.filter((x) => hostMatches(x, '[10.1.2.3]:2222')).map((x) => x.key.equals(b.blob))).toEqual([true]);
    expect(e.some((x) => hostMatches(x, 'web2.internal'))).toBe(false);
  });

  it('hashes names the way ssh-keygen -F finds them', () => {
    const f = join(dir, 'ours-hashed');
    writeFileSync(f, `${knownHostsLine('[web9]:2200', a.blob, true)}\n`);
    const r = spawnSync(keygen!, ['-F', '[web9]:2200', '-f', f], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(hostMatches({ hosts: hashName('x', Buffer.alloc(20, 7)) }, 'x')).toBe(true);
  });

  it('prints fingerprints as ssh-keygen -l does', () => {
    const f = join(dir, 'fp.pub');
    writeFileSync(f, `${a.text}\n`);
    const r = spawnSync(keygen!, ['-l', '-E', 'sha256', '-f', f], { encoding: 'utf8' });
    expect(r.stdout.split(' ')[1]).toBe(fingerprint(a.blob));
  });

  it('matchPatternList handles spaces and empty items', () => {
    expect(matchPatternList('a, b,,c', 'b')).toBe(true);
  });
});

describe.skipIf(!keygen)('verifyHostKey', () => {
  const good = key('good');
  const evil = key('evil');
  const file = () => join(dir, `kh-${Math.random().toString(36).slice(2)}`);
  const policy = (userFile: string, strict: HostKeyPolicy['strict'] = 'yes'): HostKeyPolicy => ({
    userFiles: [userFile],
    globalFiles: [],
    strict,
  });

  it('accepts a known key', () => {
    const f = file();
    writeFileSync(f, `[h1]:2222 ${good.text}\n`);
    expect(verifyHostKey('[h1]:2222', good.blob, policy(f), 'h1:2222', 2222)).toEqual({ ok: true });
  });

  it('refuses a mismatch loudly with both fingerprints, even under accept-new', () => {
    const f = file();
    writeFileSync(f, `[h1]:2222 ${good.text}\n`);
    const v = verifyHostKey('[h1]:2222', evil.blob, policy(f, 'accept-new'), 'h1:2222', 2222);
    expect(v.ok).toBe(false);
    const reason = (v as { reason: string }).reason;
    expect(reason).toContain('HOST KEY MISMATCH');
    expect(reason).toContain(fingerprint(evil.blob));
    expect(reason).toContain(fingerprint(good.blob));
    expect(reason).toContain(`${f}:1`);
    expect(readFileSync(f, 'utf8')).toBe(`[h1]:2222 ${good.text}\n`);
  });

  it('refuses an unknown host, naming the fingerprint and both ways forward', () => {
    const f = file();
    const v = verifyHostKey('[h2]:2222', good.blob, policy(f), 'h2:2222', 2222);
    const reason = (v as { reason: string }).reason;
    expect(v.ok).toBe(false);
    expect(reason).toContain(fingerprint(good.blob));
    expect(reason).toContain(`ssh-keyscan -p 2222 h2 >> ${f}`);
    expect(reason).toContain('strictHostKeys: accept-new');
  });

  it('refuses a @revoked key even when it is also listed', () => {
    const f = file();
    writeFileSync(f, `h3 ${good.text}\n@revoked * ${good.text}\n`);
    const v = verifyHostKey('h3', good.blob, policy(f), 'h3', 22);
    expect(v.ok).toBe(false);
    expect((v as { reason: string }).reason).toMatch(/@revoked in .*:2/);
  });

  it('accept-new appends an OpenSSH line, creating the file 0600', () => {
    const f = join(dir, 'newdir', 'known_hosts');
    const v = verifyHostKey('[h4]:2200', good.blob, policy(f, 'accept-new'), 'h4:2200', 2200);
    expect(v).toMatchObject({ ok: true, added: expect.stringContaining(fingerprint(good.blob)) });
    expect(readFileSync(f, 'utf8')).toBe(`[h4]:2200 ${good.text}\n`);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(verifyHostKey('[h4]:2200', good.blob, policy(f), 'h4:2200', 2200)).toEqual({ ok: true });
  });

  it('accept-new does not take a new key type for a host it already knows', () => {
    const f = file();
    writeFileSync(
      f,
      `h5 ssh-rsa ${Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), Buffer.alloc(20, 1)]).toString('base64')}\n`,
    );
    const v = verifyHostKey('h5', good.blob, policy(f, 'accept-new'), 'h5', 22);
    expect(v.ok).toBe(false);
    expect((v as { reason: string }).reason).toContain('only has ssh-rsa');
  });

  it('reads the global file too, and never writes it', () => {
    const user = file();
    const global = file();
    writeFileSync(global, `h6 ${good.text}\n`);
    expect(verifyHostKey('h6', good.blob, { userFiles: [user], globalFiles: [global], strict: 'yes' }, 'h6', 22)).toEqual({ ok: true });
  });
});

describe.skipIf(!keygen)('entriesFor: the index gives what a scan of every line gives, in line order', () => {
  const a = key('ix-a');
  const b = key('ix-b');
  const c = key('ix-c');
  it('plain names, wildcards, negations and hashed names, with the first match by line', () => {
    const f = join(dir, 'kh-index');
    writeFileSync(
      f,
      [
        `web-1,WEB-2 ${a.text}`,
        `*.example.com ${b.text}`,
        `${hashName('web-1')} ${c.text}`,
        `!web-2,web-* ${b.text}`,
        `@revoked web-2 ${c.text}`,
        `@cert-authority web-1 ${c.text}`,
        `[web-3]:2222 ${a.text}`,
        '',
      ].join('\n'),
    );
    const policy: HostKeyPolicy = { userFiles: [f], globalFiles: [], strict: 'yes' };
    const lines = (name: string) => entriesFor(name, policy).map((e) => e.line);
    expect(lines('web-1')).toEqual([1, 3, 4]);
    expect(lines('Web-2')).toEqual([1, 5]);
    expect(lines('a.example.com')).toEqual([2]);
    expect(lines('[web-3]:2222')).toEqual([7]);
    expect(lines('web-3')).toEqual([4]);
    expect(lines('db-1')).toEqual([]);
    // What the index gives equals a scan of every usable line.
    const all = parseKnownHosts(readFileSync(f, 'utf8'), f).filter((e) => e.marker !== 'cert-authority');
    for (const name of ['web-1', 'web-2', 'web-9', 'a.example.com', '[web-3]:2222', 'db-1'])
      expect(lines(name)).toEqual(all.filter((e) => hostMatches(e, name)).map((e) => e.line));
  });
});
