// The demo's first-run hint: shown until this user closes it once, then never again; a state
// directory that cannot be written only means it shows again.
import { chmodSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoHint, hintMarker } from '../../src/demo/hint.js';
import { tempDir } from '../support/sshd.js';

describe('demo hint', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) {
      chmodSync(d, 0o700);
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('is offered until it was closed once, and the marker is the user’s alone', () => {
    const state = tempDir('cutover-hint-');
    dirs.push(state);
    const env = { XDG_STATE_HOME: state };
    const hint = demoHint(env);
    expect(hint?.lines.join('\n')).toMatch(/Enter +run the selected step/);
    // Offered again while nobody closed it.
    expect(demoHint(env)).toBeDefined();
    hint!.dismissed();
    expect(hintMarker(env)).toBe(join(state, 'cutover', 'demo-hint-read'));
    expect(statSync(hintMarker(env)).mode & 0o777).toBe(0o600);
    expect(demoHint(env)).toBeUndefined();
  });

  it('shows again, without an error, when the state directory cannot be written', () => {
    const state = tempDir('cutover-hint-ro-');
    dirs.push(state);
    mkdirSync(join(state, 'cutover'));
    chmodSync(join(state, 'cutover'), 0o500);
    chmodSync(state, 0o500);
    const env = { XDG_STATE_HOME: state };
    expect(() => demoHint(env)!.dismissed()).not.toThrow();
    if (process.getuid?.() !== 0) {
      expect(existsSync(hintMarker(env))).toBe(false);
      expect(demoHint(env)).toBeDefined();
    }
  });
});
