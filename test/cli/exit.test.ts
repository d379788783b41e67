// `cutover run`'s exit code for each outcome (DESIGN.md's table): 0 done, 3 stopped at a gate, 1 otherwise.
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/run/exit.js';
import { OUTCOMES } from '../../src/core/index.js';

describe('exitCodeOf', () => {
  it('0 completed, 3 stopped at a gate, 1 for every other outcome, every rollback included', () => {
    expect(Object.fromEntries(OUTCOMES.map((o) => [o, exitCodeOf(o)]))).toEqual({
      completed: 0,
      'stopped-at-gate': 3,
      failed: 1,
      aborted: 1,
      quit: 1,
      'rolled-back': 1,
      'rollback-failed': 1,
      'rollback-aborted': 1,
      'rollback-interrupted': 1,
    });
  });
});
