// Bundles the VS Code extension (client) and the language server into dist/, and the CLI into
// dist/cli.js: one file each, so start-up loads nothing else.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node18', format: 'cjs', sourcemap: true, minify: process.argv.includes('--minify'), logLevel: 'warning',
  // jsonc-parser's UMD entry requires its modules dynamically, which a bundle cannot resolve: use its ES build
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' } };
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.js' }),
]);
// dist/cli.cache: V8 code cache of the CLI bundle (bin/amq-cluster-lint.js uses it when V8 accepts it)
await import('./scripts/code-cache.mjs');
