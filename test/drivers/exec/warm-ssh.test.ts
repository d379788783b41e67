// The warm way back against a real sshd: every rollback host is connected before anyone needs it,
// readiness per level names the host that is not ready and why, a dropped connection comes back,
// and a rollback step then runs on the connections already open (no new login).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import type { LevelReadiness, SessionEvent } from '../../../src/core/events.js';
import { needBinary } from '../../support/binaries.js';
import { freePort, startSshd, type Sshd } from '../../support/sshd.js';
import { hostsOf, makeDriver, testHome, until } from './helpers.js';

const sshdBin = needBinary('sshd', 'openssh-server');

const reports = (events: SessionEvent[]): LevelReadiness[][] => events.flatMap((e) => (e.type === 'rollback/readiness' ? [e.levels] : []));

describe.skipIf(!sshdBin)('warm rollback connections against a real sshd', () => {
  let sshd: Sshd;
  const h = testHome();
  beforeAll(async () => {
    sshd = await startSshd({ addresses: ['127.0.0.2', '127.0.0.3'], authorizedKeys: [h.key.pub] });
    writeFileSync(h.knownHosts, sshd.knownHosts());
  });
  afterAll(async () => {
    await sshd?.stop();
    rmSync(h.home, { recursive: true, force: true });
  });
  const accepted = () => (sshd.log().match(/Accepted publickey/g) ?? []).length;

  it('connects every level host once, says which host is not ready and why, and a rollback step logs in no more', async () => {
    const { driver, events } = makeDriver(h);
    const closed = await freePort();
    const [a, b] = hostsOf(sshd);
    const before = accepted();
    const stop = driver.warm([
      { level: 'traffic', hosts: [a, b] },
      { level: 'full', hosts: [a, { host: '127.0.0.4', port: closed }] },
    ]);
    await until(() => reports(events).length > 0, 'the first readiness report');
    const first = reports(events)[0];
    expect(first[0]).toEqual({ level: 'traffic', ready: 2, total: 2, down: [] });
    expect(first[1]).toMatchObject({ level: 'full', ready: 1, total: 2, down: [{ host: `127.0.0.4:${closed}` }] });
    expect(first[1].down[0].error).toMatch(/refused/);
    // 127.0.0.2 serves both levels on one connection.
    expect(driver.connections).toBe(2);
    await until(() => accepted() === before + 2, 'sshd to log two logins');
    const r = await driver.runRemote({ step: 'back', level: 'traffic', hosts: [a, b], command: 'true' });
    expect(r.ok).toBe(true);
    expect(accepted()).toBe(before + 2);
    stop();
    await driver.closeAll();
  });

  it('a connection that drops is reported and comes back by itself', async () => {
    const { driver, events } = makeDriver(h);
    const [a] = hostsOf(sshd);
    const label = `${a.host}:${a.port}`;
    const stop = driver.warm([{ level: 'traffic', hosts: [a] }], { minBackoffMs: 50, coalesceMs: 0 });
    await until(() => reports(events).some((r) => r[0].ready === 1), 'the host to be ready');
    const logins = accepted();
    // The command's parent is sshd's process for this connection: killing it drops the connection.
    await driver.runRemote({ step: 'cut', hosts: [a], command: 'kill -TERM $PPID' });
    await until(() => reports(events).some((r) => r[0].ready === 0), 'the drop to be reported');
    const lost = reports(events).find((r) => r[0].ready === 0)!;
    expect(lost[0].down).toEqual([{ host: label, error: 'connection lost; reconnecting' }]);
    const at = reports(events).indexOf(lost);
    await until(
      () =>
        reports(events)
          .slice(at)
          .some((r) => r[0].ready === 1),
      'the host to be ready again',
    );
    await until(() => accepted() === logins + 1, 'sshd to log the new login');
    expect(driver.connections).toBe(1);
    stop();
    await driver.closeAll();
  });
});
