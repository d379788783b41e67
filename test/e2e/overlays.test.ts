// Every overlay in a real terminal (tmux) at 80x24, 160x48 and 220x60: each captured row of its
// rectangle is exactly its border, its padding and its content, nothing of the panes underneath
// shows inside or around it, it scrolls when taller than the screen, and closing it leaves the panes as they were.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needBinary } from '../support/binaries.js';
import { tempDir } from '../support/sshd.js';
import { findOverlay, normalize, overlayProblems, tmuxOn, type Expected } from './screen-check.js';

const tmux = needBinary('tmux', 'tmux');
const bin = join(process.cwd(), 'bin', 'cutover');
const SIZES: [number, number][] = [
  [80, 24],
  [160, 48],
  [220, 60],
];
const UNDO_STEPS = 10;

// A gate that can open while a step elsewhere still waits (for the skip dialog), and a rollback
// level long enough to be taller than 24 rows whose first step runs long (for the abort dialog).
const RUNBOOK = `name: overlay check
phases:
  - id: first
    title: First phase
    steps:
      - { id: later, title: A person checks later, manual: true }
  - id: second
    title: Second phase
    steps:
      - { id: hello, title: Say hello, local: { command: [echo, hello] }, parallel: true }
    gate: { title: Carry on? }
rollback:
  levels:
    - id: undo
      title: Undo everything
      expected: 1m
      steps:
        - { id: u1, title: Wait a while, local: { command: [sleep, "120"] } }
${Array.from({ length: UNDO_STEPS - 1 }, (_, i) => `        - { id: u${i + 2}, title: Undo part ${i + 2}, local: { command: [echo, "${i + 2}"] } }`).join('\n')}
`;

/** The rollback confirmation's body: the plan, step by step. */
const PLAN = [
  `${UNDO_STEPS} steps, in order; expected 1m:`,
  '1. Wait a while',
  '   local: sleep 120',
  ...Array.from({ length: UNDO_STEPS - 1 }, (_, i) => [`${i + 2}. Undo part ${i + 2}`, `   local: echo ${i + 2}`]).flat(),
];

const DIALOGS: Record<string, Expected> = {
  quit: { head: ['Quit?', '', 'The journal is closed and its path printed.'], tail: ['q/y quit · esc/n stay (any other key too)'] },
  note: { head: ['Add a note to the timeline', '', '> █'], tail: ['enter add · esc cancel'] },
  filter: { head: ['Filter the timeline', '', 'Show lines containing (empty: all):', '> █'], tail: ['enter apply · esc cancel'] },
  skip: { head: ['Skip "A person checks later"', '', 'Why? (journaled with your name)', '> █'], tail: ['enter skip · esc cancel'] },
  // The gate's own lines (description, health) belong to the gate: only the frame is checked between title and keys.
  gate: { head: ['Carry on?', ''], tail: ['g GO · n NO-GO (reason required) · esc cancel'] },
  gateGo: { head: ['Carry on?: GO', ''], tail: ['> █', 'enter decide GO · esc cancel'] },
  rollback: { head: ['ROLL BACK: Undo everything', ''], tail: ['Y roll back now (capital Y) · esc/n/q cancel'], body: PLAN },
  abort: {
    head: [
      'Abort rollback undo?',
      '',
      'Running commands are cancelled (TERM, then the channel is closed).',
      'Steps not started yet will not run.',
    ],
    tail: ['y abort the rollback · esc/n keep it running (any other key too)'],
  },
  quitBusy: {
    head: [
      'Quit while something runs?',
      '',
      'Steps or a rollback are still running; quitting cancels them (TERM),',
      'records how each command ended, then ends the session.',
    ],
    tail: ['q quit anyway (cancels what runs) · esc/n stay (any other key too)'],
  },
};

/** 96 columns of CJK: wider than the note field at 80 columns, narrower than at 160. */
const NOTE_CJK = 'デプロイ後の確認：エラー率は正常、遅延も基準内。'.repeat(2);

describe.skipIf(!tmux)('tmux: overlays own their rectangle', () => {
  const dir = tempDir('cutover-overlays-');
  const term = tmuxOn(tmux!, `cutover-overlays-${process.pid}`);
  let size: [number, number] = SIZES[0];

  beforeAll(() => {
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'rb.yaml'), RUNBOOK);
    term.t(
      'new-session',
      '-d',
      '-s',
      's',
      '-x',
      String(size[0]),
      '-y',
      String(size[1]),
      '-c',
      dir,
      '-e',
      `XDG_STATE_HOME=${join(dir, 'state')}`,
      process.execPath,
      bin,
      'run',
      '-f',
      'rb.yaml',
      '--operator',
      'olga',
    );
  });
  afterAll(() => {
    term.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The screen once three captures in a row, 200 ms apart, agree (digits aside), with no overlay on it. */
  async function settled(): Promise<string[]> {
    const seen: string[] = [];
    await expect
      .poll(
        () => {
          const rows = term.rows();
          seen.push(findOverlay(rows) ? '' : rows.map(normalize).join('\n'));
          return seen.length >= 3 && seen.slice(-3).every((v) => v !== '' && v === seen.at(-1));
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(true);
    return term.rows();
  }

  /** Opens an overlay with `keys`, checks it against `want`, runs `more` while it is open, closes it with `close`, and checks the panes are back. */
  async function overlay(keys: string[], want: Expected, more?: () => Promise<void>, close = 'Escape') {
    const base = await settled();
    prior = base;
    term.keys(...keys);
    await expect.poll(() => overlayProblems(term.rows(), base, size[0], want), { timeout: 10_000 }).toEqual([]);
    await more?.();
    term.keys(close);
    await expect.poll(() => term.rows().map(normalize), { timeout: 10_000 }).toEqual(base.map(normalize));
  }

  async function resize(columns: number, rows: number) {
    size = [columns, rows];
    term.resize(columns, rows);
    await expect.poll(() => term.rows().length).toBe(rows);
    await expect.poll(() => term.rows()[0]).toMatch(/● REC .*overlay check/);
    await expect.poll(() => term.rows().at(-1)).toMatch(/q quit/);
  }

  it('help, quit, skip, gate, rollback confirmation, note and filter at each size; abort and quit while busy', async () => {
    await expect.poll(() => term.rows().join('\n'), { timeout: 20_000 }).toMatch(/▸ ○ A person checks later/);
    // Run the parallel step so that the gate can open.
    term.keys('Down');
    await expect.poll(() => term.rows().join('\n')).toMatch(/▸ ○ Say hello/);
    term.keys('Enter');
    await expect.poll(() => term.rows().join('\n')).toMatch(/✓ Say hello/);
    const helpBodies: string[][] = [];

    for (const [columns, rows] of SIZES) {
      await resize(columns, rows);
      term.keys('2', 'Up', 'Up', 'Up');
      await expect.poll(() => term.rows().join('\n')).toMatch(/▸ ○ A person checks later/);
      // The help: the whole of it, page by page when it is taller than the screen.
      await overlay(['?'], { head: [/^Keys \(any key closes\)/, ''], tail: [] }, async () => {
        helpBodies.push(focusSorted(await readScrolled(2, 0)));
      });
      await overlay(['q'], DIALOGS.quit);
      await overlay(['s'], DIALOGS.skip);
      term.keys('Down', 'Down');
      await expect.poll(() => term.rows().join('\n')).toMatch(/▸ ◆ Carry on\?/);
      await overlay(['Enter'], DIALOGS.gate, async () => {
        const base = findOverlay(term.rows());
        term.keys('g');
        await expect.poll(() => findOverlay(term.rows())?.content[0]?.trimEnd()).toBe('Carry on?: GO');
        // The overlay changed size in place: what it no longer covers is the panes again.
        expect(base).toBeDefined();
        await expect.poll(() => overlayProblems(term.rows(), prior, size[0], DIALOGS.gateGo)).toEqual([]);
      });
      term.keys('4');
      await expect.poll(() => term.rows().join('\n')).toMatch(/╔═ 4 Rollback/);
      await overlay(['R'], DIALOGS.rollback, async () => {
        if (rows >= 48) return void expect(findOverlay(term.rows())?.position).toBeUndefined();
        // Taller than the screen: j, End, k, Home, PgDn move through the plan; each window is checked against it.
        const page = findOverlay(term.rows())!.position!.last;
        for (const [key, first] of [
          ['j', 2],
          ['End', PLAN.length - page + 1],
          ['k', PLAN.length - page],
          ['Home', 1],
          ['PgDn', Math.min(page, PLAN.length - page + 1)],
        ] as [string, number][]) {
          term.keys(key);
          await expect.poll(() => findOverlay(term.rows())?.position?.first).toBe(first);
          expect(overlayProblems(term.rows(), prior, size[0], DIALOGS.rollback)).toEqual([]);
        }
      });
      term.keys('3');
      await expect.poll(() => term.rows().join('\n')).toMatch(/╔═ 3 Timeline/);
      await overlay(['n'], DIALOGS.note);
      // A note in Japanese: two columns a character in tmux; the field's window and the frame count columns.
      await overlay(['n'], DIALOGS.note, async () => {
        term.text(NOTE_CJK);
        const field = columns >= 160 ? `> ${NOTE_CJK}█` : /^> …[^█]*基準内。█$/;
        const want = { head: ['Add a note to the timeline', '', field], tail: DIALOGS.note.tail };
        await expect.poll(() => overlayProblems(term.rows(), prior, size[0], want), { timeout: 10_000 }).toEqual([]);
      });
      await overlay(['/'], DIALOGS.filter);
      term.keys('2');
    }

    // The help says the same at every size (lines cut to the narrower width aside).
    const [narrow, ...wide] = helpBodies;
    for (const w of wide) {
      expect(w).toHaveLength(narrow.length);
      expect(w.flatMap((l, i) => (cutTo(narrow[i], l) ? [] : [[narrow[i], l]]))).toEqual([]);
    }

    // A rollback that runs: abort asks, and so does quit.
    await resize(...SIZES[0]);
    term.keys('4', 'R');
    await expect.poll(() => findOverlay(term.rows())?.content[0]?.trimEnd()).toBe('ROLL BACK: Undo everything');
    term.keys('Y');
    await expect.poll(() => term.rows()[0], { timeout: 10_000 }).toMatch(/ROLLING BACK undo/);
    await expect.poll(() => term.rows().join('\n')).toMatch(/local\$ sleep 120/);
    for (const [columns, rows] of SIZES) {
      await resize(columns, rows);
      await overlay(['x'], DIALOGS.abort);
      await overlay(['q'], DIALOGS.quitBusy);
    }
    term.keys('x');
    await expect.poll(() => findOverlay(term.rows())?.content[0]?.trimEnd()).toBe('Abort rollback undo?');
    term.keys('y');
    await expect.poll(() => term.rows()[0], { timeout: 10_000 }).not.toMatch(/ROLLING BACK/);
  }, 240_000);

  /** The screen before the current overlay opened: `overlay` keeps it for checks made while it is open. */
  let prior: string[] = [];

  /** Reads a scrolling overlay's whole body: Home, then PgDn until the last line, checking every page's frame. */
  async function readScrolled(head: number, tail: number): Promise<string[]> {
    const now = findOverlay(term.rows())!;
    const body = (o = findOverlay(term.rows())!) => o.content.slice(head, o.content.length - tail).map((l) => l.trimEnd());
    if (!now.position) return body(now);
    term.keys('Home');
    await expect.poll(() => findOverlay(term.rows())?.position?.first).toBe(1);
    const all: string[] = [];
    for (;;) {
      const o = findOverlay(term.rows())!;
      body(o).forEach((l, i) => {
        all[o.position!.first - 1 + i] = l;
      });
      if (o.position!.last === o.position!.total) break;
      term.keys('PgDn');
      await expect.poll(() => findOverlay(term.rows())?.position?.first).toBeGreaterThan(o.position!.first);
    }
    expect(all).toHaveLength(now.position.total);
    return all;
  }
});

/** The focus keys follow the layout's order of panes (stacked or war-room): in one order, the help reads the same at every size. */
function focusSorted(lines: string[]): string[] {
  const focus = (l: string) => /^ {2}\d +focus /.test(l);
  const sorted = lines.filter(focus).sort();
  return lines.map((l) => (focus(l) ? sorted.shift()! : l));
}

/** `narrow` is `wide` as a narrower screen shows it: the same, or cut with an ellipsis. */
function cutTo(narrow: string, wide: string): boolean {
  if (narrow === wide) return true;
  return narrow.endsWith('…') && (wide.startsWith(narrow.slice(0, -1)) || wide.endsWith('…'));
}
