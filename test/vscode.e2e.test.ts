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
import { analyze } from '../server/src/core/analyze';
import { readWorkspaceSync } from '../server/src/io/walk';

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

/** A ZooKeeper that shares nothing with the examples' cluster: edits to it re-analyse it alone. */
const LAB = 'lab/zk/conf/zoo.cfg';
const LAB_TEXT = 'tickTime=2000\ndataDir=/var/lib/zookeeper\nclientPort=2400\nadmin.enableServer=false\n';

describe('real VS Code (code-server + Chromium)', function () {
  this.timeout(300000);
  let tmp: string;
  let ws: string;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let vsix: string;

  before(() => {
    assert.ok(fs.existsSync(CODE_SERVER), `code-server is installed at ${CODE_SERVER} (run scripts/ensure-tools.sh)`);
    assert.ok(fs.existsSync(CHROMIUM), 'Debian chromium is installed (run scripts/ensure-tools.sh)');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-e2e-'));
    vsix = path.join(tmp, 'amq-cluster-tools.vsix');
    const pkg = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], { cwd: ROOT, encoding: 'utf8' });
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

  // --- what a user does, through the keyboard

  const openFile = async (rel: string) => {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { timeout: 20000 });
    await page.keyboard.type(rel, { delay: 10 });
    // the file search answers late on a busy machine: wait for the file among the results
    const name = path.basename(rel);
    const dir = path.basename(path.dirname(rel));
    await page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ hasText: name })
      .filter({ hasText: dir })
      .first()
      .waitFor({ timeout: 30000 });
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 20000 });
    await page.waitForTimeout(500);
  };
  const goTo = async (line: number, column: number) => {
    await page.keyboard.press('Control+G');
    await page.keyboard.type(`${line}:${column}`);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
  };
  /** Runs a command from the palette by its title. */
  const runCommand = async (title: string) => {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { timeout: 20000 });
    await page.keyboard.type(title, { delay: 10 });
    await page.waitForTimeout(800);
    await page.keyboard.press('Enter');
  };
  /** Chooses the quick-fix menu entry whose label matches, with the arrow keys. */
  const chooseQuickFix = async (label: RegExp) => {
    await page.keyboard.press('Control+.');
    await page.waitForSelector('.action-widget, .context-view .monaco-list', { timeout: 20000 });
    const focused = page.locator('.action-widget .monaco-list-row.focused, .context-view .monaco-list-row.focused').first();
    for (let i = 0; i < 12 && !label.test((await focused.getAttribute('aria-label').catch(() => '')) ?? ''); i++) {
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(150);
    }
    assert.match((await focused.getAttribute('aria-label')) ?? '', label);
    await page.keyboard.press('Enter');
  };
  /** The error and warning counts of the status bar's problems entry. */
  const statusCounts = async (): Promise<{ errors: number; warnings: number; text: string }> => {
    const item = page.locator('#status\\.problems').first();
    const text = [(await item.getAttribute('aria-label').catch(() => '')) ?? '', (await item.innerText().catch(() => '')) ?? ''].join(' | ');
    // the label leaves out a kind that has none ("Errors: 2, Infos: 7")
    const n = (re: RegExp) => (/\d/.test(text) ? Number(re.exec(text)?.[1] ?? 0) : NaN);
    return { errors: n(/Errors?:\s*(\d+)/i), warnings: n(/Warnings?:\s*(\d+)/i), text };
  };
  /** The CLI's counts over the workspace as it is on disk. */
  const cliCounts = () => {
    const res = analyze(readWorkspaceSync(ws).snapshot);
    return { errors: res.findings.filter((f) => f.severity === 'error').length, warnings: res.findings.filter((f) => f.severity === 'warning').length, findings: res.findings };
  };
  const activeTab = async () => (await page.locator('.tabs-container .tab.active').first().getAttribute('aria-label').catch(() => '')) ?? '';

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
    ws = path.join(tmp, 'examples');
    fs.cpSync(path.join(ROOT, 'examples'), ws, { recursive: true });
    fs.mkdirSync(path.dirname(path.join(ws, LAB)), { recursive: true });
    fs.writeFileSync(path.join(ws, LAB), LAB_TEXT);
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
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForTimeout(3000);
    await shot(page, '0-workbench');
    // open zk03's zoo.cfg through Quick Open
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
    // choose the port-conflict fix with the keyboard, as a user would
    await chooseQuickFix(/Change zk03's clientPort to 2193/);
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

  it('creates the missing myid from its quick fix and shows it', async () => {
    await openFile('myzookeeper/zk03/conf/zoo.cfg');
    const lines = fs.readFileSync(path.join(ws, 'myzookeeper/zk03/conf/zoo.cfg'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.startsWith('dataDir=')) + 1;
    await goTo(line, 10);
    await chooseQuickFix(/Create myzookeeper\/zk03\/data\/myid with id 3/);
    let tab = '';
    for (let i = 0; i < 40 && !/^myid\b/.test(tab); i++) {
      await page.waitForTimeout(250);
      tab = await activeTab();
    }
    await shot(page, '5-myid-shown');
    assert.match(tab, /^myid\b/, `the created file is the active editor (active tab: ${tab})`);
    // saved as a user saves what a fix wrote (a no-op when the editor saved it already)
    await page.keyboard.press('Control+S');
    const myid = path.join(ws, 'myzookeeper/zk03/data/myid');
    for (let i = 0; i < 20 && (!fs.existsSync(myid) || fs.readFileSync(myid, 'utf8') !== '3\n'); i++) await page.waitForTimeout(250);
    assert.equal(fs.readFileSync(myid, 'utf8'), '3\n');
  });

  it('fills a snippet in a new node folder with this workspace\'s values after an edit in another cluster', async () => {
    // a new node folder, as a copy or a file manager makes it
    const node4 = path.join(ws, 'mq_cluster/mq_node04/conf/activemq.xml');
    fs.mkdirSync(path.dirname(node4), { recursive: true });
    fs.writeFileSync(node4, '<beans xmlns="http://www.springframework.org/schema/beans">\n  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="zzyymq">\n    \n  </broker>\n</beans>\n');
    await page.waitForTimeout(1500);
    await openFile('mq_cluster/mq_node04/conf/activemq.xml');
    // an edit in a cluster of its own
    await openFile(LAB);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('maxClientCnxns=60\n', { delay: 20 });
    await page.waitForTimeout(1500);
    await openFile('mq_cluster/mq_node04/conf/activemq.xml');
    await goTo(3, 5);
    await page.keyboard.type('replicatedLevelDB', { delay: 20 });
    await page.keyboard.press('Control+Space');
    const row = page.locator('.suggest-widget .monaco-list-row.focused').first();
    await row.waitFor({ timeout: 20000 });
    for (let i = 0; i < 10 && !/replicatedLevelDB store|replicatedLevelDB, /.test((await row.getAttribute('aria-label').catch(() => '')) ?? ''); i++) {
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(150);
    }
    await shot(page, '6-snippet');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+S');
    let text = '';
    for (let i = 0; i < 20 && !text.includes('zkAddress'); i++) {
      await page.waitForTimeout(250);
      text = fs.readFileSync(node4, 'utf8');
    }
    // zk01..zk03's client ports (zk03's repeats zk02's until the first test's fix is saved)
    assert.match(text, /zkAddress="localhost:2191,localhost:2192(,localhost:2193)?"/, text);
    assert.match(text, /hostname="zzyymq-server"/);
    assert.match(text, /bind="tcp:\/\/0\.0\.0\.0:63634"/);
    assert.match(text, /replicas="4"/);
  });

  it('"New cluster..." next to the existing cluster on the same host: new folders analysed, nothing reused, nothing new to fix', async () => {
    fs.mkdirSync(path.join(ws, 'newcluster'));
    const before = cliCounts();
    await runCommand('ActiveMQ Cluster: New cluster');
    const answer = async (value: string | undefined) => {
      await page.waitForSelector('.quick-input-widget input', { timeout: 20000 });
      await page.waitForTimeout(400);
      if (value !== undefined) {
        await page.keyboard.press('Control+A');
        await page.keyboard.type(value, { delay: 10 });
        await page.waitForTimeout(400);
      }
      await page.keyboard.press('Enter');
    };
    await answer('replicated-leveldb');
    await answer(undefined); // 3 brokers
    await answer('one-host');
    await answer(undefined); // 5.16.7
    await answer(undefined); // localhost
    // the folder dialog (a quick input in code-server): type the folder, then accept it
    await answer(path.join(ws, 'newcluster') + '/');
    await page.waitForTimeout(800);
    await shot(page, '7-folder-dialog');
    const ok = page.locator('.quick-input-widget .monaco-button').filter({ hasText: /Generate here/ }).first();
    if (await ok.isVisible().catch(() => false)) await ok.click();
    const zk1 = path.join(ws, 'newcluster/zk1/conf/zoo.cfg');
    for (let i = 0; i < 40 && !fs.existsSync(path.join(ws, 'newcluster/client/application.properties')); i++) await page.waitForTimeout(250);
    assert.ok(fs.existsSync(zk1), 'the cluster was written');
    // its ports: none of the existing cluster's on this host
    const zoo = fs.readFileSync(zk1, 'utf8');
    const broker = fs.readFileSync(path.join(ws, 'newcluster/broker1/conf/activemq.xml'), 'utf8');
    assert.doesNotMatch(zoo, /:(2888|2889|2890):|clientPort=(2191|2192|2193)\n|admin\.serverPort=(8081|8082|8083)\n/, zoo);
    assert.doesNotMatch(broker, /:(61616|61617|61618)\?|:(63631|63632|63633)"/);
    // the CLI: nothing in the new cluster to fix, nothing new elsewhere
    const after = cliCounts();
    assert.deepEqual(after.findings.filter((f) => f.file.startsWith('newcluster/') && (f.severity === 'error' || f.severity === 'warning')).map((f) => `${f.file} ${f.code}`), []);
    assert.deepEqual([after.errors, after.warnings], [before.errors, before.warnings]);
    // the editor agrees without a reload or "Lint the whole workspace": the new files were analysed
    let counts = await statusCounts();
    for (let i = 0; i < 40 && (counts.errors !== after.errors || counts.warnings !== after.warnings); i++) {
      await page.waitForTimeout(250);
      counts = await statusCounts();
    }
    await shot(page, '8-new-cluster');
    assert.deepEqual([counts.errors, counts.warnings], [after.errors, after.warnings], `status bar: ${counts.text}`);
    // and the new cluster's nodes are in the cluster view's data as their own ensemble
    await page.keyboard.press('Control+Shift+M');
    const filter = page.locator('.viewpane-filter input').first();
    await filter.fill('newcluster');
    await page.waitForTimeout(1000);
    const listed = await problemsText(page);
    await filter.fill('');
    assert.doesNotMatch(listed, /port-conflict|zk-ensemble-mismatch|zk-address-mismatch|broker-name-mismatch/, listed);
  });
});
