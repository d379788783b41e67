// Given a recorded session replayed, when it stands at a decision, then the timeline tells the
// story up to there (nothing later, no samples), and e shows every event up to there instead.
import { afterEach, describe, expect, it } from 'vitest';
import { replayModel } from '../../src/replay/model.js';
import { openReplay } from '../../src/replay/open.js';
import type { Player } from '../../src/replay/player.js';
import { App } from '../../src/ui/App.js';
import { renderSized, type Rendered } from '../support/ink.js';

const JOURNAL = 'fixtures/sessions/checkout-rolled-back.jsonl';
let r: Rendered | undefined;
let player: Player | undefined;
let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  r?.unmount();
  player?.index.close();
});
const frame = () => r!.lastFrame();

describe('replay timeline', () => {
  it('tells the story up to the position; e shows every event up to it', async () => {
    player = await openReplay(JOURNAL, { paused: true });
    await player.index.run();
    stop = player.run(20);
    r = renderSized(<App model={replayModel(player, { journalPath: JOURNAL, color: false, onQuit: () => {} })} color={false} />, 220, 40);
    // Tab to the timeline (3 is a transport key in replay: a jump to 30%).
    r.press('\t');
    await expect.poll(frame).toMatch(/╔═ 3 Timeline: story/);
    // The second decision: errors-high fires at T+01:55.
    r.press('n');
    r.press('n');
    await expect.poll(frame).toMatch(/T\+01:55 !! trigger errors-high FIRING: Error rate 8% > 5% for 30s \(critical\)/);
    expect(frame()).toMatch(/3 Timeline: story \(following\)/);
    expect(frame()).toMatch(/T\+01:25 !! Error rate: CRITICAL 6% > 5% \(was WARNING\)/);
    // Nothing after the position: the recommendation that follows in the same second is not folded yet.
    expect(frame()).not.toMatch(/rollback traffic recommended|error_rate = /);

    r.press('e');
    await expect.poll(frame).toMatch(/3 Timeline: all events \(following\)/);
    await expect.poll(frame).toMatch(/error_rate = 0\.08/);
    expect(frame()).toMatch(/trigger errors-high FIRING: 0\.08 > 0\.05/);
    expect(frame()).not.toMatch(/rollback traffic recommended/);
  });
});
