/**
 * The canary judge as the console shows it: the score line, and the question to the operator
 * while the verdict is marginal and nobody has decided (inconclusive is a state: it waits for a
 * person, journaled like a gate, instead of flipping with each judgment).
 */
import { scoreText } from '../judge/text.js';
import type { SessionState } from './state.js';

/** The judge's summary for the panes. */
export interface JudgeView {
  score: number;
  verdict: 'pass' | 'marginal' | 'fail' | 'nodata';
  /** "canary score 80 of 100: MARGINAL (pass ≥ 95, marginal ≥ 75)", with the decision once made. */
  text: string;
  /** Marginal and undecided: the operator is asked. */
  waiting: boolean;
  /** The question, while waiting. */
  ask?: string;
}

/** The judge's view, or undefined before the first judgment. */
export function selectJudge(state: SessionState): JudgeView | undefined {
  const j = state.judge;
  if (!j) return undefined;
  const { latest, decided } = j;
  const waiting = latest.verdict === 'marginal' && !decided;
  const by = decided ? `; ${decided.decision.toUpperCase()} by ${decided.operator}${decided.reason ? `: ${decided.reason}` : ''}` : '';
  return {
    score: latest.score,
    verdict: latest.verdict,
    text: `canary ${scoreText(latest)}${by}`,
    waiting,
    ...(waiting ? { ask: 'INCONCLUSIVE: decide the canary: J then g (go on) or n (no-go, with a reason)' } : {}),
  };
}
