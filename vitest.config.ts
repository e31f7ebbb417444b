import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkgs = ['core', 'udesk', 'kf5', 'huawei-aicc', 'migrate', 'testkit', 'scim', 'redis'];

// Tests import the packages by name; alias them to source so a test run needs no build step
// (the packaging tests that need dist/ build it themselves via the root `test` script).
export default defineConfig({
  resolve: {
    alias: pkgs.map((p) => ({
      find: new RegExp(`^@contactkit/${p}$`),
      replacement: fileURLToPath(new URL(`./packages/${p}/src/index.ts`, import.meta.url)),
    })),
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
