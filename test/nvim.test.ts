/** Neovim 0.7 (Debian `neovim`), headless, as a second and independent LSP client. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyze } from '../server/src/core/analyze';
import { readWorkspace } from '../server/src/io/walk';
import { LineIndex } from '../server/src/core/text';

const ROOT = path.resolve(__dirname, '..', '..');

describe('Neovim 0.7 headless gets the same diagnostics as the CLI', function () {
  this.timeout(60000);

  it('for the example workspace', async () => {
    const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    assert.equal(nvim.status, 0, 'nvim is installed (scripts/ensure-tools.sh installs Debian neovim)');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-nvim-'));
    try {
      const ws = path.join(tmp, 'examples');
      fs.cpSync(path.join(ROOT, 'examples'), ws, { recursive: true });
      const { snapshot } = await readWorkspace(ws);
      const expected = analyze(snapshot).findings;
      const files = new Set(expected.map((f) => f.file));
      const out = path.join(tmp, 'diagnostics.json');
      const xdg = (n: string) => path.join(tmp, n);
      const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(ROOT, 'test', 'nvim', 'init.lua'), path.join(ws, 'myzookeeper/zk01/conf/zoo.cfg')], {
        encoding: 'utf8',
        timeout: 45000,
        env: {
          ...process.env,
          XDG_CONFIG_HOME: xdg('config'),
          XDG_DATA_HOME: xdg('data'),
          XDG_CACHE_HOME: xdg('cache'),
          XDG_STATE_HOME: xdg('state'),
          AMQ_ROOT: ws,
          AMQ_SERVER: path.join(ROOT, 'bin', 'amq-cluster-lsp.js'),
          AMQ_EXPECT_FILES: String(files.size),
          AMQ_OUT: out,
        },
      });
      assert.ok(fs.existsSync(out), `nvim wrote its diagnostics (status ${r.status}, stderr ${r.stderr})`);
      const got = JSON.parse(fs.readFileSync(out, 'utf8')) as { file: string; line: number; col: number; code: string }[];
      const norm = (file: string, line: number, col: number, code: string) => `${file}:${line}:${col} ${code}`;
      const want = expected.map((f) => {
        const p = new LineIndex(snapshot.get(f.file)!).position(f.span.start);
        return norm(f.file, p.line, p.character, f.code);
      });
      const have = got.map((d) => norm(path.relative(ws, d.file).split(path.sep).join('/'), d.line, d.col, d.code));
      assert.deepEqual(have.sort(), want.sort());
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
