#!/usr/bin/env node
'use strict';
// The bundled CLI (dist/cli.js, one file: fast start-up); the tsc output when no bundle was built.
const fs = require('fs');
const path = require('path');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (fs.existsSync(bundle)) require(bundle);
else
  require('../out/server/src/cli/main.js').main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => { process.stderr.write(`amq-cluster-lint: internal error: ${(err && err.stack) || err}\n`); process.exitCode = 2; }
  );
