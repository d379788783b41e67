/** A pane's border and title; the focused pane's border is double and bright. */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';

export interface PaneFrameProps {
  /** Title in the top border, with the pane's focus number. */
  title: string;
  focused: boolean;
  width: number;
  height: number;
  color: boolean;
  children: ReactNode;
}

export function PaneFrame({ title, focused, width, height, color, children }: PaneFrameProps) {
  const [l, h, r] = focused ? ['╔', '═', '╗'] : ['┌', '─', '┐'];
  const label = ` ${title} `.slice(0, Math.max(0, width - 4));
  const top = `${l}${h}${label}${h.repeat(Math.max(0, width - 3 - label.length))}${r}`;
  const border = color ? (focused ? 'cyan' : 'gray') : undefined;
  return (
    <Box width={width} height={height} flexDirection="column">
      <Text color={border} bold={focused}>
        {top}
      </Text>
      {/* Keyed by focus: Ink re-adds the top border when borderStyle changes on an existing node.
          No overflow="hidden": Ink would slice every line of the pane each frame; the rows
          functions cut lines to the pane's width and height themselves. */}
      <Box
        key={focused ? 'focused' : 'plain'}
        width={width}
        height={height - 1}
        flexDirection="column"
        borderStyle={focused ? 'double' : 'single'}
        borderTop={false}
        borderColor={border}
      >
        {children}
      </Box>
    </Box>
  );
}
