#!/usr/bin/env node
'use strict';
// The bundled CLI (dist/cli.js, one file: fast start-up), compiled with the V8 code cache in
// dist/cli.cache when there is one (written by `npm run build`; saves most of the compile time);
// the tsc output when no bundle was built.
const fs = require('fs');
const path = require('path');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (fs.existsSync(bundle)) runBundle(bundle, path.join(__dirname, '..', 'dist', 'cli.cache'));
else
  require('../out/server/src/cli/main.js').main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => { process.stderr.write(`amq-cluster-lint: internal error: ${(err && err.stack) || err}\n`); process.exitCode = 2; }
  );

function runBundle(file, cacheFile) {
  const vm = require('vm');
  const Module = require('module');
  const source = fs.readFileSync(file, 'utf8');
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache: compile as usual
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  // AMQ_CLUSTER_LINT_WRITE_CODE_CACHE=1 (the build) writes the cache after a run, with every function that run compiled
  if (process.env.AMQ_CLUSTER_LINT_WRITE_CODE_CACHE === '1') {
    process.on('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    });
  }
  const mod = { exports: {}, id: file, filename: file, loaded: false };
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
}
