/** bench/README.md shows the figures of the result files in bench/results, and no others. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_README, renderReadme, resultsSection } from '../bench/readme.js';

describe('bench/README.md', () => {
  it('its results section is what bench/results/*.json say (npm run bench:readme rewrites it)', () => {
    const readme = fs.readFileSync(BENCH_README, 'utf8');
    expect(renderReadme(readme)).toBe(readme);
  });

  it('a changed result file changes the section', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
    const summary = JSON.parse(
      fs.readFileSync(path.join(import.meta.dirname, '..', 'bench', 'results', 'summary.json'), 'utf8'),
    );
    summary.targets = [{ benchmark: 'b', name: 'x / y', target: '≤ 2×', value: 3.5, met: false }];
    fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
    const section = resultsSection(dir);
    expect(section).toContain('Targets: 0 of 1 met.');
    expect(section).toContain('- **missed** — b: x / y ≤ 2× (3.5)');
    expect(renderReadme(fs.readFileSync(BENCH_README, 'utf8'), dir)).not.toBe(fs.readFileSync(BENCH_README, 'utf8'));
  });
});
