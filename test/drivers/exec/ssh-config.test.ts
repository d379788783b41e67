import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConfigSet } from '../../../src/drivers/exec/ssh-config.js';
import { parseJumps, resolveTarget, type ResolveContext, type Target } from '../../../src/drivers/exec/target.js';
import { tempDir } from '../../support/sshd.js';

const home = tempDir('cutover-cfg-');
const ssh = join(home, '.ssh');
mkdirSync(join(ssh, 'conf.d'), { recursive: true });
afterAll(() => rmSync(home, { recursive: true, force: true }));

function ctx(config: string, files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}): ResolveContext {
  writeFileSync(join(ssh, 'config'), config);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(ssh, name), text);
  return {
    config: new SshConfigSet([{ path: join(ssh, 'config'), includeBase: ssh }], home),
    home,
    env,
    localUser: 'me',
    globalKnownHosts: [],
  };
}

/** The route of a target as `user@host:port` hops, the target last. */
function route(t: Target): string[] {
  return [...(t.jump ? route(t.jump) : []), `${t.user}@${t.hostname}:${t.port}`];
}

describe('ssh_config lookups', () => {
  it('applies Host patterns, first value wins, ~ and tokens expanded', () => {
    const c = ctx(
      [
        'Host web*',
        '  HostName %h.internal',
        '  User deploy',
        '  Port 2222',
        '  IdentityFile ~/.ssh/web_%r',
        'Host *',
        '  User nobody',
        '  IdentityFile ~/.ssh/id_other',
      ].join('\n'),
    );
    const t = resolveTarget({ host: 'web1' }, {}, c);
    expect(route(t)).toEqual(['deploy@web1.internal:2222']);
    expect(t.identityFiles).toEqual([`${ssh}/web_deploy`, `${ssh}/id_other`]);
    expect(t.knownHostsName).toBe('[web1.internal]:2222');
    expect(t.label).toBe('web1');
  });

  it('follows Include relative to ~/.ssh, with globs, in order, and resumes the enclosing block', () => {
    const c = ctx(['Include conf.d/*.conf', 'Host db', '  Include extra', '  Port 2022'].join('\n'), {
      'conf.d/10-a.conf': 'Host a\n  HostName 10.0.0.1\n',
      'conf.d/20-b.conf': 'Host b\n  HostName 10.0.0.2\n',
      extra: 'User dba\nHost zzz\n  User other\n',
    });
    expect(resolveTarget({ host: 'a' }, {}, c).hostname).toBe('10.0.0.1');
    expect(resolveTarget({ host: 'b' }, {}, c).hostname).toBe('10.0.0.2');
    const db = resolveTarget({ host: 'db' }, {}, c);
    expect([db.user, db.port]).toEqual(['dba', 2022]);
  });

  it('follows Include with an absolute path and ~, and survives a self-include', () => {
    const c = ctx(`Include ${join(ssh, 'abs')}\nInclude ~/.ssh/config\n`, { abs: 'Host q\n  Port 2999\n' });
    expect(resolveTarget({ host: 'q' }, {}, c).port).toBe(2999);
  });

  it('never runs Match exec', () => {
    const marker = join(home, 'exec-ran');
    const c = ctx(`Match exec "touch ${marker}"\n  Port 1111\n`);
    expect(resolveTarget({ host: 'x' }, {}, c).port).toBe(22);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('precedence: host entry > runbook ssh > ~/.ssh/config > defaults', () => {
  const c = () => ctx('Host app\n  User cfguser\n  Port 2200\n  IdentityFile ~/.ssh/cfgkey\n  ConnectTimeout 3\n  ServerAliveInterval 7\n');
  it('uses ~/.ssh/config under nothing else', () => {
    const t = resolveTarget({ host: 'app' }, {}, c());
    expect([t.user, t.port, t.identityFiles, t.connectTimeout, t.keepaliveInterval]).toEqual([
      'cfguser',
      2200,
      [`${ssh}/cfgkey`],
      3000,
      7000,
    ]);
  });
  it('runbook ssh defaults beat the config', () => {
    const t = resolveTarget(
      { host: 'app' },
      { user: 'rb', port: 2300, identityFile: '~/.ssh/rbkey', connectTimeout: 5000, keepalive: 9000 },
      c(),
    );
    expect([t.user, t.port, t.identityFiles[0], t.connectTimeout, t.keepaliveInterval]).toEqual(['rb', 2300, `${ssh}/rbkey`, 5000, 9000]);
    expect(t.identityFiles).toContain(`${ssh}/cfgkey`); // still tried after
  });
  it('the host entry beats the runbook', () => {
    const t = resolveTarget(
      { host: 'app', user: 'hu', port: 2400, identityFile: '/k/host' },
      { user: 'rb', port: 2300, identityFile: '/k/rb' },
      c(),
    );
    expect([t.user, t.port, t.identityFiles.slice(0, 2), t.label]).toEqual(['hu', 2400, ['/k/host', '/k/rb'], 'app:2400']);
  });
  it('built-in defaults: local user, port 22, default identities, 10s connect timeout', () => {
    const t = resolveTarget({ host: 'other' }, {}, c());
    expect([t.user, t.port, t.connectTimeout, t.identityFiles.map((f) => f.split('/').pop())]).toEqual([
      'me',
      22,
      10_000,
      ['id_rsa', 'id_ecdsa', 'id_ed25519'],
    ]);
  });
  it('known_hosts: the runbook file alone, else the user files and the global ones', () => {
    expect(resolveTarget({ host: 'app' }, { knownHosts: '~/kh' }, c()).hostKeys).toMatchObject({
      userFiles: [`${home}/kh`],
      globalFiles: [],
      strict: 'yes',
    });
    const t = resolveTarget({ host: 'app' }, { strictHostKeys: 'accept-new' }, { ...c(), globalKnownHosts: ['/etc/g'] });
    expect(t.hostKeys).toMatchObject({
      userFiles: [`${ssh}/known_hosts`, `${ssh}/known_hosts2`],
      globalFiles: ['/etc/g'],
      strict: 'accept-new',
    });
  });
  it('agent socket from SSH_AUTH_SOCK, IdentityAgent overriding it or turning it off', () => {
    expect(resolveTarget({ host: 'app' }, {}, ctx('', {}, { SSH_AUTH_SOCK: '/a.sock' })).agent).toBe('/a.sock');
    expect(resolveTarget({ host: 'app' }, {}, ctx('IdentityAgent ~/b.sock\n', {}, { SSH_AUTH_SOCK: '/a.sock' })).agent).toBe(
      `${home}/b.sock`,
    );
    expect(resolveTarget({ host: 'app' }, {}, ctx('IdentityAgent none\n', {}, { SSH_AUTH_SOCK: '/a.sock' })).agent).toBeUndefined();
  });
});

describe('ProxyJump', () => {
  const cfg = [
    'Host bastion',
    '  HostName 10.0.0.1',
    '  User jumper',
    'Host inner',
    '  HostName 10.1.0.1',
    '  ProxyJump bastion',
    'Host deep',
    '  HostName 10.2.0.1',
    '  ProxyJump inner',
    'Host loop1',
    '  ProxyJump loop2',
    'Host loop2',
    '  ProxyJump loop1',
  ].join('\n');

  it('resolves a config ProxyJump recursively, each hop with its own config', () => {
    const t = resolveTarget({ host: 'deep' }, { user: 'deploy' }, ctx(cfg));
    expect(route(t)).toEqual(['jumper@10.0.0.1:22', 'me@10.1.0.1:22', 'deploy@10.2.0.1:22']);
    expect(t.key).toBe('deploy@10.2.0.1:22 via me@10.1.0.1:22 via jumper@10.0.0.1:22');
  });

  it('a runbook jump list goes in order; the first hop still uses its own ProxyJump', () => {
    const t = resolveTarget({ host: 'app' }, { jump: 'ops@inner:2022,bastion' }, ctx(cfg));
    expect(route(t)).toEqual(['jumper@10.0.0.1:22', 'ops@10.1.0.1:2022', 'jumper@10.0.0.1:22', 'me@app:22']);
  });

  it('the host entry overrides the runbook jump, and none turns it off', () => {
    expect(route(resolveTarget({ host: 'app', jump: 'bastion' }, { jump: 'inner' }, ctx(cfg)))).toEqual([
      'jumper@10.0.0.1:22',
      'me@app:22',
    ]);
    expect(route(resolveTarget({ host: 'inner', jump: 'none' }, {}, ctx(cfg)))).toEqual(['me@10.1.0.1:22']);
  });

  it('refuses a loop with a message that shows it', () => {
    expect(() => resolveTarget({ host: 'loop1' }, {}, ctx(cfg))).toThrow(/loop.*loop1 -> loop2 -> loop1/);
  });

  it('parses jump specs', () => {
    expect(parseJumps('a,u@b:2,ssh://v@c:3,[::1]:4', 'h')).toEqual([
      { host: 'a' },
      { host: 'b', user: 'u', port: 2 },
      { host: 'c', user: 'v', port: 3 },
      { host: '::1', port: 4 },
    ]);
    expect(() => parseJumps('a b', 'h')).toThrow(/cannot read ProxyJump/);
  });
});
