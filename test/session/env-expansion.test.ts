// `${VAR}` in a local step's cwd and env, and in an http step's url, is read from the session's
// environment when the step runs; an unset one fails the step naming the variable, never a literal.
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadRunbookText } from '../../src/runbook/index.js';
import { execDriverExecutors } from '../../src/session/exec-adapter.js';
import { Session } from '../../src/session/session.js';
import { tempDir } from '../journal/helpers.js';

const yaml = `name: env at run time
phases:
  - id: one
    title: One
    steps:
      - { id: where, title: Where, local: { command: "echo dir=$(pwd) stage=$STAGE", shell: true, cwd: "\${WORKDIR}", env: { STAGE: "blue-\${PART}" } } }
      - { id: probe, title: Probe, http: { url: "http://127.0.0.1:\${PORT}/healthz", timeout: 2s } }
`;

async function run(env: NodeJS.ProcessEnv) {
  const rb = loadRunbookText('rb.yaml', yaml, null).runbook!;
  const session = new Session({
    runbook: rb,
    runbookPath: 'rb.yaml',
    runbookSha256: '',
    operator: 'a',
    mode: 'live',
    version: 't',
    executors: execDriverExecutors(rb, { env }),
    env,
    publishMs: 1,
  });
  await session.start();
  return session;
}

describe('${VAR} at run time', () => {
  it('expands cwd, env values and the url from the environment', async () => {
    const server = createServer((_q, res) => res.end('ok')).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const dir = tempDir();
    const session = await run({ ...process.env, WORKDIR: dir, PART: 'xyz', PORT: String((server.address() as AddressInfo).port) });
    session.act('where');
    await expect.poll(() => session.state.steps.where?.status).toBe('passed');
    const out = session.store.outputTails().lines(Object.keys(session.state.commands)[0])!.join('\n');
    expect(out).toBe(`dir=${dir} stage=blue-xyz`);
    session.act('probe');
    await expect.poll(() => session.state.steps.probe?.status).toBe('passed');
    await session.end();
    server.close();
  });

  it('an unset variable fails the step, naming it', async () => {
    const session = await run({ ...process.env, WORKDIR: tempDir() });
    session.act('where');
    await expect.poll(() => session.state.steps.where?.status).toBe('failed');
    expect(session.state.steps.where.error).toMatch(/local\.env\.STAGE uses \$\{PART\}, which is not set in the environment; export PART/);
    await session.end();
  });
});
