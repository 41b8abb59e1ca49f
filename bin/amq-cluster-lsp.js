#!/usr/bin/env node
'use strict';
if (process.argv.length <= 2) process.argv.push('--stdio');
require('../server/out/lsp/main.js');
