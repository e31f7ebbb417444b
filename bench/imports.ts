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
  /** import plus the first client: axios is loaded when the first client is made, so this is what a caller pays before a first call */
  withFirstClientMedianMs: number;
}

export interface ImportBench {
  processes: number;
  rows: ImportRow[];
}

const PACKAGES = ['udesk', 'kf5', 'huawei-aicc', 'core'] as const;

/** the first client of each package, offline (no request is sent) */
const FIRST_CLIENT: Record<(typeof PACKAGES)[number], string> = {
  udesk: `m.createUdeskClient({ subdomain: 'demo', email: 'a@example.com', apiToken: 'token' })`,
  kf5: `m.createKf5Client({ subdomain: 'demo', email: 'a@example.com', apiToken: 'token' })`,
  'huawei-aicc': `m.createHuaweiAiccClient({ baseUrl: 'https://service.example.com', appKey: 'k', appSecret: 'secret' })`,
  core: `new m.HttpTransport({ vendor: 'kf5', baseUrl: 'https://demo.kf5.com/apiv2' })`,
};

function once(file: string, format: 'esm' | 'cjs', firstClient?: string): number {
  const then = firstClient ? `${firstClient};` : '';
  const script =
    format === 'cjs'
      ? `const t=performance.now();const m=require(${JSON.stringify(file)});${then}process.stdout.write(String(performance.now()-t))`
      : `const t=performance.now();const m=await import(${JSON.stringify(pathToFileURL(file).href)});${then}process.stdout.write(String(performance.now()-t))`;
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
      withClient: [] as number[],
    })),
  );
  for (const t of targets) once(t.file, t.format); // warm the file system cache once, untimed
  for (let i = 0; i < opts.processes; i++) {
    const order = i % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) {
      t.samples.push(once(t.file, t.format));
      t.withClient.push(once(t.file, t.format, FIRST_CLIENT[t.pkg]));
    }
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
      withFirstClientMedianMs: round(median(t.withClient), 1),
    })),
  };
}
