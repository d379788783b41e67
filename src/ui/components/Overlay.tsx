/** A dialog or the help, drawn over the panes in the middle of the screen. */
import { Box, Text } from 'ink';
import { LinesView } from './LinesView.js';
import { fit, pad, plain, type Line } from '../rows.js';
import { sanitizeLine } from '../../core/controls.js';

export interface OverlayProps {
  /** What to show: a title, lines, and the keys hint. */
  view: { title: string; lines: Line[]; hint: string; danger: boolean };
  columns: number;
  rows: number;
  color: boolean;
}

export function Overlay({ view, columns, rows, color }: OverlayProps) {
  const width = Math.min(
    columns - 4,
    Math.max(40, ...view.lines.map((l) => plain(l).length + 4), view.title.length + 6, view.hint.length + 4),
  );
  const inner = width - 4;
  const maxLines = Math.max(1, rows - 8);
  const body = view.lines.slice(0, maxLines).map((l) => padLine(fit(l, inner), inner));
  if (view.lines.length > maxLines) body.push(padLine([{ text: `… ${view.lines.length - maxLines} more lines`, dim: true }], inner));
  const height = body.length + 4 + (view.hint ? 1 : 0);
  const top = Math.max(0, Math.floor((rows - height) / 2));
  const left = Math.max(0, Math.floor((columns - width) / 2));
  const border = color ? (view.danger ? 'red' : 'cyan') : undefined;
  return (
    <Box
      position="absolute"
      marginTop={top}
      marginLeft={left}
      width={width}
      flexDirection="column"
      borderStyle="double"
      borderColor={border}
      paddingX={1}
    >
      <Text bold color={border}>
        {pad(sanitizeLine(view.title), inner)}
      </Text>
      <Text>{' '.repeat(inner)}</Text>
      <LinesView lines={body} />
      {view.hint ? (
        <Text bold inverse={view.danger}>
          {pad(view.hint, inner)}
        </Text>
      ) : null}
    </Box>
  );
}

function padLine(l: Line, width: number): Line {
  const w = plain(l).length;
  return w < width ? [...l, { text: ' '.repeat(width - w) }] : l;
}
