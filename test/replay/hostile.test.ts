// Hostile journals: well-formed, correctly chained (the real writer's encodeLine), and impossible.
// Given a recorded session with forged events slipped in (a gate of a phase that does not exist, a
// rollback of an unknown level, a year-3000 time, a negative time, time going backwards, an event
// after the end, a seq gap, ...), when it is replayed and reported, then each forged line is a
// problem named FILE:LINE (never a fact), and the session's clock and duration are the real ones.
// And given a journal edited after the fact, the report says NOT INTACT at its top and exits 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { encodeLine, GENESIS_HASH } from '../../src/journal/index.js';
import { bannerLine } from '../../src/replay/banner.js';
import { bannerView } from '../../src/replay/model.js';
import { openReplay } from '../../src/replay/open.js';
import type { Report } from '../../src/report/types.js';
import { plain } from '../../src/ui/rows.js';
import { captureIo } from '../support/io.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SOURCE = readFileSync('fixtures/sessions/checkout-rolled-back.jsonl', 'utf8').split('\n').filter(Boolean);
type Ev = { type: string; t: number; [k: string]: unknown };
const EVENTS: Ev[] = SOURCE.map((l) => {
  const { seq: _s, hash: _h, ...e } = JSON.parse(l);
  return e as Ev;
});
const T0 = EVENTS[0].t;
/** The recorded session lasts 2m30s: the report's duration and replay's clock must say so, forged events or not. */
const LENGTH = EVENTS.at(-1)!.t - T0;

/** Leaves `skip` seq numbers out of the chain (lines gone), or chains `copy` again with an old seq (a line copied). */
interface Gap {
  skip: number;
  copy?: { seq: number; event: Ev };
}
const isGap = (x: Ev | Gap): x is Gap => typeof (x as Gap).skip === 'number' && !('type' in x);

/** Chains events as the journal writer does. */
function chain(items: (Ev | Gap)[]): string {
  let prev = GENESIS_HASH;
  let seq = 0;
  let out = '';
  for (const x of items) {
    if (isGap(x)) {
      seq += x.skip;
      if (x.copy) {
        const l = encodeLine(x.copy.seq, prev, x.copy.event);
        prev = l.hash;
        out += `${l.text}\n`;
      }
      continue;
    }
    const l = encodeLine(++seq, prev, x);
    prev = l.hash;
    out += `${l.text}\n`;
  }
  return out;
}

const note = (t: number, text: string): Ev => ({ type: 'note/added', t, operator: 'mallory', text });

/**
 * The recorded session with forgeries slipped in after line 41 (T+01:15), one more after the end;
 * the runbook copy gains a phase without a gate. Returns the path and, per forged line, what its problem says.
 */
function hostileJournal(): { path: string; forged: [number, RegExp][]; gapLine: number } {
  const start = structuredClone(EVENTS[0]) as Ev & { runbook: { phases: unknown[] } };
  start.runbook.phases.push({ id: 'post', title: 'Afterwards', steps: [] });
  const at = T0 + 76_000;
  const forgeries: [Ev, RegExp][] = [
    [
      { type: 'gate/decided', t: at, phase: 'nope', decision: 'go', operator: 'mallory' },
      /^gate\/decided for phase 'nope', which the journal's runbook does not have$/,
    ],
    [
      { type: 'gate/decided', t: at, phase: 'post', decision: 'go', operator: 'mallory' },
      /^gate\/decided for phase 'post', which has no gate/,
    ],
    [
      { type: 'rollback/confirmed', t: at, level: 'nuke', operator: 'mallory' },
      /^rollback\/confirmed for rollback level 'nuke', which the journal's runbook does not have$/,
    ],
    [{ type: 'rollback/finished', t: at, level: 'nuke', ok: true, ms: 1 }, /^rollback\/finished for rollback level 'nuke'/],
    [note(Date.UTC(3000, 0, 1), 'from the year 3000'), /^t 3000-01-01T00:00:00\.000Z is in the future/],
    [note(-1000, 'before 1970'), /^t 1969-12-31T23:59:59\.000Z is \d+h before the session started \(line 1\)$/],
    [note(T0 + 15_000, 'back in time'), /^t goes back 1m from the event before it$/],
    [
      note(T0 + 10 * 86_400_000, 'ten days later'),
      /^t 2026-12-01T22:00:00.000Z is 239h59m after the event before it; a session is never silent that long$/,
    ],
    [{ type: 'step/passed', t: at, step: 'ghost' }, /^step\/passed for step 'ghost', which the journal's runbook does not have$/],
    [{ type: 'step/started', t: at, phase: 'pre', step: 'shift' }, /^step\/started of step 'shift', which phase 'pre' does not have$/],
    [
      { type: 'command/output', t: at, cmd: 'ghost@h', host: 'h', stream: 'stdout', text: 'boo\n' },
      /^command\/output of command 'ghost@h', which no command\/started before it began$/,
    ],
    [
      { type: 'trigger/firing', t: at, trigger: 'fake', value: 1, check: '> 0', since: at },
      /^trigger\/firing for trigger 'fake', which the journal's runbook does not have$/,
    ],
    [{ type: 'metric/sampled', t: at, panel: 'nowhere', at, series: [] }, /^metric\/sampled for health panel 'nowhere'/],
    [{ ...EVENTS[0], t: at }, /^a second session\/started \(the session started at line 1\)/],
  ];
  const cut = 41;
  const gapAt = 44; // a sample, folded all the same, after two missing seq numbers
  const items: (Ev | Gap)[] = [start, ...EVENTS.slice(1, cut), ...forgeries.map(([e]) => e)];
  items.push(...EVENTS.slice(cut, gapAt - 1), { skip: 2 }, ...EVENTS.slice(gapAt - 1, -1));
  // The gate decision of line 29 again, with its own seq: a copied line (after the gap: the chain's verdict names the gap).
  items.push({ skip: 0, copy: { seq: 29, event: EVENTS[28] } }, EVENTS.at(-1)!);
  items.push(note(EVENTS.at(-1)!.t + 1000, 'after the end'));
  const path = join(dir, 'hostile.jsonl');
  writeFileSync(path, chain(items));
  const forged: [number, RegExp][] = forgeries.map(([, m], i) => [cut + 1 + i, m]);
  const lines = items.filter((x) => !isGap(x) || x.copy).length;
  forged.push([lines - 2, /^seq 29 comes again after seq \d+: a copied or moved line$/]);
  forged.push([lines, /^note\/added after session\/ended at line \d+$/]);
  return { path, forged, gapLine: gapAt + forgeries.length };
}

/** The lines not taken as fact, as `LINE: message; skipped` (or `; shown, flagged`), from `FILE:LINE: …` lines (the chain's own verdict ends otherwise). */
function problemLines(text: string, path: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${path}:`) && /; (skipped|shown, flagged)$/.test(l))
    .map((l) => l.slice(path.length + 1));
}

function expectForged(lines: string[], forged: [number, RegExp][], gapLine: number): void {
  for (const [line, message] of forged) {
    const found = lines.find((l) => l.startsWith(`${line}: `));
    expect(found, `line ${line}`).toBeDefined();
    expect(found!.slice(`${line}: `.length).replace(/; skipped$/, ''), `line ${line}`).toMatch(message);
    expect(found, `line ${line} is skipped`).toMatch(/; skipped$/);
  }
  expect(lines).toContain(
    `${gapLine}: seq ${gapLine + 2} where ${gapLine} was expected: 2 lines are missing before this one; shown, flagged`,
  );
  // Nothing else: the recorded session's own lines are all facts.
  expect(lines).toHaveLength(forged.length + 1);
}

describe('hostile journals, well-formed and chained, but impossible', () => {
  const { path, forged, gapLine } = hostileJournal();

  it('the chain breaks only where lines are missing: every forged line chains, only the judge of each event catches it', async () => {
    const io = captureIo();
    expect(await runCli(['verify', path], io)).toBe(1);
    expect(io.stdout() + io.stderr()).toMatch(new RegExp(`^${path}:${gapLine}: dropped: `));
  });

  it('report (markdown): each forged line at the top as FILE:LINE; the duration and the T+ clocks are the session’s', async () => {
    const io = captureIo();
    expect(await runCli(['report', path], io)).toBe(2);
    const md = io.stdout();
    const top = md.slice(0, md.indexOf('\n## '));
    expect(top).toMatch(new RegExp(`> \\*\\*${forged.length + 1} lines not taken as fact\\*\\*`));
    expectForged(problemLines(top.replace(/^> - /gm, ''), path), forged, gapLine);
    expect(top).toMatch(
      new RegExp(
        `^> \\*\\*NOT INTACT\\*\\*.*\n>\n> - ${path}:${gapLine}: dropped: seq ${gapLine}-${gapLine + 1} are missing before this line\n`,
        'm',
      ),
    );
    expect(problemLines(io.stderr(), path)).toEqual(problemLines(top.replace(/^> - /gm, ''), path));
    expect(md).toMatch(/^\| Duration \| 2m30s \|$/m);
    expect(md).toMatch(/^\| Ended \| 2026-11-21 22:02:30 UTC \(T\+02:30\) \|$/m);
    // Outside the warnings at the top, nothing forged: no clock before the start, no year 3000, no forger.
    const facts = md
      .split('\n')
      .filter((l) => !l.startsWith('>'))
      .join('\n');
    expect(facts).not.toMatch(/T-|3000-|mallory|nope|nuke|ghost|ten days later|back in time/);
    // The one gate decided is the recorded one.
    expect(md).toMatch(/## Gate decisions\n\n\| When .*\n\|.*\n\| T\+00:45 \| GATE 1: go \/ no-go \| GO \| alice \|[^\n]*\n\n/);
  });

  it('report (json): the integrity section lists them, and nothing forged is in the facts', async () => {
    const io = captureIo();
    expect(await runCli(['report', path, '--format', 'json'], io)).toBe(2);
    const r = JSON.parse(io.stdout()) as Report;
    expect(r.integrity).toMatchObject({ intact: false, problems: [expect.stringMatching(new RegExp(`^${path}:${gapLine}: dropped: `))] });
    expectForged(
      r.integrity.lines.map((l) => `${l.line}: ${l.message}${l.skipped ? '; skipped' : '; shown, flagged'}`),
      forged,
      gapLine,
    );
    for (const l of r.integrity.lines) expect(l.at).toBe(`${path}:${l.line}`);
    expect(r.summary.durationMs).toBe(LENGTH);
    expect(r.summary.skippedLines).toBe(forged.length);
    // Every recorded event is folded, the sample after the gap included; none of the forged ones.
    expect(r.summary.events).toBe(EVENTS.length);
    expect(r.gates.map((g) => g.phase)).toEqual(['pre']);
    expect(r.rollbacks.map((x) => x.level)).toEqual(['traffic']);
    expect(r.notes.map((n) => n.text)).not.toContain('from the year 3000');
    for (const l of r.timeline) {
      expect(l.elapsed).toMatch(/^T\+0[0-2]:\d\d$/);
      expect(l.t - T0).toBeGreaterThanOrEqual(0);
      expect(l.t - T0).toBeLessThanOrEqual(LENGTH);
    }
  });

  it('replay without a terminal: the problems on stderr before the story; the story’s clock stays within the session', async () => {
    const io = captureIo();
    expect(await runCli(['replay', path], io)).toBe(0);
    expectForged(problemLines(io.stderr(), path), forged, gapLine);
    const clocks = io
      .stdout()
      .trimEnd()
      .split('\n')
      .map((l) => l.split(' ')[1]);
    for (const c of clocks) expect(c).toMatch(/^T\+0[0-2]:\d\d$/);
    expect(clocks.at(-1)).toBe('T+02:30');
    expect(io.stdout()).not.toMatch(/mallory|nope|nuke|3000-|ghost|fake/);
  });

  it('replay console: the index skips them, the warning line names the first, the time axis is the session’s', async () => {
    const p = await openReplay(path, { paused: true });
    try {
      await p.index.run();
      await p.integrity?.done;
      expectForged(
        p.index.problems.map((x) => `${x.line}: ${x.message}; ${x.folded ? 'shown, flagged' : 'skipped'}`),
        forged,
        gapLine,
      );
      expect(p.end - p.start).toBe(LENGTH);
      p.seekFraction(1);
      expect(p.state.gates).not.toHaveProperty('nope');
      expect(p.state.rollback.run?.level).toBe('traffic');
      const banner = plain(bannerLine(bannerView(p, path), 400, false)!);
      expect(banner).toBe(
        ` ⚠ NOT INTACT  hostile.jsonl:${gapLine}: dropped: seq ${gapLine}-${gapLine + 1} are missing before this line  · ${forged.length + 1} lines not taken as fact: hostile.jsonl:${forged[0][0]}: gate/decided for phase 'nope', which the journal's runbook does not have; skipped (+${forged.length} more)`,
      );
    } finally {
      p.index.close();
    }
  });
});

describe('an edited journal', () => {
  const at = SOURCE.findIndex((l) => l.includes('"gate/decided"'));
  const line = at + 1;
  const lines = [...SOURCE];
  lines[at] = lines[at].replace('backup verified, green healthy', 'all fine, nothing to see');
  const path = join(dir, 'edited.jsonl');
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  const edited = `${path}:${line}: edited: seq ${line} does not match its hash: the line was changed after it was written`;

  it('report (markdown): NOT INTACT at the top, with the line; the report is still written; exit 2', async () => {
    const io = captureIo();
    expect(await runCli(['report', path], io)).toBe(2);
    const md = io.stdout().split('\n');
    expect(md[2]).toMatch(/^> \*\*NOT INTACT\*\*: this journal was changed after it was written/);
    expect(md[4]).toBe(`> - ${edited}`);
    // The journal has no head anchor beside it: journal/integrity.ts says so as a note, shown with the problems.
    expect(md[5]).toMatch(new RegExp(`^> - note: ${path}\\.head: no head anchor`));
    expect(io.stdout()).toMatch(/^\| Integrity \| \*\*NOT INTACT\*\* \(see the top\); note: .*no head anchor.* \|$/m);
    expect(io.stdout()).toMatch(/## Gate decisions/);
    expect(io.stderr()).toBe(`cutover report: ${path}: NOT INTACT ('cutover verify ${path}' tells more)\n${edited}\n`);
  });

  it('report (json): integrity first, not intact, with the line', async () => {
    const io = captureIo();
    expect(await runCli(['report', path, '--format', 'json'], io)).toBe(2);
    const r = JSON.parse(io.stdout()) as Report;
    expect(Object.keys(r).slice(0, 2)).toEqual(['journal', 'integrity']);
    expect(r.integrity).toMatchObject({ intact: false, problems: [edited], lines: [] });
  });

  it('an intact journal: exit 0, and the summary says intact', async () => {
    const io = captureIo();
    expect(await runCli(['report', 'fixtures/sessions/checkout-rolled-back.jsonl'], io)).toBe(0);
    expect(io.stdout()).toMatch(/^\| Integrity \| intact \(chain: 79 lines chained\); note: .*no head anchor.* \|$/m);
    expect(io.stdout()).not.toMatch(/NOT INTACT|not taken as fact/);
  });

  it('replay without a terminal: NOT INTACT and the line on stderr, exit 0', async () => {
    const io = captureIo();
    expect(await runCli(['replay', path], io)).toBe(0);
    expect(io.stderr()).toMatch(
      new RegExp(
        `^cutover replay: ${path}: NOT INTACT \\('cutover verify ${path}' tells more\\)\n${edited}\nnote: ${path}\\.head: no head anchor[^\n]*\n$`,
      ),
    );
  });

  it('replay console: the warning line says NOT INTACT once the check is done', async () => {
    const p = await openReplay(path, { paused: true });
    try {
      await p.integrity?.done;
      expect(plain(bannerLine(bannerView(p, path), 200, false)!)).toBe(
        ` ⚠ NOT INTACT  edited.jsonl:${line}: edited: seq ${line} does not match its hash: the line was changed after it was written `,
      );
    } finally {
      p.index.close();
    }
  });

  it('the built CLI (dist/) checks in a process of its own, and says the same', async () => {
    const r = spawnSync(process.execPath, ['bin/cutover', 'replay', path], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([`cutover replay: ${path}: NOT INTACT ('cutover verify ${path}' tells more)`, edited]);
    const { IntegrityWatch } = (await import(
      join(process.cwd(), 'dist/replay/integrity-watch.js')
    )) as typeof import('../../src/replay/integrity-watch.js');
    const w = new IntegrityWatch(path);
    await w.done;
    expect(w.where).toBe('process');
    expect(w.integrity?.problems).toEqual([edited]);
  });
});
