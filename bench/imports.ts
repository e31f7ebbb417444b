/**
 * (4) Cold import: each adapter's built dist, ESM and CJS, loaded in a fresh `node` process
 * (no tsx, no loader), timed inside that process from just before the import/require to just
 * after it. Targets alternate within each round.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, round } from './lib';

export interface ImportRow {
  package: string;
  format: 'esm' | 'cjs';
  file: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  samplesMs: number[];
}

export interface ImportBench {
  processes: number;
  rows: ImportRow[];
}

const PACKAGES = ['udesk', 'kf5', 'huawei-aicc', 'core'] as const;

function once(file: string, format: 'esm' | 'cjs'): number {
  const script =
    format === 'cjs'
      ? `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`
      : `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t))`;
  const args = format === 'cjs' ? ['-e', script] : ['--input-type=module', '-e', script];
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // no tsx or other preloads in the measured process
  delete env.TSX_TSCONFIG_PATH;
  return Number(execFileSync(process.execPath, args, { encoding: 'utf8', env }));
}

export function benchImports(opts: { processes: number }): ImportBench {
  const targets = PACKAGES.flatMap((pkg) =>
    (['esm', 'cjs'] as const).map((format) => ({
      pkg,
      format,
      file: fileURLToPath(new URL(`../packages/${pkg}/dist/index.${format === 'esm' ? 'js' : 'cjs'}`, import.meta.url)),
      samples: [] as number[],
    })),
  );
  for (const t of targets) once(t.file, t.format); // warm the file system cache once, untimed
  for (let i = 0; i < opts.processes; i++) {
    const order = i % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) t.samples.push(once(t.file, t.format));
  }
  return {
    processes: opts.processes,
    rows: targets.map((t) => ({
      package: `@contactkit/${t.pkg}`,
      format: t.format,
      file: `packages/${t.pkg}/dist/index.${t.format === 'esm' ? 'js' : 'cjs'}`,
      medianMs: round(median(t.samples), 1),
      minMs: round(Math.min(...t.samples), 1),
      maxMs: round(Math.max(...t.samples), 1),
      samplesMs: t.samples.map((x) => round(x, 1)),
    })),
  };
}
