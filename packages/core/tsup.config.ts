import { packageBuild } from '../../tsup.base';

// shims: import.meta.url in the CJS build (axios is loaded through createRequire)
export default packageBuild(['src/index.ts'], { shims: true });
