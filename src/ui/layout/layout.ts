/** Layouts: rows of columns with size weights, each cell naming a pane. Loaded from layouts/*.yaml. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { issuesToProblems } from '../../runbook/issues.js';
import { formatProblem, type Problem } from '../../runbook/problem.js';
import { YamlSource } from '../../runbook/yaml-source.js';

/** The pane kinds a layout can place. */
export const PANE_KINDS = ['health', 'checklist', 'timeline', 'rollback'] as const;
export type PaneKind = (typeof PANE_KINDS)[number];

const weight = z.number().int().min(1).max(100);
const LayoutSchema = z.strictObject({
  name: z.string().min(1),
  rows: z
    .array(
      z.strictObject({
        size: weight.optional(),
        columns: z.array(z.strictObject({ pane: z.enum(PANE_KINDS), size: weight.optional() })).min(1),
      }),
    )
    .min(1),
});

/** A validated layout. */
export interface Layout {
  name: string;
  rows: { size: number; columns: { pane: PaneKind; size: number }[] }[];
}

/** The directory of the built-in layouts (top-level layouts/). */
export const LAYOUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'layouts');

/** Below this many columns the default layout falls back to `stacked`. */
export const NARROW_COLUMNS = 120;

/** Parses and validates layout text; problems are located like runbook problems. */
export function parseLayout(file: string, text: string): { layout?: Layout; problems: Problem[] } {
  if (text.trim() === '') return { problems: [{ file, line: 1, col: 1, message: 'empty layout file; a layout needs name and rows' }] };
  const src = new YamlSource(file, text);
  const syntax = src.syntaxProblems();
  if (syntax.length) return { problems: syntax.slice(0, 1) };
  let data: unknown;
  try {
    data = src.toJS();
  } catch {
    return { problems: [{ file, line: 1, col: 1, message: 'YAML aliases expand too much (an alias bomb?)' }] };
  }
  const r = LayoutSchema.safeParse(data);
  if (!r.success) return { problems: issuesToProblems(src, r.error.issues, data) };
  const problems: Problem[] = [];
  const seen = new Set<string>();
  r.data.rows.forEach((row, i) => {
    row.columns.forEach((c, j) => {
      if (seen.has(c.pane))
        problems.push({
          ...src.locate(['rows', i, 'columns', j, 'pane']),
          file,
          message: `pane '${c.pane}' appears twice; each pane goes in one cell`,
        });
      seen.add(c.pane);
    });
  });
  if (problems.length) return { problems };
  return {
    layout: {
      name: r.data.name,
      rows: r.data.rows.map((row) => ({ size: row.size ?? 1, columns: row.columns.map((c) => ({ pane: c.pane, size: c.size ?? 1 })) })),
    },
    problems: [],
  };
}

/** Thrown when a layout cannot be loaded; the message is `FILE:LINE:COL: message` lines. */
export class LayoutError extends Error {}

/** Loads a layout by name (from layouts/) or by path. */
export function loadLayout(nameOrPath: string): Layout {
  const file = /[/\\]|\.ya?ml$/.test(nameOrPath) ? nameOrPath : join(LAYOUT_DIR, `${nameOrPath}.yaml`);
  if (!existsSync(file))
    throw new LayoutError(`${nameOrPath}: no such layout; built in: war-room, stacked, wall (or give a path to a .yaml file)`);
  const r = parseLayout(file, readFileSync(file, 'utf8'));
  if (!r.layout) throw new LayoutError(r.problems.map(formatProblem).join('\n'));
  return r.layout;
}

/** The layout to use: the one asked for, else war-room, or stacked when the terminal is narrow. */
export function chooseLayout(asked: string | undefined, columns: number): Layout {
  if (asked) return loadLayout(asked);
  return loadLayout(columns < NARROW_COLUMNS ? 'stacked' : 'war-room');
}

/** A pane's place on screen, in cells. */
export interface Cell {
  pane: PaneKind;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Splits `total` cells by weights; remainders go to the first parts so the sum is exact. */
export function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % sizes.length, rest--) sizes[i]++;
  return sizes;
}

/** Places every pane of a layout in a width x height area. */
export function placeCells(layout: Layout, width: number, height: number): Cell[] {
  const heights = split(
    height,
    layout.rows.map((r) => r.size),
  );
  const cells: Cell[] = [];
  let y = 0;
  layout.rows.forEach((row, i) => {
    const widths = split(
      width,
      row.columns.map((c) => c.size),
    );
    let x = 0;
    row.columns.forEach((c, j) => {
      cells.push({ pane: c.pane, x, y, width: widths[j], height: heights[i] });
      x += widths[j];
    });
    y += heights[i];
  });
  return cells;
}
