/**
 * The runtime the tests (and development, and CI) run on: the Node.js pinned in .ci/node, and
 * ssh2's native crypto binding built for it. ssh2 falls back to JavaScript without a word when
 * the binding does not load (built against another Node's headers, or its install script not
 * allowed to run), so this asks ssh2 itself, through its debug output, on a real sshd.
 */
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needBinary } from './support/binaries.js';
import { makeKey, startSshd, tempDir, type Sshd } from './support/sshd.js';

const { Client } = ssh2;
const sshdBin = needBinary('sshd', 'openssh-server');
const major = Number(process.versions.node.split('.')[0]);

describe('the runtime', () => {
  it('is Node.js 24 under CI and never older than the engines floor, 22', () => {
    expect(major).toBeGreaterThanOrEqual(22);
    if (process.env.CI) expect(process.versions.node).toMatch(/^24\./);
  });
});

describe.skipIf(!sshdBin)("ssh2's crypto binding", () => {
  let sshd: Sshd;
  beforeAll(async () => {
    const key = makeKey(tempDir(), 'id');
    sshd = await startSshd({ addresses: ['127.0.0.1'], authorizedKeys: [key.pub] });
  });
  afterAll(() => sshd?.stop());

  it('loads under the runtime the tests use (ssh2 says so when it opens a connection)', async () => {
    const said: string[] = [];
    const c = new Client();
    const opened = new Promise<void>((resolve) => {
      c.on('error', () => resolve());
      c.on('close', () => resolve());
    });
    c.connect({
      host: '127.0.0.1',
      port: sshd.port,
      username: 'nobody',
      readyTimeout: 5000,
      hostVerifier: () => false,
      debug: (line: string) => {
        said.push(line);
        // Said while ssh2 builds its protocol state: end the connection once that is done.
        if (/crypto binding/.test(line)) setImmediate(() => c.end());
      },
    });
    await opened;
    expect(said.find((l) => /crypto binding/.test(l))).toBe('Custom crypto binding available');
  });
});
