import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { needBinary } from '../../support/binaries.js';
import { freePort, startSshd, type Sshd } from '../../support/sshd.js';
import { makeDriver, outputOf, testHome } from './helpers.js';

const sshdBin = needBinary('sshd', 'openssh-server');

// Both sshds log at DEBUG1, which records each forwarding request ("server_request_direct_tcpip
// ... target ADDR port N"): that is how the tests see that a connection went through a jump.
describe.skipIf(!sshdBin)('ProxyJump through real sshds', () => {
  let jump: Sshd; // 127.0.0.2
  let inner: Sshd; // 127.0.0.3 and 127.0.0.4
  const h = testHome();
  const forwards = (s: Sshd) =>
    [...s.log().matchAll(/server_request_direct_tcpip: originator \S+ port \d+, target (\S+) port (\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
  beforeAll(async () => {
    [jump, inner] = await Promise.all([
      startSshd({ addresses: ['127.0.0.2'], authorizedKeys: [h.key.pub], logLevel: 'DEBUG1' }),
      startSshd({ addresses: ['127.0.0.3', '127.0.0.4'], authorizedKeys: [h.key.pub], logLevel: 'DEBUG1' }),
    ]);
    writeFileSync(h.knownHosts, jump.knownHosts() + inner.knownHosts());
  });
  afterAll(async () => {
    await Promise.all([jump?.stop(), inner?.stop()]);
    rmSync(h.home, { recursive: true, force: true });
  });

  it('runs through the runbook jump, sharing one connection to it for all hosts', async () => {
    const { driver, events } = makeDriver(h, { runbook: { ssh: { jump: `127.0.0.2:${jump.port}` } } });
    const hosts = [
      { host: '127.0.0.3', port: inner.port },
      { host: '127.0.0.4', port: inner.port },
    ];
    const r = await driver.runRemote({ step: 'j', hosts, command: 'set -- $SSH_CONNECTION; echo "on $3"' });
    await driver.closeAll();
    expect(r.results).toMatchObject([{ status: 'ok' }, { status: 'ok' }]);
    expect(outputOf(events, `127.0.0.3:${inner.port}`)).toBe('on 127.0.0.3\n');
    expect(forwards(jump).sort()).toEqual([`127.0.0.3:${inner.port}`, `127.0.0.4:${inner.port}`]);
    expect(jump.log().match(/Accepted publickey/g)).toHaveLength(1);
  });

  it('follows ProxyJump in ~/.ssh/config recursively: tgt via mid via edge', async () => {
    writeFileSync(
      h.config,
      [
        'Host tgt',
        '  HostName 127.0.0.4',
        `  Port ${inner.port}`,
        '  ProxyJump mid',
        'Host mid',
        '  HostName 127.0.0.3',
        `  Port ${inner.port}`,
        '  ProxyJump edge',
        'Host edge',
        '  HostName 127.0.0.2',
        `  Port ${jump.port}`,
      ].join('\n'),
    );
    const before = { jump: forwards(jump).length, inner: forwards(inner).length };
    const { driver, events } = makeDriver(h);
    const r = await driver.runRemote({ step: 'chain', hosts: [{ host: 'tgt' }], command: 'set -- $SSH_CONNECTION; echo "on $3"' });
    await driver.closeAll();
    writeFileSync(h.config, '');
    expect(r.results[0]).toMatchObject({ host: 'tgt', status: 'ok' });
    expect(outputOf(events, 'tgt')).toBe('on 127.0.0.4\n');
    expect(forwards(jump).slice(before.jump)).toEqual([`127.0.0.3:${inner.port}`]);
    expect(forwards(inner).slice(before.inner)).toEqual([`127.0.0.4:${inner.port}`]);
  });

  it('names the jump host when it cannot be reached; nothing runs', async () => {
    const closed = await freePort();
    const { driver } = makeDriver(h, { runbook: { ssh: { jump: `127.0.0.2:${closed}` } } });
    const r = await driver.runRemote({ step: 'jx', hosts: [{ host: '127.0.0.3', port: inner.port }], command: 'true' });
    await driver.closeAll();
    expect(r.results[0].status).toBe('error');
    expect(r.results[0].error).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.3:${inner.port}: through jump host 127\\.0\\.0\\.2: 127\\.0\\.0\\.2: connection refused by 127\\.0\\.0\\.2:${closed}`,
      ),
    );
  });

  it('says when the jump host cannot reach the target', async () => {
    const closed = await freePort();
    const { driver } = makeDriver(h, { runbook: { ssh: { jump: `127.0.0.2:${jump.port}` } } });
    const r = await driver.runRemote({ step: 'jy', hosts: [{ host: '127.0.0.3', port: closed }], command: 'true' });
    await driver.closeAll();
    expect(r.results[0].error).toContain(`the jump host could not reach 127.0.0.3:${closed}`);
  });
});
