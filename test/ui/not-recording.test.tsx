// Given a live console whose journal's disk is full, when the operator acts, then the status bar says
// NOT RECORDING in red, forward keys are refused with that reason, and a rollback still runs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { App } from '../../src/ui/App.js';
import type { SessionEvent } from '../../src/core/index.js';
import { JournalWriter } from '../../src/journal/index.js';
import { Session } from '../../src/session/session.js';
import { sessionModel } from '../../src/ui/session-model.js';
import { statusLine } from '../../src/ui/status.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { runbook } from '../core/fixtures.js';
import { tempDir } from '../journal/helpers.js';
import { instantExecutors } from './live.js';
import { failWrites } from '../support/disk-full.js';

let r: Rendered | undefined;
afterEach(() => {
  r?.unmount();
  vi.restoreAllMocks();
});
const frame = () => r!.lastFrame();

describe('NOT RECORDING', () => {
  it('shows the red mark, refuses a tick, and still rolls back with R then Y; the mark clears once writes succeed', async () => {
    const journal = await JournalWriter.create<SessionEvent>(join(tempDir(), 'j.jsonl'));
    const exec = instantExecutors();
    const session = new Session({
      runbook: runbook(),
      runbookPath: 'rb.yaml',
      runbookSha256: '',
      operator: 'alice',
      mode: 'live',
      version: 't',
      journal,
      executors: exec,
      publishMs: 5,
    });
    await session.start();
    let full = true;
    failWrites(() => full);
    r = renderSized(<App model={sessionModel(session, { onQuit: () => {} })} color={true} />);
    await expect.poll(frame).toMatch(/● REC/);
    session.note('filling up');
    await expect.poll(frame).toMatch(/NOT RECORDING: no space left on device \(ENOSPC\)/);
    // Red and inverse: the mark is drawn with the alarm colour.
    const mark = statusLine({
      state: session.state,
      now: session.now(),
      connections: 0,
      readOnly: false,
      width: 160,
      color: true,
      notRecording: session.store.notRecording,
    })[0];
    expect(mark).toMatchObject({ text: ' NOT RECORDING: no space left on device (ENOSPC) ', color: 'red', inverse: true, bold: true });
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/tick: NOT RECORDING \(ENOSPC\): only roll back, abort, no-go and quit work/);
    expect(session.state.steps.backup).toBeUndefined();
    r.press('4');
    await expect.poll(frame).toMatch(/4 Rollback/);
    r.press('R');
    await expect.poll(frame).toMatch(/ROLL BACK: Level 1/);
    r.press('Y');
    await expect.poll(frame).toMatch(/OK traffic by alice/);
    expect(exec.calls).toEqual(['lb1.internal: lbctl weight blue 0']);
    full = false;
    await expect.poll(frame, { timeout: 5000 }).toMatch(/● REC/);
    expect(frame()).not.toMatch(/NOT RECORDING/);
    // Recording as usual is not an alarm: no inverse block.
    expect(
      statusLine({ state: session.state, now: session.now(), connections: 0, readOnly: false, width: 160, color: true })[0],
    ).toMatchObject({ text: ' ● REC ', inverse: false });
    await session.end();
  });
});
