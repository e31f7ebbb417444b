// Self time by function from a V8 .cpuprofile (node --cpu-prof), grouped by file, top N.
// usage: node bench/summarize-profile.mjs <file.cpuprofile> [top=30]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const top = Number(topArg ?? 30);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  const us = dt[i] ?? 0;
  total += us;
  const f = node.callFrame;
  const where = f.url ? f.url.replace(/^file:\/\//, '').replace(/.*\/node_modules\/\.pnpm\/([^/]+)\/node_modules\//, '$1:').replace(/.*\/work\/main\//, '') : '(native)';
  const key = `${f.functionName || '(anonymous)'}  ${where}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + us);
}
const group = (pred) => [...self].filter(([k]) => pred(k)).reduce((s, [, v]) => s + v, 0);
const pct = (v) => ((100 * v) / total).toFixed(1).padStart(5) + ' %';
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
console.log(`  packages/*  ${pct(group((k) => k.includes('packages/')))}`);
console.log(`  axios       ${pct(group((k) => k.includes('axios@')))}`);
console.log(`  zod         ${pct(group((k) => k.includes('zod@')))}`);
console.log(`  (idle)      ${pct(group((k) => k.startsWith('(idle)')))}`);
console.log(`  (gc)        ${pct(group((k) => k.startsWith('(garbage collector)')))}`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);

// inclusive time of the SDK's own functions (each sample counted once per distinct function on its stack)
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (n) => {
  const f = n.callFrame;
  if (!f.url.includes('packages/')) return undefined;
  return `${f.functionName || '(anonymous)'}  ${f.url.replace(/.*\/work\/main\//, '')}:${f.lineNumber + 1}`;
};
const incl = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const seen = new Set();
  for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
    const k = keyOf(byId.get(id));
    if (k && !seen.has(k)) {
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + (dt[i] ?? 0));
    }
  }
}
console.log('\ninclusive, SDK functions:');
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
