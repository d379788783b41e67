/** Lays out precomputed lines; each line is already cut to width, so nothing wraps. */
import { memo } from 'react';
import { Box, Text } from 'ink';
import type { Line, Segment } from '../rows.js';

export interface LinesViewProps {
  /** The lines to show, top to bottom. */
  lines: Line[];
}

export const LinesView = memo(function LinesView({ lines }: LinesViewProps) {
  return (
    <Box flexDirection="column" flexShrink={0}>
      {lines.map((l, i) => (
        // No wrap="truncate": lines are fit to width already, and Ink would slice every one of them each frame.
        <Text key={i}>
          {merge(l).map((s, j) =>
            plainStyle(s) ? (
              s.text
            ) : (
              <Text key={j} color={s.color} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
                {s.text}
              </Text>
            ),
          )}
        </Text>
      ))}
    </Box>
  );
});

function plainStyle(s: Segment): boolean {
  return !s.color && !s.bold && !s.dim && !s.inverse;
}

/** Joins neighbouring segments of the same style: fewer nodes for React and Ink to walk. */
function merge(l: Line): Segment[] {
  const out: Segment[] = [];
  for (const s of l) {
    if (!s.text) continue;
    const last = out[out.length - 1];
    if (last && last.color === s.color && !!last.bold === !!s.bold && !!last.dim === !!s.dim && !!last.inverse === !!s.inverse)
      out[out.length - 1] = { ...last, text: last.text + s.text };
    else out.push(s);
  }
  return out;
}
