/**
 * tsx bench/profile/summarize-cpuprofile.ts FILE.cpuprofile [N] — self time by function and by package
 * (node_modules/<pkg>, project folder, or node internals), from a V8 CPU profile.
 */
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
const [file, top = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: summarize-cpuprofile FILE [N]');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
};
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const where = (url: string) => {
  if (!url) return '(native/vm)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const p = /\/work\/main\/([^/]+)\//.exec(url);
  return p ? `warden:${p[1]}` : url.slice(-40);
};
const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  const k = `${n.callFrame.functionName || '(anon)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber}`;
  fn.set(k, (fn.get(k) ?? 0) + t);
  const p =
    n.callFrame.functionName === '(idle)'
      ? '(idle)'
      : n.callFrame.functionName === '(garbage collector)'
        ? '(gc)'
        : where(n.callFrame.url);
  pkg.set(p, (pkg.get(p) ?? 0) + t);
}
const pct = (t: number) => `${((t / total) * 100).toFixed(1)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('by package:');
for (const [k, t] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${pct(t).padStart(6)}  ${k}`);
console.log('by function (self):');
for (const [k, t] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, Number(top)))
  console.log(`  ${pct(t).padStart(6)}  ${k}`);
