import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { needBinary } from '../../support/binaries.js';
import { startSshd, tempDir, type Sshd } from '../../support/sshd.js';
import { hostsOf, makeDriver, testHome } from './helpers.js';

const sshdBin = needBinary('sshd', 'openssh-server');
const ADDRS = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'];

describe.skipIf(!sshdBin)('batch and maxFail on real hosts', () => {
  let sshd: Sshd;
  const h = testHome();
  let marks: string;
  const made: string[] = [];
  beforeAll(async () => {
    sshd = await startSshd({ addresses: ADDRS, authorizedKeys: [h.key.pub] });
    writeFileSync(h.knownHosts, sshd.knownHosts());
  });
  afterAll(async () => {
    await sshd?.stop();
    for (const d of [h.home, ...made]) rmSync(d, { recursive: true, force: true });
  });

  /** A command that records, on the host itself, when it started and ended (ns), then sleeps or fails. */
  function marker(o: { sleep?: number; failOn?: string[] } = {}): string {
    made.push((marks = tempDir('cutover-marks-')));
    const fail = o.failOn?.length ? `case $3 in ${o.failOn.join('|')}) echo "start $(date +%s%N)" >> ${marks}/$3; exit 1;; esac; ` : '';
    return `set -- $SSH_CONNECTION; ${fail}echo "start $(date +%s%N)" >> ${marks}/$3; sleep ${o.sleep ?? 0.3}; echo "end $(date +%s%N)" >> ${marks}/$3`;
  }
  /** [start, end] in ns per address, from the markers the hosts wrote. */
  function spans(addrs: string[]): [number, number][] {
    return addrs.map((a) => {
      const t = readFileSync(join(marks, a), 'utf8');
      return [Number(/start (\d+)/.exec(t)![1]), Number(/end (\d+)/.exec(t)?.[1] ?? /start (\d+)/.exec(t)![1])];
    });
  }

  it('runs batch after batch (batch: 2): each batch starts after the previous one ended, and runs in parallel', async () => {
    const { driver } = makeDriver(h);
    const r = await driver.runRemote({ step: 'b', hosts: hostsOf(sshd), command: marker(), batch: { count: 2 } });
    await driver.closeAll();
    expect(r.ok).toBe(true);
    const s = spans(ADDRS);
    for (const b of [1, 2]) {
      const prevEnd = Math.max(s[2 * b - 2][1], s[2 * b - 1][1]);
      expect(Math.min(s[2 * b][0], s[2 * b + 1][0])).toBeGreaterThan(prevEnd);
    }
    for (const b of [0, 1, 2]) expect(Math.max(s[2 * b][0], s[2 * b + 1][0])).toBeLessThan(Math.min(s[2 * b][1], s[2 * b + 1][1]));
  });

  it('a percentage batch rounds down (50% of 6 hosts: two batches of 3)', async () => {
    const { driver } = makeDriver(h);
    await driver.runRemote({ step: 'p', hosts: hostsOf(sshd), command: marker(), batch: { percent: 50 } });
    await driver.closeAll();
    const s = spans(ADDRS);
    expect(Math.min(...s.slice(3).map((x) => x[0]))).toBeGreaterThan(Math.max(...s.slice(0, 3).map((x) => x[1])));
    expect(Math.max(...s.slice(0, 3).map((x) => x[0]))).toBeLessThan(Math.min(...s.slice(0, 3).map((x) => x[1])));
  });

  it('maxFail: 1 with batch: 1 tolerates one failure and stops at the second; later hosts never run', async () => {
    const { driver } = makeDriver(h);
    const r = await driver.runRemote({
      step: 'mf',
      hosts: hostsOf(sshd),
      command: marker({ sleep: 0, failOn: ['127.0.0.3', '127.0.0.4'] }),
      batch: { count: 1 },
      maxFail: { count: 1 },
    });
    await driver.closeAll();
    expect(r.tripped).toBe(true);
    expect(r.results.map((x) => x.status)).toEqual(['ok', 'failed', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(r.results[3].error).toBe('not run: maxFail was exceeded');
    expect(ADDRS.map((a) => existsSync(join(marks, a)))).toEqual([true, true, true, false, false, false]);
  });

  it('maxFail: 0 stops launching at the first failure while a running host finishes', async () => {
    const { driver } = makeDriver(h);
    const cmd = `set -- $SSH_CONNECTION; echo run >> ${tempDirFor()}/$3; [ $3 = 127.0.0.3 ] && exit 1; sleep 0.5`;
    const r = await driver.runRemote({ step: 'mf0', hosts: hostsOf(sshd), command: cmd, concurrency: 2, maxFail: { count: 0 } });
    await driver.closeAll();
    expect(r.results.map((x) => x.status)).toEqual(['ok', 'failed', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(ADDRS.map((a) => existsSync(join(marks, a)))).toEqual([true, true, false, false, false, false]);
  });

  it('maxFail: 20% of 6 tolerates one failure (rounded down)', async () => {
    const { driver } = makeDriver(h);
    const r = await driver.runRemote({
      step: 'mfp',
      hosts: hostsOf(sshd),
      command: marker({ sleep: 0, failOn: ['127.0.0.2', '127.0.0.3'] }),
      batch: { count: 1 },
      maxFail: { percent: 20 },
    });
    await driver.closeAll();
    expect(r.results.map((x) => x.status)).toEqual(['failed', 'failed', 'skipped', 'skipped', 'skipped', 'skipped']);
  });

  function tempDirFor(): string {
    made.push((marks = tempDir('cutover-marks-')));
    return marks;
  }
});
