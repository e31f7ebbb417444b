import { defineConfig, type Options } from 'tsup';

/** The one build every package uses: ESM + CJS + .d.ts/.d.cts for Node 20, from its own entries. */
export function packageBuild(entry: string[] = ['src/index.ts'], extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    tsconfig: '../../tsconfig.base.json',
    ...extra,
  });
}
