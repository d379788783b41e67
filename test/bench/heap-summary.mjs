#!/usr/bin/env node
// Summarizes a V8 heap snapshot (v8.writeHeapSnapshot, or BENCH_HEAPSNAPSHOT=file with
// memory.bench.mjs): what the heap is made of, and what holds it. Not a benchmark (run.mjs runs
// *.bench.mjs only). Reads the file as bytes (snapshots of a big heap exceed V8's longest string):
//   node test/bench/heap-summary.mjs file.heapsnapshot [rows]
// Prints
// - self size by kind: object nodes by constructor name, strings, arrays, code, ...;
// - the biggest collections: nodes with the most outgoing references (an array of every event,
//   a Map that only grows), the size of what sits below them, and what holds them;
// - self size by holder: each node is charged to its first retainer chain (skipping weak edges),
//   read upwards until a named object (a class instance, a closure's context variable); chains
//   are shown with array indices as [] so that a million events make one row.
// First retainer, not dominator: a node held from two places is charged to one of them.
import { openSync, readSync, fstatSync, closeSync } from 'node:fs';

const file = process.argv[2];
const ROWS = Number(process.argv[3] ?? 15);
if (!file) {
  console.error('usage: node test/bench/heap-summary.mjs file.heapsnapshot [rows]');
  process.exit(2);
}

const fd = openSync(file, 'r');
const size = fstatSync(fd).size;
const buf = Buffer.allocUnsafe(size);
for (let off = 0; off < size; ) off += readSync(fd, buf, off, Math.min(1 << 30, size - off), off);
closeSync(fd);

const metaEnd = buf.indexOf('"nodes":[');
const meta = JSON.parse(buf.toString('utf8', 0, metaEnd).replace(/,\s*$/, '').concat('}')).snapshot;
const NF = meta.meta.node_fields.length;
const EF = meta.meta.edge_fields.length;
const nodeTypes = meta.meta.node_types[0];
const edgeTypes = meta.meta.edge_types[0];
const [N_TYPE, N_NAME, , N_SIZE, N_EDGES] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) => meta.meta.node_fields.indexOf(f));
const [E_TYPE, E_NAME, E_TO] = ['type', 'name_or_index', 'to_node'].map((f) => meta.meta.edge_fields.indexOf(f));

/** Parses the array of unsigned integers starting at `key`. */
function ints(key, count) {
  let p = buf.indexOf(key) + key.length;
  const out = new Float64Array(count);
  let i = 0;
  let v = 0;
  let inNum = false;
  for (; p < size; p++) {
    const c = buf[p];
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      inNum = true;
    } else {
      if (inNum) out[i++] = v;
      v = 0;
      inNum = false;
      if (c === 93) break; // ]
    }
  }
  if (i !== count) throw new Error(`${key}: read ${i} numbers, expected ${count}`);
  return out;
}
const nodes = ints('"nodes":[', meta.node_count * NF);
const edges = ints('"edges":[', meta.edge_count * EF);

// The strings table: offsets of each JSON string, decoded on demand.
const strStart = [];
const strEnd = [];
{
  let p = buf.indexOf('"strings":[') + '"strings":['.length;
  for (; p < size; p++) {
    const c = buf[p];
    if (c === 93) break;
    if (c !== 34) continue;
    const s = p;
    for (p++; buf[p] !== 34; p++) if (buf[p] === 92) p++;
    strStart.push(s);
    strEnd.push(p + 1);
  }
}
const strCache = new Map();
function str(i, max = 80) {
  const key = i * 1000 + max;
  let s = strCache.get(key);
  if (s === undefined) {
    const end = Math.min(strEnd[i], strStart[i] + max * 2 + 2);
    let raw = buf.toString('utf8', strStart[i] + 1, end === strEnd[i] ? end - 1 : end);
    try {
      raw = JSON.parse(`"${raw.replace(/\\u?[0-9a-fA-F]{0,3}$|\\$/, '')}"`);
    } catch {}
    s = raw.length > max ? `${raw.slice(0, max)}…` : raw;
    if (strCache.size < 100_000) strCache.set(key, s);
  }
  return s;
}

const count = meta.node_count;
const firstEdge = new Float64Array(count + 1);
for (let n = 0; n < count; n++) firstEdge[n + 1] = firstEdge[n] + nodes[n * NF + N_EDGES];
const type = (n) => nodeTypes[nodes[n * NF + N_TYPE]];
const selfSize = (n) => nodes[n * NF + N_SIZE];
/** A node's kind: the constructor of an object, the kind of anything else. */
function kind(n) {
  const t = type(n);
  if (t === 'object' || t === 'native' || t === 'synthetic') return str(nodes[n * NF + N_NAME], 60);
  if (t === 'closure') return `closure ${str(nodes[n * NF + N_NAME], 40) || '(anonymous)'}`;
  if (t === 'hidden' || t === 'array' || t === 'code' || t === 'object shape') return `(${t}) ${str(nodes[n * NF + N_NAME], 40)}`.trim();
  return `(${t})`;
}
function edgeName(e) {
  const t = edgeTypes[edges[e + E_TYPE]];
  const v = edges[e + E_NAME];
  if (t === 'element' || t === 'hidden') return '[]';
  return str(v, 40);
}

// First non-weak retainer of every node; and for each closure scope (Context), a function that has it.
const retainer = new Int32Array(count).fill(-1);
const retEdge = new Float64Array(count);
const scopeOf = new Int32Array(count).fill(-1);
for (let n = 0; n < count; n++) {
  const closure = type(n) === 'closure';
  for (let e = firstEdge[n] * EF, end = firstEdge[n + 1] * EF; e < end; e += EF) {
    const et = edgeTypes[edges[e + E_TYPE]];
    if (et === 'weak' || et === 'shortcut') continue;
    const to = edges[e + E_TO] / NF;
    if (closure && scopeOf[to] === -1 && str(edges[e + E_NAME]) === 'context') scopeOf[to] = n;
    if (retainer[to] === -1 && to !== n) {
      retainer[to] = n;
      retEdge[to] = e;
    }
  }
}

const BORING = /^(Object|Array|\(.*\)|system \/ .*|closure .*|Map|Set)$/;
const STRINGS = new Set(['(concatenated string)', '(sliced string)']);
/** The chain that holds `n`, read upwards to the first named object: "EventStore.log > [] > .text". */
function holder(n) {
  const parts = [];
  let cur = n;
  for (let depth = 0; depth < 12; depth++) {
    const r = retainer[cur];
    if (r < 0) break;
    const k = kind(r);
    const e = retEdge[cur];
    const en = edgeName(e);
    // The pieces of a concatenated or sliced string count as the string.
    if (!STRINGS.has(k)) parts.unshift(en === '[]' ? '[]' : `.${en}`);
    // A closure's variable: name it and stop (module-level caches live there).
    if (edgeTypes[edges[e + E_TYPE]] === 'context') {
      parts.unshift(scopeOf[r] >= 0 ? `(scope of ${str(nodes[scopeOf[r] * NF + N_NAME], 40) || 'a function'})` : '(scope)');
      break;
    }
    if (!BORING.test(k)) {
      parts.unshift(k);
      break;
    }
    if (depth === 11) parts.unshift('…');
    cur = r;
  }
  return parts.join(' ').replace(/ \./g, '.').replace(/ \[\]/g, '[]');
}

const mb = (n) => `${(n / 1048576).toFixed(1).padStart(8)} MiB`;
let total = 0;
const byKind = new Map();
const byHolder = new Map();
for (let n = 0; n < count; n++) {
  const s = selfSize(n);
  total += s;
  const k = kind(n);
  const a = byKind.get(k) ?? { size: 0, n: 0 };
  a.size += s;
  a.n++;
  byKind.set(k, a);
  if (s === 0) continue;
  const h = `${k} <- ${holder(n)}`;
  const b = byHolder.get(h) ?? { size: 0, n: 0 };
  b.size += s;
  b.n++;
  byHolder.set(h, b);
}

console.log(`${file}: ${meta.node_count} nodes, ${meta.edge_count} edges, ${mb(total).trim()} in all`);
console.log('\nself size by kind');
for (const [k, v] of [...byKind].sort((a, b) => b[1].size - a[1].size).slice(0, ROWS))
  console.log(`${mb(v.size)} ${String(v.n).padStart(9)}  ${k}`);

console.log('\nbiggest collections (outgoing references): what sits below them (first-retainer tree), and every holder');
const order = Array.from({ length: count }, (_, i) => i)
  .sort((a, b) => nodes[b * NF + N_EDGES] - nodes[a * NF + N_EDGES])
  .slice(0, ROWS);
const top = new Map(order.map((n) => [n, { below: 0, holders: [] }]));
for (let n = 0; n < count; n++) {
  for (let cur = n, depth = 0; cur >= 0 && depth < 16; cur = retainer[cur], depth++) if (top.has(cur)) top.get(cur).below += selfSize(n);
  for (let e = firstEdge[n] * EF, end = firstEdge[n + 1] * EF; e < end; e += EF) {
    const t = top.get(edges[e + E_TO] / NF);
    const et = edgeTypes[edges[e + E_TYPE]];
    if (t && et !== 'weak' && t.holders.length < 4)
      t.holders.push(
        `${kind(n)}${et === 'element' || et === 'hidden' ? '[]' : `.${str(edges[e + E_NAME], 40)}`}${et === 'context' && scopeOf[n] >= 0 ? ` (scope of ${str(nodes[scopeOf[n] * NF + N_NAME], 40) || 'a function'})` : ''}`,
      );
  }
}
for (const n of order) {
  const t = top.get(n);
  console.log(`${String(nodes[n * NF + N_EDGES]).padStart(10)} refs ${mb(t.below)} below  ${kind(n)} <- ${holder(n)}`);
  console.log(`${''.padStart(37)}held by: ${t.holders.join('; ')}`);
}

console.log('\nself size by holder (first retainer chain)');
for (const [k, v] of [...byHolder].sort((a, b) => b[1].size - a[1].size).slice(0, ROWS))
  console.log(`${mb(v.size)} ${String(v.n).padStart(9)}  ${k}`);
