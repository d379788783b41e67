/**
 * The runbook's statistical judge: a compare panel's `judge:` (how its canary and baseline are
 * compared over a window) and the runbook's `judge:` (score thresholds and how often to judge).
 * Defaults are Kayenta's (confidence 0.98, tolerance 0.25, effect sizes 1, pass 95, marginal 75).
 */
import { z } from 'zod';
import { duration } from './fields.js';

/** Defaults of a panel's judge. */
export const JUDGE_DEFAULTS = {
  window: 10 * 60_000,
  step: 15_000,
  confidence: 0.98,
  tolerance: 0.25,
  allowedIncrease: 1,
  allowedDecrease: 1,
  direction: 'either',
  nanStrategy: 'remove',
  mustHaveData: false,
  critical: false,
} as const;

/** How often the live console judges when the runbook does not say. */
export const DEFAULT_JUDGE_EVERY_MS = 30_000;

/** A compare panel's `judge:`. */
export const PanelJudge = z
  .strictObject({
    window: duration('judge.window', { at: '10s', noun: 'judge window' }).optional().describe('Window compared, ending now (default 10m)'),
    step: duration('judge.step', { at: '1s', noun: 'judge step' })
      .optional()
      .describe('Spacing of the values taken in the window (default 15s)'),
    confidence: z.number().gt(0.5).lt(1).optional().describe('Confidence of the interval of the shift (default 0.98)'),
    tolerance: z
      .number()
      .min(0)
      .optional()
      .describe('High/Low only when the whole interval is beyond tolerance × |estimate| (default 0.25)'),
    allowedIncrease: z.number().positive().optional().describe('High only when canary mean / baseline mean is at least this (default 1)'),
    allowedDecrease: z.number().positive().optional().describe('Low only when canary mean / baseline mean is at most this (default 1)'),
    direction: z.enum(['increase', 'decrease', 'either']).optional().describe('Which way is bad (default either, as Kayenta)'),
    nanStrategy: z.enum(['remove', 'replace']).optional().describe('NaN and infinite values: remove (default) or replace with 0'),
    mustHaveData: z.boolean().optional().describe('No data counts against the score (default false)'),
    critical: z.boolean().optional().describe('Anything but Pass makes the score 0 (default false)'),
    group: z.string().min(1).optional().describe('Score group (default: the panel id)'),
    weight: z.number().min(0).max(100).optional().describe("The group's weight in percent; groups without one share the rest of 100"),
  })
  .superRefine((j, ctx) => {
    // The test compares every canary value with every baseline value (n² differences, sorted) on
    // the console's thread: 1,000 values a side is a million, about 0.1 s; 3,600 froze it 1.4 s.
    const points = Math.floor((j.window ?? JUDGE_DEFAULTS.window) / (j.step ?? JUDGE_DEFAULTS.step));
    if (points > MAX_JUDGE_POINTS)
      ctx.addIssue({
        code: 'custom',
        path: [j.step !== undefined ? 'step' : 'window'],
        message: `the judge window holds ${points} values a side (window / step), more than ${MAX_JUDGE_POINTS}; use a longer step or a shorter window`,
      });
  })
  .describe('Judge this compare panel statistically (Mann-Whitney over a window, as Kayenta)');

/** Most values a side a judged panel may compare (window / step). */
export const MAX_JUDGE_POINTS = 1000;

/** The runbook's `judge:`: score thresholds and the live console's judging period. */
export const RunbookJudge = z
  .strictObject({
    pass: z.number().min(0).max(100).optional().describe('Score at or above which the canary passes (default 95)'),
    marginal: z.number().min(0).max(100).optional().describe('Score at or above which it is marginal: the operator decides (default 75)'),
    every: duration('judge.every', { at: '1s', noun: 'judging period' }).optional().describe('How often the console judges (default 30s)'),
  })
  .refine((j) => (j.pass ?? 95) >= (j.marginal ?? 75), { message: 'judge.pass must be at least judge.marginal' })
  .describe('Canary score thresholds for the judged panels');
