/** Durations as the runbook writes them: `500ms`, `30s`, `2m`, `1h30m`. */

/** The pattern a duration string must match (also used in the JSON Schema). */
export const DURATION_PATTERN = '^(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+$';
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = new RegExp(DURATION_PATTERN);
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration into milliseconds, or returns undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!WHOLE.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return Math.round(ms);
}

/** Formats milliseconds the way a person reads them: `450ms`, `12s`, `2m05s`, `1h30m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const neg = ms < 0 ? '-' : '';
  ms = Math.abs(ms);
  if (ms < 1000) return `${neg}${Math.round(ms)}ms`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${neg}${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${neg}${m}m${String(s).padStart(2, '0')}s`;
  return `${neg}${s}s`;
}

/** Formats elapsed time as `T+MM:SS` (or `T+H:MM:SS` past an hour). */
export function formatElapsed(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `T${sign}${h}:${mm}:${ss}` : `T${sign}${mm}:${ss}`;
}
