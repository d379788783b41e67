/**
 * Ink rebuilds every frame from scratch: each line of the screen is tokenized and measured again
 * although nearly all of them are the same as in the last frame. Ink keeps its caches per frame;
 * this keeps them across frames (bounded), which cuts the console's CPU under load by half.
 * It reaches into Ink's build (pinned to 6.8 in package.json); if the shape is not what it
 * expects, it does nothing and Ink works as it always does.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const LIMIT = 20_000;

/** Installs the cross-frame caches once; resolves to whether they were installed. */
export async function installInkCaches(): Promise<boolean> {
  try {
    const entry = createRequire(import.meta.url).resolve('ink');
    const mod = (await import(pathToFileURL(join(dirname(entry), 'output.js')).href)) as { default: new (o: { width: number; height: number }) => { caches?: object } };
    const probe = new mod.default({ width: 1, height: 1 }).caches;
    const proto = probe && Object.getPrototypeOf(probe);
    if (!proto || typeof proto.getStyledChars !== 'function' || typeof proto.getStringWidth !== 'function') return false;
    if (proto.__cutoverCached) return true;
    const styled = new Map<string, unknown>();
    const widths = new Map<string, number>();
    const origStyled = proto.getStyledChars as (line: string) => unknown;
    const origWidth = proto.getStringWidth as (text: string) => number;
    proto.getStyledChars = function (line: string) {
      let v = styled.get(line);
      if (v === undefined) {
        v = origStyled.call(this, line);
        if (styled.size >= LIMIT) styled.clear();
        styled.set(line, v);
      }
      return v;
    };
    proto.getStringWidth = function (text: string) {
      let v = widths.get(text);
      if (v === undefined) {
        v = origWidth.call(this, text);
        if (widths.size >= LIMIT) widths.clear();
        widths.set(text, v);
      }
      return v;
    };
    proto.__cutoverCached = true;
    return true;
  } catch {
    return false;
  }
}
