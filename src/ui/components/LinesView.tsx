/** Lays out precomputed lines; each line is already cut to width, so nothing wraps. */
import { memo } from 'react';
import { Box, Text } from 'ink';
import type { Line } from '../rows.js';

export interface LinesViewProps {
  /** The lines to show, top to bottom. */
  lines: Line[];
}

export const LinesView = memo(function LinesView({ lines }: LinesViewProps) {
  return (
    <Box flexDirection="column" flexShrink={0}>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l.map((s, j) => (
            <Text key={j} color={s.color} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
              {s.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
});
