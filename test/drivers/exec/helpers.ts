/** Shared set-up for the exec tests: a temp HOME with a user key, and a driver that records events. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordingContext } from '../../../src/drivers/context.js';
import type { SessionEvent } from '../../../src/core/events.js';
import { ExecDriver, type ExecOptions } from '../../../src/drivers/exec/index.js';
import type { HostSpec } from '../../../src/runbook/schema.js';
import { makeKey, tempDir, type Sshd } from '../../support/sshd.js';

/** A temp home: ~/.ssh with a user key, an empty config and known_hosts paths. */
export interface TestHome {
  home: string;
  ssh: string;
  key: { path: string; pub: string };
  knownHosts: string;
  config: string;
}

/** Creates a temp home with an unencrypted ed25519 user key. */
export function testHome(): TestHome {
  const home = tempDir('cutover-home-');
  const ssh = join(home, '.ssh');
  mkdirSync(ssh, { mode: 0o700 });
  const key = makeKey(ssh, 'id_ed25519');
  const config = join(ssh, 'config');
  writeFileSync(config, '');
  return { home, ssh, key, knownHosts: join(ssh, 'known_hosts'), config };
}

/** Host specs for an sshd's addresses. */
export function hostsOf(sshd: Sshd, addresses = sshd.addresses): HostSpec[] {
  return addresses.map((a) => ({ host: a, port: sshd.port }));
}

/** A driver confined to `h` (no system ssh_config, no system known_hosts, no agent unless given). */
export function makeDriver(h: TestHome, o: Partial<ExecOptions> = {}): { driver: ExecDriver; events: SessionEvent[] } {
  const ctx = recordingContext();
  const driver = new ExecDriver({
    ctx,
    home: h.home,
    env: { HOME: h.home },
    sshConfigFiles: [{ path: h.config, includeBase: h.ssh }],
    globalKnownHosts: [],
    killGrace: 500,
    ...o,
    runbook: {
      ssh: { knownHosts: h.knownHosts, ...o.runbook?.ssh },
      ...(o.runbook?.hosts ? { hosts: o.runbook.hosts } : {}),
      ...(o.runbook?.redact ? { redact: o.runbook.redact } : {}),
    },
  });
  return { driver, events: ctx.events };
}

/** The text a host printed on a stream, from the recorded events. */
export function outputOf(events: SessionEvent[], host: string, stream: 'stdout' | 'stderr' = 'stdout'): string {
  return events.flatMap((e) => (e.type === 'command/output' && e.host === host && e.stream === stream ? [e.text] : [])).join('');
}

/** Polls `cond` until it holds; fails at the deadline. No fixed sleeps stand in for a condition. */
export async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
