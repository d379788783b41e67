/** A parsed YAML file that can say where any path of its data is: line and column. */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Problem } from './problem.js';

/** Paths into the data: keys and indexes, as zod reports them. */
export type Path = readonly PropertyKey[];

/** A YAML document with positions for problems. */
export class YamlSource {
  readonly lines = new LineCounter();
  readonly doc: Document.Parsed;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  /** YAML syntax errors, one problem each. */
  syntaxProblems(): Problem[] {
    return this.doc.errors.map((e) => ({ ...this.at(e.pos[0]), message: yamlMessage(e.message) }));
  }

  /** The data as plain JS; throws on an alias bomb (more than `maxAliasCount` expansions). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }

  /** Position of the node at `path`; for a missing key, its parent map. `key` points at the key itself. */
  locate(path: Path, key = false): { line: number; col: number } {
    let node: unknown = this.doc.contents;
    let last: unknown = node;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        if (key && i === path.length - 1 && isScalar(pair.key)) return this.rangeStart(pair.key as Node) ?? this.at(0);
        last = node;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) break;
        last = node;
        node = isPair(item) ? item.value : item;
      } else break;
      last = node;
    }
    return this.rangeStart(last as Node) ?? this.at(0);
  }

  /** The scalar node at `path`, if there is one. */
  scalarAt(path: Path): { value: unknown; range: [number, number, number] } | undefined {
    const node = this.doc.getIn(path as unknown[], true);
    if (isScalar(node) && node.range) return { value: node.value, range: node.range as [number, number, number] };
    return undefined;
  }

  /** Line and column of a source offset. */
  at(offset: number): { file: string; line: number; col: number } {
    const p = this.lines.linePos(offset);
    return { file: this.file, line: p.line, col: p.col };
  }

  /** Offset of the first alias, for the alias-bomb message. */
  firstAliasOffset(): number {
    let off = 0;
    visit(this.doc, {
      Alias(_, node) {
        off = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    return off;
  }

  private rangeStart(node: Node | null | undefined): { line: number; col: number } | undefined {
    const r = node && (node as { range?: [number, number, number] }).range;
    return r ? this.at(r[0]) : undefined;
  }
}

function yamlMessage(m: string): string {
  const first = m.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return `YAML syntax error: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
}
