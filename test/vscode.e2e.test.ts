/**
 * Real VS Code: code-server 4.100.3 with the packaged .vsix installed, driven by Debian Chromium
 * through playwright-core. Needs scripts/ensure-tools.sh (npm test runs it first); a missing tool
 * fails the test, it never skips.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test-output', 'vscode');
const CODE_SERVER = path.join(ROOT, '.cache', 'code-server', 'node_modules', '.bin', 'code-server');
const CHROMIUM = '/usr/bin/chromium';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitHttp(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
}

async function problemsText(page: Page): Promise<string> {
  return (await page.locator('.markers-panel').innerText().catch(() => '')) ?? '';
}

describe('real VS Code (code-server + Chromium)', function () {
  this.timeout(300000);
  let tmp: string;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let vsix: string;

  before(() => {
    assert.ok(fs.existsSync(CODE_SERVER), `code-server is installed at ${CODE_SERVER} (run scripts/ensure-tools.sh)`);
    assert.ok(fs.existsSync(CHROMIUM), 'Debian chromium is installed (run scripts/ensure-tools.sh)');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-e2e-'));
    vsix = path.join(tmp, 'amq-cluster-tools.vsix');
    const pkg = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', vsix], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pkg.status, 0, pkg.stdout + pkg.stderr);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('packages a .vsix without sources or dev dependencies', () => {
    const list = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    const files = list.stdout.trim().split('\n');
    assert.ok(files.includes('extension/dist/extension.js') && files.includes('extension/dist/server.js'));
    assert.ok(files.includes('extension/syntaxes/zoocfg.tmLanguage.json') && files.includes('extension/docs/rules/port-conflict.md'));
    for (const f of files) {
      assert.ok(!/\.ts$|\.map$|node_modules\/|\/src\/|\/test\//.test(f), `vsix ships ${f}`);
    }
  });

  it('shows the example cross-node problems and applies a port-conflict quick fix through the UI', async () => {
    const home = path.join(tmp, 'home');
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'c'), XDG_DATA_HOME: path.join(home, 'd'), XDG_CACHE_HOME: path.join(home, 'k') };
    const ud = path.join(tmp, 'user-data');
    const ext = path.join(tmp, 'extensions');
    const inst = spawnSync(CODE_SERVER, ['--user-data-dir', ud, '--extensions-dir', ext, '--install-extension', vsix, '--force'], { env, encoding: 'utf8', timeout: 120000 });
    assert.equal(inst.status, 0, inst.stdout + inst.stderr);
    // a settings file: no trust prompt, no welcome page, problems in a stable order
    fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(ud, 'User', 'settings.json'),
      JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'workbench.tips.enabled': false, 'editor.lightbulb.enabled': 'on' }),
    );
    const ws = path.join(tmp, 'examples');
    fs.cpSync(path.join(ROOT, 'examples'), ws, { recursive: true });
    const port = await freePort();
    server = spawn(
      CODE_SERVER,
      ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', ud, '--extensions-dir', ext, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', ws],
      { env, stdio: 'ignore' },
    );
    await waitHttp(`http://127.0.0.1:${port}/healthz`, 60000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForTimeout(3000);
    await shot(page, '0-workbench');
    // open zk03's zoo.cfg through Quick Open
    const openFile = async (rel: string) => {
      await page.keyboard.press('Control+P');
      await page.waitForSelector('.quick-input-widget input', { timeout: 20000 });
      await page.keyboard.type(rel, { delay: 10 });
      await page.waitForTimeout(800);
      await page.keyboard.press('Enter');
      await page.waitForSelector('.monaco-editor .view-lines', { timeout: 20000 });
    };
    await openFile('myzookeeper/zk03/conf/zoo.cfg');
    // the problems panel lists the cross-node findings of every node, opened or not; the list is
    // virtualised, so each code is looked up through the panel's filter box
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel', { timeout: 20000 });
    const filter = page.locator('.viewpane-filter input').first();
    const listed = async (code: string, present: boolean, ms: number): Promise<string> => {
      await filter.fill(code);
      const deadline = Date.now() + ms;
      let t = '';
      while (Date.now() < deadline) {
        t = await problemsText(page);
        if (t.includes(code) === present) break;
        await page.waitForTimeout(500);
      }
      return t;
    };
    const codes = ['port-conflict', 'zk-myid-missing', 'broker-name-mismatch', 'zk-address-mismatch'];
    for (const c of codes) {
      const t = await listed(c, true, 90000);
      assert.ok(t.includes(c), `Problems panel lists ${c}:\n${t}`);
      if (c === 'broker-name-mismatch') assert.ok(t.includes('mq_node02'), 'problems of unopened broker files are listed');
    }
    await filter.fill('');
    await page.waitForTimeout(500);
    await shot(page, '1-problems');
    // the cluster view in the Explorer: clusters -> nodes with hosts, roles and problem counts
    const header = page.locator('.pane-header').filter({ hasText: /ActiveMQ Clusters/i }).first();
    await header.waitFor({ timeout: 30000 });
    // make room: collapse the folder tree and hide the panel
    const folderHeader = page.locator('.pane-header').filter({ hasText: /^examples/i }).first();
    if ((await folderHeader.getAttribute('aria-expanded')) === 'true') await folderHeader.click();
    await page.keyboard.press('Control+J');
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const tree = page.locator('.pane').filter({ has: header }).first();
    let treeText = '';
    for (let i = 0; i < 60 && !/ZooKeeper zk01, zk02, zk03/.test(treeText); i++) {
      await page.waitForTimeout(500);
      treeText = await tree.innerText().catch(() => '');
    }
    await shot(page, '2-cluster-view');
    assert.match(treeText, /ZooKeeper zk01, zk02, zk03/);
    assert.match(treeText, /3 of 3 nodes, quorum 2, tolerates 1 failure/);
    assert.match(treeText, /replicated LevelDB 'zzyymg'/);
    assert.match(treeText, /cannot reach quorum/);
    await page.keyboard.press('Control+J');
    await page.locator('.monaco-editor .view-lines').first().click();
    // put the cursor on zk03's clientPort (line 12) and ask for quick fixes with Ctrl+.
    await page.keyboard.press('Control+G');
    await page.keyboard.type('12:13');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    await page.waitForSelector('.action-widget, .context-view .monaco-list', { timeout: 20000 });
    await shot(page, '3-quick-fix-menu');
    // choose the port-conflict fix with the keyboard, as a user would
    const focused = page.locator('.action-widget .monaco-list-row.focused, .context-view .monaco-list-row.focused').first();
    for (let i = 0; i < 10 && !((await focused.getAttribute('aria-label').catch(() => '')) ?? '').includes('next free port'); i++) {
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(150);
    }
    assert.match((await focused.getAttribute('aria-label')) ?? '', /Change zk03's clientPort to 2193/);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+S');
    // the port-conflict leaves the panel, the other problems stay
    const after = await listed('port-conflict', false, 60000);
    const remaining = await listed('broker-name-mismatch', true, 10000);
    await filter.fill('');
    await page.waitForTimeout(500);
    await shot(page, '4-after-fix');
    assert.ok(!after.includes('port-conflict'), `port-conflict is gone:\n${after}`);
    assert.ok(remaining.includes('broker-name-mismatch'), 'other problems remain');
    assert.match(fs.readFileSync(path.join(ws, 'myzookeeper/zk03/conf/zoo.cfg'), 'utf8'), /clientPort=2193/);
  });
});
