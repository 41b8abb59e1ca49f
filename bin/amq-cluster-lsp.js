#!/usr/bin/env node
'use strict';
// `amq-cluster-lsp --stdio` (default), `--node-ipc` or `--socket=N`: the bundled server when built.
const fs = require('fs');
const path = require('path');
if (process.argv.length <= 2) process.argv.push('--stdio');
const bundle = path.join(__dirname, '..', 'dist', 'server.js');
require(fs.existsSync(bundle) ? bundle : '../out/server/src/lsp/main.js');
