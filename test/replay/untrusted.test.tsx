// A journal is untrusted: it may hold terminal escapes in any text, malformed lines, unknown
// events, values of the wrong type. Each event is validated; a bad line is reported with its line
// number and skipped; whatever passes is sanitized again before it reaches the screen; and no
// mutation of a journal makes the player or the panes throw.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { selectChecklist, selectHealth, selectRollback } from '../../src/core/index.js';
import { encodeLine, GENESIS_HASH } from '../../src/journal/index.js';
import { positionView, replayModel, progressView } from '../../src/replay/model.js';
import { LineReader, type ReaderLine } from '../../src/journal/line-reader.js';
import { openReplay, UnreadableJournal } from '../../src/replay/open.js';
import { progressLine } from '../../src/replay/progress.js';
import { App } from '../../src/ui/App.js';
import { checklistLines } from '../../src/ui/panes/checklist/rows.js';
import { healthLines } from '../../src/ui/panes/health/rows.js';
import { rollbackLines } from '../../src/ui/panes/rollback/rows.js';
import { TimelineCache, timelineLines } from '../../src/ui/panes/timeline/rows.js';
import { brailleSpark } from '../../src/ui/panes/health/chart.js';
import { statusLine } from '../../src/ui/status.js';
import { plain } from '../../src/ui/rows.js';
import { captureIo } from '../support/io.js';
import { renderSized } from '../support/ink.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-untrusted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURE = readFileSync('fixtures/sessions/checkout-rolled-back.jsonl', 'utf8').split('\n').filter(Boolean);
const first = () => {
  const { seq: _s, hash: _h, ...e } = JSON.parse(FIXTURE[0]);
  return e;
};
const ESC = /\x1b|\x07|\u202e|\u009b/;
/** SGR (colour, bold) is Ink's own styling; anything else escaping would come from the journal. */
const own = (frame: string) => frame.replace(/\x1b\[[0-9;]*m/g, '');

/** Chains objects (or raw strings, kept as they are) into journal text. */
function chain(items: (object | string)[]): string {
  let prev = GENESIS_HASH;
  return items
    .map((it, i) => {
      if (typeof it === 'string') return `${it}\n`;
      const l = encodeLine(i + 1, prev, it as { type: string; t: number });
      prev = l.hash;
      return `${l.text}\n`;
    })
    .join('');
}

function hostile(): { path: string; bad: [number, RegExp][] } {
  const start = first();
  const t = start.t as number;
  start.runbook.phases[0].title = 'Pre-deployment \x1b]0;pwned\x07validation';
  start.runbook.phases[0].steps[0].title = 'Backup \x1b[2J\x1b[Hverified';
  start.runbook.health[0].title = 'Error \x1b[31mrate\x1b[0m';
  const items: (object | string)[] = [
    start,
    'this is not json',
    '{"seq":3,"type":"note/added","t":1,"operator":"x","text":"no hash"}',
    { type: 'bogus/type', t },
    { type: 'note/added', t: t + 1000, operator: 'mallory', text: 'copy \x1b]52;c;ZWNobyBwd25lZA==\x07 this\nand \x1b[31mred\x1b[0m' },
    { type: 'step/started', t: t + 2000, phase: 'pre', step: 'green-health' },
    { type: 'step/failed', t: t + 3000, step: 'green-health', error: 'boom\x1b[2J\x1b[H\u009b2J' },
    {
      type: 'metric/failed',
      t: t + 4000,
      panel: 'p95_canary',
      kind: 'http',
      message: 'HTTP 500 \x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\',
    },
    { type: 'alerts/updated', t: t + 5000, alerts: [{ name: 'Evil\x1b[5mBlink', summary: '\u202eereh kcilc', startsAt: t, labels: {} }] },
    { type: 'command/started', t: t + 6000, cmd: '__proto__', step: 'green-health', host: 'h', command: 'x' },
    { type: 'command/started', t: t + 6000, cmd: 'c1', step: 'green-health', host: 'app-g1', command: 'cat \x1b[2J' },
    { type: 'command/output', t: t + 7000, cmd: 'c1', host: 'app-g1', stream: 'stdout', text: 'out \x1b[2J\x1b]0;title\x07\n' },
    '{"seq":13,"type":"note/added","t":1e999,"operator":"x","text":"infinite","hash":"00000000000000000000000000000000"}',
    { type: 'gate/decided', t: t + 8000, phase: 'pre', decision: 'maybe', operator: 'x' },
    { type: 'rollback/recommended', t: t + 9000, level: 'traffic', reason: 'because \x1b[2Jreasons' },
    { type: 'session/ended', t: t + 10_000, outcome: 'aborted', reason: 'bye \x07' },
  ];
  const path = join(dir, 'hostile.jsonl');
  writeFileSync(path, chain(items));
  return {
    path,
    bad: [
      [2, /^not valid JSON$/],
      [3, /^hash missing/],
      [4, /^unknown event type "bogus\/type"$/],
      [10, /^command\/started: cmd is a reserved name/],
      [13, /^note\/added: t expected number, received Infinity$/],
      [14, /^gate\/decided: decision /],
    ],
  };
}

describe('untrusted journals', () => {
  it('reports each bad line with its number, skips it, and shows the rest sanitized', async () => {
    const { path, bad } = hostile();
    const p = await openReplay(path, { paused: true });
    await p.index.run();
    expect(p.index.problems.map((x) => x.line)).toEqual(bad.map(([l]) => l));
    p.index.problems.forEach((x, i) => {
      expect(x.message).toMatch(bad[i][1]);
    });
    p.seekFraction(1);
    p.stepEvent(1);
    const r = renderSized(<App model={replayModel(p, { journalPath: path, color: true, onQuit: () => {} })} color />, 160, 40);
    try {
      // The chain breaks at line 2 (raw text slipped in): the warning line says so once the check is done.
      await expect.poll(() => r.lastFrame()).toMatch(/NOT INTACT/);
      const frame = own(r.lastFrame());
      expect(frame).not.toMatch(ESC);
      expect(frame).toMatch(
        /⚠ NOT INTACT {2}hostile\.jsonl:2: corrupt: not valid JSON .*6 lines not taken as fact: hostile\.jsonl:2: not valid JSON; skipped \(\+5 more\)/,
      );
      expect(frame).toMatch(/Pre-deployment validation/);
      expect(frame).toMatch(/Error rate/);
      expect(frame).toMatch(/boom/);
      expect(frame).toMatch(/EvilBlink/);
      expect(frame).toMatch(/note \(mallory\): copy {2}this and red/);
    } finally {
      r.unmount();
      p.index.close();
    }
  });

  it('cutover replay without a terminal: exit 0, clean lines, FILE:LINE for each skipped line', async () => {
    const { path, bad } = hostile();
    const io = captureIo();
    expect(await runCli(['replay', path], io)).toBe(0);
    expect(io.stdout()).not.toMatch(ESC);
    expect(io.stdout()).toMatch(/step green-health failed: boom/);
    const [head, chain, ...lines] = io
      .stderr()
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('note: '));
    expect(head).toBe(`cutover replay: ${path}: NOT INTACT ('cutover verify ${path}' tells more)`);
    expect(chain).toBe(`${path}:2: corrupt: not valid JSON`);
    expect(lines.map((l) => l.replace(/: .*/, ''))).toEqual(bad.map(([l]) => `${path}:${l}`));
    // The seq of a line that fails validation still counts: line 5 follows on from line 4, no gap.
    expect(io.stderr()).not.toMatch(/seq 5 where/);
    const rep = captureIo();
    expect(await runCli(['report', path], rep)).toBe(2);
    expect(rep.stdout()).not.toMatch(ESC);
  });

  it('a file that is not a journal is unreadable, with a reason', async () => {
    const junk = join(dir, 'junk.jsonl');
    writeFileSync(junk, '\x1b[2J garbage\n{"a":1}\n');
    await expect(openReplay(junk)).rejects.toThrow(UnreadableJournal);
    await expect(openReplay(junk)).rejects.toThrow(/junk\.jsonl: no event could be read \(line 1: not valid JSON\)/);
    const notes = join(dir, 'notes.jsonl');
    writeFileSync(notes, chain([{ type: 'note/added', t: 1, operator: 'x', text: 'y' }]));
    await expect(openReplay(notes)).rejects.toThrow(/not a cutover journal: it does not start with session\/started/);
    const io = captureIo();
    expect(await runCli(['replay', junk], io)).toBe(1);
    expect(io.stderr()).toMatch(/^cutover replay: .*junk\.jsonl: no event could be read/);
  });

  it('a problem message quoting a journal key (labels, hosts) reaches no terminal with its escapes', async () => {
    const start = first();
    start.runbook.hosts = { 'web\x1b]0;pwned\x07': 'not a list' };
    const t = start.t as number;
    const path = join(dir, 'escaping-keys.jsonl');
    const labels = { [`\x1b]52;c;ZWNobyBwd25lZA==\x07${'k'.repeat(5000)}`]: 5 };
    writeFileSync(
      path,
      chain([
        first(),
        { type: 'metric/sampled', t: t + 1, panel: 'x', at: t, series: [{ labels, value: 1 }] },
        start,
        { type: 'note/added', t: t + 2, operator: 'o', text: 'hi' },
      ]),
    );
    for (const cmd of ['replay', 'report']) {
      const io = captureIo();
      expect(await runCli([cmd, path], io)).toBe(cmd === 'replay' ? 0 : 2);
      expect(io.stderr()).toMatch(/:2: metric\/sampled: series[ .]0[ .]labels k+…; skipped$/m);
      expect(io.stderr()).toMatch(/:3: session\/started: runbook[ .]hosts\.web expected array/);
      expect(io.stderr()).not.toMatch(ESC);
      expect(
        Math.max(
          ...io
            .stderr()
            .split('\n')
            .map((l) => l.length),
        ),
      ).toBeLessThan(600);
    }
    const p = await openReplay(path, { paused: true });
    await p.index.run();
    p.index.close();
    expect(p.index.problems[0].message).not.toMatch(ESC);
    expect(plain(progressLine(progressView(p), 400, false))).not.toMatch(ESC);
  });

  it('a line too long for memory is skipped and reported, never concatenated; the lines after it still read', () => {
    const path = join(dir, 'long-lines.jsonl');
    const text = `a\n${'x'.repeat(100)}\nbb\n${'y'.repeat(50)}\ncc\n${'z'.repeat(70)}`;
    writeFileSync(path, text);
    const fd = openSync(path, 'r');
    try {
      const r = new LineReader(fd, text.length, 16, () => {}, 40);
      const got: Partial<ReaderLine>[] = [];
      const out: ReaderLine = { text: '', line: 0, start: 0, end: 0, terminated: false };
      while (r.next(out)) got.push({ text: out.text, line: out.line, start: out.start, end: out.end, tooLong: out.tooLong });
      expect(got).toEqual([
        { text: 'a', line: 1, start: 0, end: 2, tooLong: false },
        { text: '', line: 2, start: 2, end: 103, tooLong: true },
        { text: 'bb', line: 3, start: 103, end: 106, tooLong: false },
        { text: 'y'.repeat(50), line: 4, start: 106, end: 157, tooLong: false },
        { text: 'cc', line: 5, start: 157, end: 160, tooLong: false },
        { text: '', line: 6, start: 160, end: 230, tooLong: true },
      ]);
    } finally {
      closeSync(fd);
    }
  });

  it('cutover replay and report skip a line over 64 MB with its number, and go on', async () => {
    const start = first();
    const t = start.t as number;
    const path = join(dir, 'huge-line.jsonl');
    writeFileSync(
      path,
      chain([start, 'x'.repeat(65 * 1024 * 1024), { type: 'note/added', t: t + 1000, operator: 'o', text: 'after the huge line' }]),
    );
    const io = captureIo();
    expect(await runCli(['replay', path], io)).toBe(0);
    expect(io.stderr()).toMatch(new RegExp(`^${path}:2: longer than 64 MB; skipped$`, 'm'));
    expect(io.stdout()).toMatch(/after the huge line/);
    const rep = captureIo();
    expect(await runCli(['report', path, '--format', 'json'], rep)).toBe(2);
    expect(rep.stderr()).toMatch(new RegExp(`^${path}:2: longer than 64 MB; skipped$`, 'm'));
    expect(JSON.parse(rep.stdout()).notes).toMatchObject([{ text: 'after the huge line' }]);
  });

  it('no mutation of a journal makes the player or the panes throw (property)', async () => {
    const events = FIXTURE.map((l) => {
      const { seq: _s, hash: _h, ...e } = JSON.parse(l);
      return e as Record<string, unknown>;
    });
    const weird = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('__proto__', 'constructor', '\x1b]0;x\x07', 'NaN', '+Inf', -1, 1e308, '', 'x'.repeat(5000)),
    );
    const mutation = fc.record({
      line: fc.nat(),
      path: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      value: weird,
      kind: fc.constantFrom('set', 'delete', 'cut', 'garbage'),
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (ms) => {
        const items: (object | string)[] = structuredClone(events);
        for (const m of ms) mutate(items, m);
        const path = join(dir, `fuzz-${n++}.jsonl`);
        writeFileSync(path, chain(items));
        let p: Awaited<ReturnType<typeof openReplay>>;
        try {
          p = await openReplay(path, { paused: true });
        } catch (e) {
          expect(e).toBeInstanceOf(UnreadableJournal);
          return;
        }
        try {
          await p.index.run();
          for (let f = 0; f <= 10; f++) {
            p.seekFraction(f / 10);
            panes(p, path);
          }
        } finally {
          p.index.close();
        }
      }),
      { numRuns: 120 },
    );
  });
});

type Mutation = { line: number; path: number[]; value: unknown; kind: 'set' | 'delete' | 'cut' | 'garbage' };

function mutate(items: (object | string)[], m: Mutation): void {
  const i = m.line % items.length;
  // Not String(): a generated object may carry a "toString" that is not a function.
  if (m.kind === 'garbage') return void (items[i] = (typeof m.value === 'string' ? m.value : `${JSON.stringify(m.value)}`).slice(0, 200));
  if (typeof items[i] === 'string') return;
  if (m.kind === 'cut') return void (items[i] = JSON.stringify(items[i]).slice(0, m.path[0] % 80));
  let o = items[i] as Record<string, unknown>;
  for (let k = 0; k < m.path.length - 1; k++) {
    const keys = Object.keys(o);
    const next = o[keys[m.path[k] % Math.max(1, keys.length)]];
    if (typeof next !== 'object' || next === null) break;
    o = next as Record<string, unknown>;
  }
  const keys = Object.keys(o);
  if (!keys.length) return;
  const key = keys[m.path[m.path.length - 1] % keys.length];
  if (m.kind === 'delete') delete o[key];
  else o[key] = m.value;
}

/** Every pane's lines at the player's position, as the console would compute them. */
function panes(p: Awaited<ReturnType<typeof openReplay>>, path: string): void {
  const s = p.state;
  const now = p.now();
  const lines = [
    ...healthLines({
      rows: selectHealth(s, now),
      ...(s.alerts ? { alerts: s.alerts } : {}),
      width: 78,
      height: 20,
      cursor: 0,
      color: true,
      spark: brailleSpark,
      now,
    }),
    ...checklistLines({ phases: selectChecklist(s, now), cursor: 3, width: 78, height: 20, now, color: true }),
    ...rollbackLines({
      view: selectRollback(s, now),
      cursor: 0,
      hostCursor: 0,
      commands: s.commands,
      tails: p.tails,
      now,
      width: 78,
      height: 12,
      color: true,
      readOnly: true,
    }),
    // Both views: the story (its own words for samples, alerts, exits) and every event.
    ...[false, true].flatMap(
      (raw) =>
        timelineLines({
          events: positionView(p),
          cache: new TimelineCache(),
          raw,
          offset: 0,
          filter: '',
          width: 78,
          height: 12,
          color: true,
        }).lines,
    ),
    statusLine({ state: s, now, journalPath: path, connections: 0, readOnly: true, width: 160, color: true }),
    progressLine(progressView(p), 160, true),
  ];
  for (const l of lines) expect(plain(l)).not.toMatch(ESC);
}
