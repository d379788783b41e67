// The console under load, on a real terminal, for console.bench.mjs (not a benchmark itself:
// run.mjs runs *.bench.mjs only). 200 hosts streaming 50 lines/s each and 20 panels updating
// every second, injected as the events the drivers would emit; from the event pipeline on it is
// the real console (journal, reducer, Ink at its 60 fps cap) drawing on this process's stdout, which the
// benchmark gives a pseudo-terminal. The benchmark types and reads the screen from outside.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { render } from 'ink';
import { Session } from '../../dist/session/session.js';
import { JournalWriter } from '../../dist/journal/writer.js';
import { App } from '../../dist/ui/App.js';
import { sessionModel } from '../../dist/ui/session-model.js';
import { RunbookSchema } from '../../dist/runbook/schema.js';
import { allowStyles, CONSOLE_RENDER } from '../../dist/ui/render-options.js';

allowStyles();

const HOSTS = 200;
const LINES_PER_SEC = 50;
const PANELS = 20;

const hosts = Array.from({ length: HOSTS }, (_, i) => `app-${String(i).padStart(3, '0')}.internal`);
const runbook = RunbookSchema.parse({
  name: 'console load bench',
  prometheus: { url: 'http://127.0.0.1:9', interval: '1s' },
  hosts: { fleet: hosts },
  health: Array.from({ length: PANELS }, (_, i) => ({
    id: `p${i}`,
    title: `Panel ${i}`,
    query: `up{job="j${i}"}`,
    unit: 'ratio',
    warn: '> 0.5',
    crit: '> 0.9',
  })),
  phases: [
    {
      id: 'roll',
      title: 'Roll out',
      steps: Array.from({ length: 30 }, (_, i) => ({ id: `s${i}`, title: `Step number ${i}`, manual: true })),
    },
  ],
  rollback: {
    levels: [
      {
        id: 'back',
        title: 'Back',
        expected: '2m',
        steps: [{ id: 'b1', title: 'Back on the fleet', run: { on: 'fleet', command: 'deployctl activate v1' } }],
      },
    ],
  },
});

const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-console-'));
const journal = await JournalWriter.create(join(dir, 'j.jsonl'));
const executors = {
  remote: async () => ({ ok: true, summary: '' }),
  local: async () => ({ ok: true, summary: '' }),
  connections: () => HOSTS,
  close: async () => {},
};
const session = new Session({
  runbook,
  runbookPath: 'bench.yaml',
  runbookSha256: '',
  operator: 'bench',
  mode: 'live',
  version: 'bench',
  journal,
  executors,
});
await session.start();
render(
  createElement(App, { model: sessionModel(session, { journalPath: join(dir, 'j.jsonl'), onQuit() {} }), color: true }),
  CONSOLE_RENDER,
);
process.on('SIGTERM', () => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});

// A rollback on 200 hosts, all streaming.
const now = () => Date.now();
await session.emit({ type: 'rollback/confirmed', t: now(), level: 'back', operator: 'bench' });
await session.emit({ type: 'rollback/step', t: now(), level: 'back', step: 'b1', status: 'started' });
for (const h of hosts)
  session.ctx.emit({
    type: 'command/started',
    t: now(),
    cmd: `b1#1@${h}`,
    step: 'b1',
    level: 'back',
    host: h,
    command: 'deployctl activate v1',
  });

// Output coalesced per host every 100 ms (as the exec driver does): 5 lines per event.
let seq = 0;
setInterval(() => {
  for (const h of hosts) {
    const lines = [];
    for (let i = 0; i < LINES_PER_SEC / 10; i++) lines.push(`[${h}] applying change ${seq++} of the release: ok`);
    session.ctx.emit({ type: 'command/output', t: now(), cmd: `b1#1@${h}`, host: h, stream: 'stdout', text: `${lines.join('\n')}\n` });
  }
}, 100);
setInterval(() => {
  for (let i = 0; i < PANELS; i++)
    session.ctx.emit({
      type: 'metric/sampled',
      t: now(),
      panel: `p${i}`,
      at: now(),
      series: [{ labels: { job: `j${i}` }, value: Math.random() }],
    });
}, 1000);
