/** Remote output lines: control sequences stripped (core/controls.ts), carriage returns applied. */
export { stripControls } from '../../core/controls.js';

/**
 * Applies carriage returns the way a progress bar means them: each `\r` starts the line over, so
 * the line shows the last non-empty segment (`10%\r20%\r` reads `20%`).
 */
export function overprint(line: string): string {
  if (!line.includes('\r')) return line;
  const parts = line.split('\r');
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== '') return parts[i];
  return '';
}
