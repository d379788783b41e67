/**
 * A real Alertmanager (Debian's `prometheus-alertmanager`) for tests: 127.0.0.1 on a free port,
 * its own temporary config and storage, clustering off, ready when /-/ready answers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess, freePort } from './prometheus.js';

/** A running Alertmanager. */
export interface AlertmanagerServer {
  url: string;
  /** `host:port`, for Prometheus's alerting config. */
  target: string;
  stop(): Promise<void>;
}

/** Starts Alertmanager with a route to a receiver that sends nothing. */
export async function startAlertmanager(bin: string): Promise<AlertmanagerServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-am-'));
  const config = {
    route: { receiver: 'null', group_wait: '0s', group_interval: '1s', repeat_interval: '1h' },
    receivers: [{ name: 'null' }],
  };
  writeFileSync(join(dir, 'alertmanager.yml'), JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    // Empty: no gossip cluster, so nothing listens beyond the one port.
    '--cluster.listen-address=',
    '--log.level=warn',
  ];
  const proc = new ManagedProcess('alertmanager', bin, args, `${url}/-/ready`);
  await proc.start();
  return {
    url,
    target: `127.0.0.1:${port}`,
    async stop() {
      await proc.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
