/**
 * The zod builders for the runbook's scalar fields: ids, durations (with their minimums),
 * checks, amounts and `${VAR}` text. Each turns the written string into its parsed form.
 */
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from './duration.js';
import { CHECK_PATTERN, parseCheck, type Check } from './check.js';
import { AMOUNT_PATTERN, parseAmount, type Amount } from './amount.js';

const ID_PATTERN = /^[A-Za-z_][\w-]*$/;

/** A unique id: letters, digits, _ and -. */
export const id = z
  .string()
  .regex(ID_PATTERN, { message: 'an id starts with a letter or _ and holds only letters, digits, _ and -' })
  .describe('Unique id: letters, digits, _ and -');

/** The shortest a duration may be: `1s` and what to call it ("poll interval"), or `positive` for anything above 0. */
export type Minimum = { at: string; noun: string; why?: string } | 'positive';

/** A duration in ms; below `min` it is an error that names the field and the minimum. */
export const duration = (what: string, min?: Minimum) =>
  z
    .string({
      error: (iss) =>
        typeof iss.input === 'number'
          ? `${what} ${iss.input} has no unit; write it with one, like ${iss.input}s or ${iss.input}ms`
          : `${what} must be a duration such as 30s or 2m`,
    })
    .regex(new RegExp(DURATION_PATTERN), {
      message: `${what} is not a duration; write a number and a unit, like 500ms, 30s, 2m or 1h30m`,
    })
    .transform((s, ctx) => {
      const ms = parseDuration(s) as number;
      const floor = min === undefined ? 0 : min === 'positive' ? 1 : (parseDuration(min.at) as number);
      if (ms >= floor) return ms;
      const message =
        min === 'positive'
          ? `${what} is ${s}; it must be longer than 0`
          : `${what} is ${s}; the shortest ${min!.noun} is ${min!.at}${min!.why ? ` (${min!.why})` : ''}`;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    })
    .describe(`${what}: a duration such as 500ms, 30s, 2m or 1h30m${minText(min)}`);

function minText(min: Minimum | undefined): string {
  if (min === undefined) return '';
  return min === 'positive' ? '; longer than 0' : `; at least ${min.at}`;
}

/** Poll intervals: below a second a panel hammers Prometheus for nothing. */
export const POLL_INTERVAL: Minimum = { at: '1s', noun: 'poll interval' };
/** Request and command timeouts: shorter than this nothing can answer. */
export const TIMEOUT: Minimum = { at: '100ms', noun: 'timeout' };

/** A check such as `> 0.05` or `ratio > 2`, parsed. */
export const check = (what: string) =>
  z
    .string({ error: `${what} must be a quoted check, like "> 0.05", "> 5%" or "ratio > 2"` })
    .regex(new RegExp(CHECK_PATTERN), {
      message: `${what} is not a check; write an operator and a number, optionally in the panel's unit, like "> 0.05", "> 5%", "<= 500ms" or "ratio > 2"`,
    })
    .transform((s) => parseCheck(s) as Check)
    .describe(
      `${what}: an operator and a number ("> 0.05", "<= 99.5"), optionally in the panel's unit ("> 5%" on a ratio panel is 0.05, "> 500ms" on a seconds panel is 0.5), or "ratio > 2" on a compare panel`,
    );

/** A number of hosts or a percentage of the group, parsed. */
export const amount = (what: string) =>
  z
    .union([z.number().int().nonnegative(), z.string().regex(new RegExp(AMOUNT_PATTERN))], {
      error: `${what} must be a whole number of hosts (2) or a percentage ("25%")`,
    })
    .transform((v, ctx) => {
      const a = parseAmount(v) as Amount;
      if ('percent' in a && a.percent > 100) {
        ctx.addIssue({ code: 'custom', message: `${what} is ${a.percent}%, more than 100%` });
        return z.NEVER;
      }
      return a;
    })
    .describe(`${what}: a number of hosts or a percentage of the group`);

/** Text in which cutover expands `${VAR}` from the environment when it uses it (never journaled). */
export const envString = (what: string) =>
  z.string().describe(`${what}; \${VAR} in it is taken from the environment when used, and never journaled`);
