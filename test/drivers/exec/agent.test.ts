import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordingContext } from '../../../src/drivers/context.js';
import { ExecDriver } from '../../../src/drivers/exec/index.js';
import { needBinary } from '../../support/binaries.js';
import { makeKey, startAgent, startSshd, tempDir, type Agent, type Sshd } from '../../support/sshd.js';

const sshdBin = needBinary('sshd', 'openssh-server');
const agentBin = needBinary('ssh-agent', 'openssh-client');

describe.skipIf(!sshdBin || !agentBin)('authentication: ssh-agent and encrypted keys', () => {
  let sshd: Sshd;
  let agent: Agent;
  let emptyAgent: Agent;
  const home = tempDir('cutover-agent-');
  const ssh = join(home, '.ssh');
  mkdirSync(ssh);
  const enc = makeKey(ssh, 'deploy_enc', 'correct horse');
  const other = makeKey(home, 'unrelated');
  const kh = join(home, 'known_hosts');

  beforeAll(async () => {
    sshd = await startSshd({ addresses: ['127.0.0.2'], authorizedKeys: [enc.pub] });
    writeFileSync(kh, sshd.knownHosts());
    mkdirSync(join(home, 'a1'));
    mkdirSync(join(home, 'a2'));
    agent = await startAgent(join(home, 'a1'));
    agent.add(enc.path, 'correct horse');
    emptyAgent = await startAgent(join(home, 'a2'));
  });
  afterAll(async () => {
    await Promise.all([sshd?.stop(), agent?.stop(), emptyAgent?.stop()]);
    rmSync(home, { recursive: true, force: true });
  });

  function driver(env: NodeJS.ProcessEnv, identityFile?: string) {
    const ctx = recordingContext();
    return new ExecDriver({
      ctx,
      home,
      env: { HOME: home, ...env },
      sshConfigFiles: [],
      globalKnownHosts: [],
      runbook: { ssh: { knownHosts: kh, ...(identityFile ? { identityFile } : {}) } },
    });
  }
  async function run(d: ExecDriver, side: string) {
    const r = await d.runRemote({ step: 'a', hosts: [{ host: '127.0.0.2', port: sshd.port }], command: `touch ${side}` });
    await d.closeAll();
    return r.results[0];
  }

  it('logs in with the key held by a real ssh-agent (its file is encrypted)', async () => {
    const side = join(home, 'agent-ran');
    const r = await run(driver({ SSH_AUTH_SOCK: agent.sock }, enc.path), side);
    expect(r).toMatchObject({ status: 'ok' });
    expect(existsSync(side)).toBe(true);
  });

  it('an encrypted key and no agent: a clear error that says to ssh-add it; nothing runs', async () => {
    const side = join(home, 'noagent-ran');
    const r = await run(driver({}, enc.path), side);
    expect(r.status).toBe('error');
    expect(r.error).toBe(
      `127.0.0.2:${sshd.port}: the key ${enc.path} is encrypted and no ssh-agent is running (SSH_AUTH_SOCK is not set); cutover cannot ask for passphrases. ` +
        `Add it to the agent with \`ssh-add ${enc.path}\` (after \`eval "$(ssh-agent)"\` if none runs), then run cutover from that shell`,
    );
    expect(existsSync(side)).toBe(false);
  });

  it('an encrypted key and an agent without it: the refusal says to ssh-add it', async () => {
    const side = join(home, 'empty-ran');
    const r = await run(driver({ SSH_AUTH_SOCK: emptyAgent.sock }, enc.path), side);
    expect(r.status).toBe('error');
    expect(r.error).toContain('refused every key (tried ssh-agent)');
    expect(r.error).toContain(`ssh-add ${enc.path}`);
    expect(existsSync(side)).toBe(false);
  });

  it('a key the host does not accept: says which keys were tried and where the public key goes', async () => {
    const r = await run(driver({}, other.path), join(home, 'other-ran'));
    expect(r.error).toContain(`refused every key (tried ${other.path}`);
    expect(r.error).toContain('authorized_keys');
  });
});
