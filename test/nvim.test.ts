/**
 * Neovim 0.7 (Debian `neovim`), headless, as a second and independent LSP client, set up with the
 * README's `init.lua` snippet: buffer switches keep one server, diagnostics match the CLI's (none
 * duplicated, none stale after a fix), and the myid quick fix leaves the file ZooKeeper expects.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyze } from '../server/src/core/analyze';
import { readWorkspace } from '../server/src/io/walk';
import { LineIndex } from '../server/src/core/text';

const ROOT = path.resolve(__dirname, '..', '..');

/** The README's Neovim set-up, pointing at this checkout. */
function readmeSetup(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```lua\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes('amq-cluster-lsp'));
  assert.ok(block, 'README.md has a Lua set-up for Neovim');
  assert.ok(block.includes('/path/to/amq-cluster-tools'), 'the set-up names the install path');
  return block.split('/path/to/amq-cluster-tools').join(ROOT);
}

interface NvimResult {
  clients: number;
  diagnostics: { file: string; line: number; col: number; code: string }[];
  myid_lines?: string[];
  log: string[];
}

describe('Neovim 0.7 headless with the README set-up', function () {
  this.timeout(90000);

  it('keeps one server over buffer switches, shows the CLI\'s diagnostics once, and creates a clean myid', async () => {
    const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    assert.equal(nvim.status, 0, 'nvim is installed (scripts/ensure-tools.sh installs Debian neovim)');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-nvim-'));
    try {
      const ws = path.join(tmp, 'examples');
      fs.cpSync(path.join(ROOT, 'examples'), ws, { recursive: true });
      const { snapshot } = await readWorkspace(ws);
      const files = new Set(analyze(snapshot).findings.map((f) => f.file));
      // what the workspace looks like once the init script fixed zk03's clientPort in its buffer
      const zk3 = 'myzookeeper/zk03/conf/zoo.cfg';
      snapshot.set(zk3, snapshot.get(zk3)!.replace('clientPort=2192', 'clientPort=2193'));
      const expected = analyze(snapshot).findings;
      const setup = path.join(tmp, 'setup.lua');
      fs.writeFileSync(setup, readmeSetup());
      const out = path.join(tmp, 'result.json');
      const xdg = (n: string) => path.join(tmp, n);
      const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(ROOT, 'test', 'nvim', 'init.lua')], {
        encoding: 'utf8',
        timeout: 75000,
        cwd: ws,
        env: {
          ...process.env,
          XDG_CONFIG_HOME: xdg('config'),
          XDG_DATA_HOME: xdg('data'),
          XDG_CACHE_HOME: xdg('cache'),
          XDG_STATE_HOME: xdg('state'),
          AMQ_ROOT: ws,
          AMQ_SETUP: setup,
          AMQ_EXPECT_FILES: String(files.size),
          AMQ_OUT: out,
        },
      });
      assert.ok(fs.existsSync(out), `nvim wrote its result (status ${r.status}, stderr ${r.stderr})`);
      const got = JSON.parse(fs.readFileSync(out, 'utf8')) as NvimResult;
      assert.equal(got.clients, 1, `one amq-cluster client after the buffer switches (${got.log.join('; ')})`);
      const norm = (file: string, line: number, col: number, code: string) => `${file}:${line}:${col} ${code}`;
      const want = expected.map((f) => {
        const p = new LineIndex(snapshot.get(f.file)!).position(f.span.start);
        return norm(f.file, p.line, p.character, f.code);
      });
      const have = got.diagnostics.map((d) => norm(path.relative(ws, d.file).split(path.sep).join('/'), d.line, d.col, d.code));
      assert.deepEqual(have.sort(), want.sort(), got.log.join('; '));
      // the quick fix's buffer holds the id alone, and the file it saves is what ZooKeeper reads
      assert.deepEqual(got.myid_lines, ['3'], got.log.join('; '));
      assert.equal(fs.readFileSync(path.join(ws, 'myzookeeper/zk03/data/myid'), 'utf8'), '3\n');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
