/**
 * A dialog or the help, drawn over the panes in the middle of the screen. The overlay writes
 * every cell of its rectangle itself (borders, padding, blank rows), as precomputed lines: Ink
 * leaves the cells an absolutely positioned box does not write showing what lies underneath.
 */
import { Box } from 'ink';
import { LinesView } from './LinesView.js';
import { ellipsize, fit, lineWidth, pad, textWidth, type Line } from '../rows.js';
import { sanitizeLine } from '../../core/controls.js';
import type { Color } from '../theme.js';

/** What an overlay shows: a title, lines, and the keys hint. */
export interface OverlayView {
  title: string;
  lines: Line[];
  /** The keys, in one line at the bottom; empty for none. */
  hint: string;
  danger: boolean;
}

/** Where an overlay goes and every line of it, for a screen area of `columns` x `rows`. */
export interface OverlayBox {
  top: number;
  left: number;
  width: number;
  height: number;
  /** Exactly `height` lines of exactly `width` cells. */
  lines: Line[];
  /** Body lines scrolled past (clamped). */
  scroll: number;
  /** 0 when the whole body fits; otherwise how far it scrolls. */
  maxScroll: number;
  /** Body rows on screen (a page for pgup/pgdn). */
  page: number;
}

/** Rows of an overlay besides its body: top border, title, blank line, bottom border (and the hint). */
const FRAME_ROWS = 4;

/** Lays out an overlay: centred, at most the area's size, its body scrolled by `scroll` lines. */
export function overlayBox(view: OverlayView, columns: number, rows: number, scroll: number, color: boolean): OverlayBox {
  const title = sanitizeLine(view.title);
  const hint = sanitizeLine(view.hint);
  const widest = Math.max(40, ...view.lines.map((l) => lineWidth(l) + 4), textWidth(title) + 6, textWidth(hint) + 4);
  const width = Math.max(8, Math.min(columns - 4, widest));
  const inner = width - 4;
  // Keep the status bar and the footer in sight: the overlay takes at most the rows between them.
  const room = Math.max(1, rows - 2 - FRAME_ROWS - (hint ? 1 : 0));
  const page = Math.min(view.lines.length, room);
  const maxScroll = Math.max(0, view.lines.length - page);
  const at = Math.max(0, Math.min(maxScroll, scroll));
  const border: Color = color ? (view.danger ? 'red' : 'cyan') : undefined;
  const edge = (l: Line): Line => [{ text: '║ ', color: border }, ...padLine(fit(l, inner), inner), { text: ' ║', color: border }];
  const body = view.lines.slice(at, at + page).map(edge);
  const where = maxScroll > 0 ? ` ${at + 1}-${at + page} of ${view.lines.length} ` : '';
  const lines: Line[] = [
    [{ text: `╔${'═'.repeat(width - 2)}╗`, color: border }],
    edge([{ text: title, bold: true, color: border }]),
    edge([]),
    ...body,
    // The hint is padded inside its segment: a dangerous dialog's hint is one inverse bar.
    ...(hint
      ? [
          edge([
            {
              text: pad(ellipsize(hint, inner), inner),
              bold: true,
              inverse: view.danger,
            },
          ]),
        ]
      : []),
    [{ text: `╚${bottom(where, width - 2)}╝`, color: border }],
  ];
  const height = lines.length;
  return {
    top: Math.max(0, Math.floor((rows - height) / 2)),
    left: Math.max(0, Math.floor((columns - width) / 2)),
    width,
    height,
    lines,
    scroll: at,
    maxScroll,
    page,
  };
}

export interface OverlayProps {
  /** The laid-out overlay (from `overlayBox`). */
  box: OverlayBox;
}

export function Overlay({ box }: OverlayProps) {
  return (
    <Box position="absolute" marginTop={box.top} marginLeft={box.left} width={box.width} height={box.height} flexDirection="column">
      <LinesView lines={box.lines} />
    </Box>
  );
}

/** The bottom border, with the scroll position in it (and the keys, when there is room). */
function bottom(position: string, n: number): string {
  const fits = (label: string) => textWidth(label) + 3 <= n;
  const label = !position
    ? ''
    : fits(`${position}· ↑↓ pgup pgdn home end `)
      ? `${position}· ↑↓ pgup pgdn home end `
      : fits(position)
        ? position
        : '';
  return `══${label}${'═'.repeat(n - 2 - textWidth(label))}`;
}

/** A line of exactly `width` columns (it is fit to `width` first). */
function padLine(l: Line, width: number): Line {
  const w = lineWidth(l);
  return w < width ? [...l, { text: ' '.repeat(width - w) }] : l;
}
