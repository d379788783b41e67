import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint } from '../../../src/drivers/exec/known-hosts.js';
import { ExecDriver } from '../../../src/drivers/exec/index.js';
import { recordingContext } from '../../../src/drivers/context.js';
import { needBinary } from '../../support/binaries.js';
import { startSshd, tempDir, type Sshd } from '../../support/sshd.js';
import { makeDriver, testHome } from './helpers.js';

const sshdBin = needBinary('sshd', 'openssh-server');
const keyscan = needBinary('ssh-keyscan', 'openssh-client');

describe.skipIf(!sshdBin || !keyscan)('host keys against real sshds', () => {
  let one: Sshd; // 127.0.0.2 and 127.0.0.3
  let two: Sshd; // 127.0.0.4, another host key
  const h = testHome();
  const dir = tempDir('cutover-hk-');
  const fp = (s: Sshd) => fingerprint(Buffer.from(s.hostKey.split(' ')[1], 'base64'));
  beforeAll(async () => {
    [one, two] = await Promise.all([
      startSshd({ addresses: ['127.0.0.2', '127.0.0.3'], authorizedKeys: [h.key.pub] }),
      startSshd({ addresses: ['127.0.0.4'], authorizedKeys: [h.key.pub] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(h.home, { recursive: true, force: true });
  });

  /** Runs a command that would create `file` on the host; returns the host's result. */
  async function touch(host: string, port: number, file: string, ssh: { knownHosts?: string; strictHostKeys?: 'yes' | 'accept-new' } = {}) {
    const { driver } = makeDriver(h, { runbook: { ssh } });
    const r = await driver.runRemote({ step: 'hk', hosts: [{ host, port }], command: `touch ${file}` });
    await driver.closeAll();
    return r.results[0];
  }

  it('refuses an unknown host, naming its fingerprint and both ways forward; nothing runs', async () => {
    const kh = join(dir, 'empty');
    writeFileSync(kh, '');
    const side = join(dir, 'unknown-ran');
    const r = await touch('127.0.0.2', one.port, side, { knownHosts: kh });
    expect(r.status).toBe('error');
    expect(r.error).toContain(`unknown host key ${fp(one)}`);
    expect(r.error).toContain(`ssh-keyscan -p ${one.port} 127.0.0.2 >> ${kh}`);
    expect(r.error).toContain('strictHostKeys: accept-new');
    expect(existsSync(side)).toBe(false);
    expect(readFileSync(kh, 'utf8')).toBe('');
  });

  it('refuses a mismatched key loudly with both fingerprints, even with accept-new; nothing runs', async () => {
    const kh = join(dir, 'mismatch');
    writeFileSync(kh, `[127.0.0.4]:${two.port} ${one.hostKey}\n`); // what the host should have
    const side = join(dir, 'mismatch-ran');
    const r = await touch('127.0.0.4', two.port, side, { knownHosts: kh, strictHostKeys: 'accept-new' });
    expect(r.status).toBe('error');
    expect(r.error).toContain('HOST KEY MISMATCH');
    expect(r.error).toContain(fp(two));
    expect(r.error).toContain(fp(one));
    expect(existsSync(side)).toBe(false);
    expect(two.log()).not.toMatch(/Accepted publickey/);
  });

  it('refuses a @revoked key; nothing runs', async () => {
    const kh = join(dir, 'revoked');
    writeFileSync(kh, `[127.0.0.2]:${one.port} ${one.hostKey}\n@revoked * ${one.hostKey}\n`);
    const side = join(dir, 'revoked-ran');
    const r = await touch('127.0.0.2', one.port, side, { knownHosts: kh });
    expect(r.error).toMatch(/marked @revoked/);
    expect(existsSync(side)).toBe(false);
  });

  it('accepts entries hashed by ssh-keygen -H', async () => {
    const kh = join(dir, 'hashed');
    writeFileSync(kh, one.knownHosts());
    expect(spawnSync('ssh-keygen', ['-H', '-f', kh]).status).toBe(0);
    expect(readFileSync(kh, 'utf8')).not.toContain('127.0.0.2');
    const side = join(dir, 'hashed-ran');
    expect((await touch('127.0.0.3', one.port, side, { knownHosts: kh })).status).toBe('ok');
    expect(existsSync(side)).toBe(true);
  });

  it('accepts what ssh-keyscan prints, the way forward the refusal suggests', async () => {
    const kh = join(dir, 'scanned');
    const scan = spawnSync(keyscan!, ['-p', String(one.port), '-t', 'ed25519', '127.0.0.2'], { encoding: 'utf8' });
    writeFileSync(kh, scan.stdout);
    expect((await touch('127.0.0.2', one.port, join(dir, 'scan-ran'), { knownHosts: kh })).status).toBe('ok');
  });

  it('accept-new adds the key as OpenSSH does (0600 file, [host]:port line), then trusts it', async () => {
    const kh = join(dir, 'sub', 'known_hosts');
    const notices: string[] = [];
    const { driver } = makeDriver(h, {
      runbook: { ssh: { knownHosts: kh, strictHostKeys: 'accept-new' } },
      onNotice: (m) => notices.push(m),
    });
    const r = await driver.runRemote({ step: 'an', hosts: [{ host: '127.0.0.3', port: one.port }], command: 'true' });
    await driver.closeAll();
    expect(r.ok).toBe(true);
    expect(readFileSync(kh, 'utf8')).toBe(`[127.0.0.3]:${one.port} ${one.hostKey}\n`);
    expect(statSync(kh).mode & 0o777).toBe(0o600);
    expect(notices).toEqual([`127.0.0.3:${one.port}: added ssh-ed25519 key ${fp(one)} to ${kh}`]);
    expect(spawnSync('ssh-keygen', ['-F', `[127.0.0.3]:${one.port}`, '-f', kh]).status).toBe(0);
    expect((await touch('127.0.0.3', one.port, join(dir, 'after-accept'), { knownHosts: kh })).status).toBe('ok');
  });

  it('without a runbook knownHosts, reads ~/.ssh/known_hosts', async () => {
    writeFileSync(h.knownHosts, one.knownHosts());
    const driver = new ExecDriver({
      ctx: recordingContext(),
      home: h.home,
      env: { HOME: h.home },
      sshConfigFiles: [],
      globalKnownHosts: [],
    });
    const r = await driver.runRemote({ step: 'home', hosts: [{ host: '127.0.0.2', port: one.port }], command: 'true' });
    await driver.closeAll();
    expect(r.ok).toBe(true);
  });
});
