#!/usr/bin/env node
'use strict';
if (process.argv.length <= 2) process.argv.push('--stdio');
require('../out/server/src/lsp/main.js');
