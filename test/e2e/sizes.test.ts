// Small terminals and large ones, in a real terminal (tmux) running the demo: at 80x24, 100x30,
// 160x48 and 220x60 nothing wraps or overflows (status bar first, footer last, every pane's
// frame closed on every row); z zooms the focused pane to the whole screen and back; the
// stacked layout gives the checklist and the timeline rows enough to read.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needBinary } from '../support/binaries.js';
import { tempDir } from '../support/sshd.js';
import { tmuxOn } from './screen-check.js';

const tmux = needBinary('tmux', 'tmux');
const bin = join(process.cwd(), 'bin', 'cutover');
const SIZES: [number, number][] = [
  [80, 24],
  [100, 30],
  [160, 48],
  [220, 60],
];

/** Every way a captured screen is not a whole console frame of `columns` x `rows`. Empty when all is right. */
export function frameProblems(joined: string[], columns: number, rows: number): string[] {
  const p: string[] = [];
  // capture-pane -J joins a line the terminal wrapped: a wrapped line shows as one longer than the screen.
  if (joined.length !== rows) p.push(`${joined.length} lines, not ${rows}`);
  joined.forEach((l, y) => {
    if ([...l].length > columns) p.push(`line ${y} is ${[...l].length} wide: ${JSON.stringify(l)}`);
  });
  if (!/● REC/.test(joined[0] ?? '')) p.push(`first line is not the status bar: ${JSON.stringify(joined[0])}`);
  if (!/\? help/.test(joined.at(-1) ?? '')) p.push(`last line is not the footer: ${JSON.stringify(joined.at(-1))}`);
  joined.slice(1, -1).forEach((l, i) => {
    if ([...l].length !== columns || !/^[┌│└╔║╚]/.test(l) || !/[┐│┘╗║╝]$/.test(l))
      p.push(`row ${i + 1} is not framed: ${JSON.stringify(l)}`);
  });
  return p;
}

/** Rows inside a pane's frame, from its title's row to the bottom border under it. */
function innerRows(rows: string[], title: string): number {
  const top = rows.findIndex((r) => r.includes(title));
  const col = [...rows[top]].findIndex((ch) => ch === '┌' || ch === '╔');
  const bottom = rows.findIndex((r, y) => y > top && ['└', '╚'].includes([...r][col]));
  return bottom - top - 1;
}

describe.skipIf(!tmux)('tmux: the demo at every size', () => {
  const term = tmuxOn(tmux!, `cutover-sizes-${process.pid}`);
  const joined = () => term.t('capture-pane', '-p', '-J', '-t', 's').replace(/\n$/, '').split('\n');
  const state = tempDir('cutover-sizes-');

  beforeAll(() => {
    term.t(
      'new-session',
      '-d',
      '-s',
      's',
      '-x',
      '80',
      '-y',
      '24',
      '-e',
      `XDG_STATE_HOME=${state}`,
      process.execPath,
      bin,
      'demo',
      '--metrics',
      'simulated',
      '--operator',
      'zed',
    );
  });
  afterAll(() => {
    term.kill();
    rmSync(state, { recursive: true, force: true });
  });

  it('fits every size, zooms, and gives the stacked panes rows to read', async () => {
    await expect.poll(() => term.rows()[0], { timeout: 30_000 }).toMatch(/● REC/);
    // A first demo for this user: its hint is over the panes, and the first key only closes it.
    await expect.poll(() => term.rows().join('\n')).toMatch(/cutover demo: a deploy that goes wrong/);
    expect(frameProblems(joined(), 80, 24)).toEqual([]);
    // Every line of it whole at 80 columns: the ends of its longest lines are on screen.
    for (const end of [/what, where\)/, /every command and host\)/, /q quits, cleans up/]) expect(term.rows().join('\n')).toMatch(end);
    term.keys('Enter');
    await expect.poll(() => term.rows().join('\n')).not.toMatch(/a deploy that goes wrong/);
    expect(existsSync(join(state, 'cutover', 'demo-hint-read'))).toBe(true);
    await expect.poll(() => term.rows().join('\n'), { timeout: 20_000 }).toMatch(/▸ ○ Change request approved/);
    // Some of everything on screen: a ticked step, a command over SSH with its output.
    term.keys('Enter');
    await expect.poll(() => term.rows().join('\n'), { timeout: 10_000 }).toMatch(/✓ Change request approved/);
    // The tick moved the cursor to the backup; a move by hand lifts Enter's settle time, so Enter runs it at once.
    await expect.poll(() => term.rows().join('\n')).toMatch(/▸ ○ Database backup/);
    term.keys('Down', 'Up', 'Enter');
    await expect.poll(() => term.rows().join('\n'), { timeout: 10_000 }).toMatch(/[◐✓] Database backup/);

    for (const [columns, rows] of SIZES) {
      term.resize(columns, rows);
      await expect.poll(() => frameProblems(joined(), columns, rows), { timeout: 10_000 }).toEqual([]);
      // Zoomed: the focused pane from under the status bar to above the footer, and back.
      term.keys('z');
      await expect.poll(() => term.rows()[1]).toMatch(/^╔═ 2 Checklist \[zoomed: z restores\] ═+╗$/);
      expect(term.rows()[rows - 2]).toMatch(/^╚═+╝$/);
      expect(term.rows().join('\n')).not.toMatch(/1 Health|3 Timeline|4 Rollback/);
      expect(frameProblems(joined(), columns, rows)).toEqual([]);
      expect(term.rows().at(-1)).toMatch(/z unzoom/);
      term.keys('z');
      await expect.poll(() => term.rows().join('\n')).toMatch(/1 Health/);
      await expect.poll(() => frameProblems(joined(), columns, rows), { timeout: 10_000 }).toEqual([]);
      if (columns === 80) {
        // Stacked at 80x24: the checklist and the timeline each get several lines, not two or four.
        expect(innerRows(term.rows(), '2 Checklist')).toBeGreaterThanOrEqual(5);
        expect(innerRows(term.rows(), '3 Timeline')).toBeGreaterThanOrEqual(4);
        expect(innerRows(term.rows(), '1 Health')).toBeGreaterThanOrEqual(3);
      }
    }
  }, 120_000);
});
