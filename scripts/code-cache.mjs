// Writes dist/cli.cache: the V8 code cache of dist/cli.js after linting the example workspace, so
// that the functions a lint runs are cached too. V8 checks the cache against its version and the
// source; a stale or foreign cache is ignored (the CLI then compiles as usual).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('dist/cli.cache', { force: true });
const r = spawnSync(process.execPath, ['bin/amq-cluster-lint.js', '--format', 'json', 'examples'], {
  env: { ...process.env, AMQ_CLUSTER_LINT_WRITE_CODE_CACHE: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (r.status !== 0 && r.status !== 1) {
  console.error(`code cache: the CLI exited with ${r.status}`);
  process.exit(1);
}
