import { packageBuild } from '../../tsup.base';

export default packageBuild(['src/index.ts', 'src/cli.ts'], { external: ['better-sqlite3', 'pg'] });
