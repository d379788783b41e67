// Given the console on a small screen, when the operator zooms a pane or scrolls the help, then the frame shows it.
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { liveModel } from './live.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());
const frame = () => r!.lastFrame();
const lines = () => frame().split('\n');

describe('zoom', () => {
  it('z gives the focused pane the whole screen and back; Tab moves the zoom to the next pane', async () => {
    const { model } = await liveModel();
    r = renderSized(<App model={model} color={false} />, 80, 24);
    await expect.poll(frame).toMatch(/╔═ 2 Checklist ═/);
    expect(frame()).toMatch(/1 Health/);
    expect(lines().at(-1)).toMatch(/z zoom pane/);
    r.press('z');
    await expect.poll(frame).toMatch(/╔═ 2 Checklist \[zoomed: z restores\] ═/);
    expect(frame()).not.toMatch(/1 Health|3 Timeline|4 Rollback/);
    // The zoomed pane runs from under the status bar to above the footer.
    expect(lines()[1]).toMatch(/^╔═ 2 Checklist/);
    expect(lines().at(-2)).toMatch(/^╚═+╝$/);
    expect(lines().at(-1)).toMatch(/z unzoom/);
    // The stacked layout's order: health, checklist, rollback, timeline.
    r.press(KEY.tab);
    await expect.poll(frame).toMatch(/╔═ 4 Rollback \[zoomed: z restores\]/);
    expect(frame()).not.toMatch(/2 Checklist/);
    r.press('3');
    await expect.poll(frame).toMatch(/╔═ 3 Timeline: story \(following\) \[zoomed: z restores\]/);
    r.press('z');
    await expect.poll(frame).toMatch(/1 Health/);
    expect(frame()).toMatch(/2 Checklist/);
    expect(frame()).not.toMatch(/zoomed/);
  });
});

describe('an overlay taller than the screen', () => {
  it('the help scrolls with the usual keys, and another key closes it', async () => {
    const { model } = await liveModel();
    r = renderSized(<App model={model} color={false} />, 80, 24);
    await expect.poll(frame).toMatch(/2 Checklist/);
    r.press('?');
    const where = () => / (\d+)-(\d+) of (\d+) /.exec(frame())?.slice(1).map(Number);
    await expect.poll(where).toBeDefined();
    const [first, page, total] = where()!;
    expect(first).toBe(1);
    // Every row between the status bar and the footer: 24 rows less those two, less the frame's 4.
    expect(page).toBe(24 - 2 - 4);
    expect(total).toBeGreaterThan(page);
    expect(frame()).toMatch(/║ Health +║/);
    r.press('j');
    await expect.poll(where).toEqual([2, page + 1, total]);
    r.press(KEY.down);
    await expect.poll(where).toEqual([3, page + 2, total]);
    r.press('\x1b[F'); // End
    await expect.poll(where).toEqual([total - page + 1, total, total]);
    expect(frame()).toMatch(/quit \(busy\)/);
    r.press('\x1b[6~'); // PgDn at the end stays there
    r.press('k');
    await expect.poll(where).toEqual([total - page, total - 1, total]);
    r.press('\x1b[H'); // Home
    await expect.poll(where).toEqual([1, page, total]);
    r.press('\x1b[6~'); // PgDn: a page less one line, so one line stays in sight
    await expect.poll(where).toEqual([page, 2 * page - 1, total].map((v) => Math.min(v, total)));
    r.press(KEY.up);
    await expect.poll(where).toEqual([page - 1, 2 * page - 2, total]);
    r.press('x');
    await expect.poll(frame).not.toMatch(/Keys \(any key closes\)/);
  });
});
