// `${VAR}` in the runbook's ssh section and host entries is expanded when a host is resolved,
// from the session's environment; an unset one is an error naming the variable, never a
// connection as the literal text. The host's label stays as the runbook writes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SshConfigSet } from '../../../src/drivers/exec/ssh-config.js';
import { resolveTarget, type ResolveContext } from '../../../src/drivers/exec/target.js';
import { MissingEnvError } from '../../../src/runbook/env.js';

const home = mkdtempSync(join(tmpdir(), 'cutover-target-env-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** No ssh_config at all, so only the runbook decides. */
const ctx = (env: NodeJS.ProcessEnv): ResolveContext => ({
  config: new SshConfigSet([], home),
  home,
  env,
  localUser: 'me',
  globalKnownHosts: [],
});

describe('resolveTarget with ${VAR}', () => {
  it('expands ssh.user, identityFile, knownHosts and jump from the environment', () => {
    const env = { DEPLOY_USER: 'deploy', KEY: 'deploy_ed25519', KH: 'kh', BASTION: 'bastion.internal' };
    const t = resolveTarget(
      { host: 'app1' },
      { user: '${DEPLOY_USER}', identityFile: '~/.ssh/${KEY}', knownHosts: '~/${KH}', jump: 'ops@${BASTION}:2222' },
      ctx(env),
    );
    expect(t.user).toBe('deploy');
    expect(t.identityFiles).toEqual([`${home}/.ssh/deploy_ed25519`]);
    expect(t.hostKeys.userFiles).toEqual([`${home}/kh`]);
    expect(t.jump).toMatchObject({ hostname: 'bastion.internal', user: 'ops', port: 2222 });
  });

  it("expands a host entry's host, user, identityFile and jump; the label stays as written", () => {
    const env = { APP: 'app7.internal', U: 'ops', K: '/keys/app7', J: 'jump7.internal' };
    const t = resolveTarget({ host: '${APP}', port: 2200, user: '${U}', identityFile: '${K}', jump: '${J}' }, {}, ctx(env));
    expect(t).toMatchObject({ label: '${APP}:2200', hostname: 'app7.internal', port: 2200, user: 'ops', identityFiles: ['/keys/app7'] });
    expect(t.jump).toMatchObject({ hostname: 'jump7.internal' });
  });

  it.each([
    ['ssh.user', { host: 'app1' }, { user: '${NOPE_USER}' }, 'NOPE_USER', 'ssh.user'],
    ['ssh.identityFile', { host: 'app1' }, { identityFile: '~/.ssh/${NOPE_KEY}' }, 'NOPE_KEY', 'ssh.identityFile'],
    ['ssh.knownHosts', { host: 'app1' }, { knownHosts: '${NOPE_KH}' }, 'NOPE_KH', 'ssh.knownHosts'],
    ['ssh.jump', { host: 'app1' }, { jump: '${NOPE_JUMP}' }, 'NOPE_JUMP', 'ssh.jump'],
    ['a host', { host: '${NOPE_HOST}' }, {}, 'NOPE_HOST', 'host ${NOPE_HOST}'],
    ["a host's user", { host: 'app1', user: '${NOPE_USER}' }, {}, 'NOPE_USER', 'the user of host app1'],
    ["a host's identityFile", { host: 'app1', port: 22, identityFile: '${NOPE_KEY}' }, {}, 'NOPE_KEY', 'the identityFile of host app1:22'],
    ["a host's jump", { host: 'app1', jump: '${NOPE_JUMP}' }, {}, 'NOPE_JUMP', 'the jump of host app1'],
  ])('%s unset: MissingEnvError naming the variable', (_name, spec, ssh, variable, where) => {
    let err: unknown;
    try {
      resolveTarget(spec, ssh, ctx({}));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingEnvError);
    expect((err as Error).message).toBe(
      `${where} uses \${${variable}}, which is not set in the environment; export ${variable} before running cutover`,
    );
  });
});
