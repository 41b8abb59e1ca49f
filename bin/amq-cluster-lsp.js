#!/usr/bin/env node
'use strict';
// `amq-cluster-lsp --stdio` (default), `--node-ipc` or `--socket=N`: the bundled server when built.
const fs = require('fs');
const path = require('path');
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    [
      'usage: amq-cluster-lsp [--stdio | --node-ipc | --socket=PORT]',
      '',
      'The ActiveMQ / ZooKeeper cluster language server (LSP). An editor starts it and talks to it over',
      'standard input and output (--stdio, the default), Node IPC or a socket. Settings: amqCluster.*',
      "(workspace/configuration) over the repository's .amq-cluster.json. See README.md.",
      '  -v, --version   print the version',
      '  -h, --help      print this help',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
if (args.includes('--version') || args.includes('-v')) {
  let version = '0.0.0';
  try {
    version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
  } catch {
    // a copy without package.json
  }
  process.stdout.write(version + '\n');
  process.exit(0);
}
if (process.argv.length <= 2) process.argv.push('--stdio');
const bundle = path.join(__dirname, '..', 'dist', 'server.js');
require(fs.existsSync(bundle) ? bundle : '../out/server/src/lsp/main.js');
