/**
 * Hostile workspaces: each attack of issue 15 that lives below the language server, as a small
 * generated input. The CLI finishes within a generous time, stays under a memory bound, never
 * reads or writes outside the workspace (a sentinel outside the tree never appears in any output,
 * nothing outside the tree changes), and names like `__proto__` are plain names.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { analyze } from '../server/src/core/analyze';
import { compileGlobList } from '../server/src/core/glob';
import { normalizeSettings } from '../server/src/core/options';
import { applyEdits, detectEol } from '../server/src/core/text';
import { suppressionsIn, isSuppressed } from '../server/src/core/suppress';
import { suppressionEdit } from '../server/src/core/suppress-action';
import { toWorkspaceEdit, Ranges } from '../server/src/lsp/convert';
import { listWorkspaceSync, readFileContainedSync, readRegularFile, readWorkspaceSync } from '../server/src/io/walk';
import { decodeBytes, encodeText } from '../server/src/io/decode';
import { MAX_FINDINGS_PER_RULE_AND_FILE, MAX_QUOTED, clampMessage } from '../server/src/core/bounds';
import type { Finding } from '../server/src/core/types';
import { snapshotTree } from './tree-util';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'amq-cluster-lint.js');
const SENTINEL = 'SENTINEL-7f3a9c-never-in-output';

const BROKER = (name: string, port: number, extra = '') =>
  `<beans>\n  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="${name}"${extra}>\n    <transportConnectors>\n      <transportConnector name="openwire" uri="tcp://0.0.0.0:${port}"/>\n    </transportConnectors>\n  </broker>\n</beans>\n`;
const ZOO = (id: number) => `tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/var/zk${id}/data\nclientPort=${2180 + id}\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n`;

function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [p, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), t);
  }
}


interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  maxRssKb: number;
}

/** The CLI as a process, killed after `timeoutMs`; peak RSS from /usr/bin/time when present. */
function cli(args: string[], timeoutMs = 60000): Promise<Run> {
  const time = fs.existsSync('/usr/bin/time');
  const cmd = time ? '/usr/bin/time' : process.execPath;
  const argv = time ? ['-f', 'MAXRSS %M', process.execPath, BIN, ...args] : [BIN, ...args];
  return new Promise((resolve) => {
    const t = performance.now();
    const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const m = /MAXRSS (\d+)/.exec(stderr);
      resolve({ code, signal, stdout, stderr: stderr.replace(/MAXRSS \d+\n?/, ''), ms: performance.now() - t, maxRssKb: m ? Number(m[1]) : 0 });
    });
  });
}

describe('hostile workspaces', function () {
  this.timeout(180000);
  let base: string;
  let ws: string;
  let outside: string;
  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-hostile-'));
    ws = path.join(base, 'ws');
    outside = path.join(base, 'outside');
    write(outside, { 'zoo.cfg': `${SENTINEL}=1\nserver.1=${SENTINEL}:1:2\n`, 'activemq.xml': `<broker brokerName="${SENTINEL}"/>`, 'conf/zoo.cfg': `${SENTINEL}\n`, 'data/keep.txt': 'keep' });
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  describe('containment of the reader', () => {
    let tree: string;
    before(() => {
      tree = path.join(base, 'contain');
      write(tree, {
        'n1/conf/activemq.xml': BROKER('a', 61616),
        'zk1/conf/zoo.cfg': ZOO(1),
        'zk1/data/myid': '1\n',
      });
      fs.symlinkSync('/', path.join(tree, 'rootlink'));
      fs.symlinkSync('.', path.join(tree, 'loop'));
      fs.symlinkSync(path.join(outside), path.join(tree, 'outdir'));
      fs.mkdirSync(path.join(tree, 'n2/conf'), { recursive: true });
      fs.symlinkSync(path.join(outside, 'activemq.xml'), path.join(tree, 'n2/conf/activemq.xml'));
      fs.mkdirSync(path.join(tree, 'zk2/conf'), { recursive: true });
      fs.symlinkSync(path.join(outside, 'conf'), path.join(tree, 'zk2/conf2'));
      fs.symlinkSync('../../zk1/conf/zoo.cfg', path.join(tree, 'zk2/conf/zoo.cfg')); // inside: the same file twice
      fs.symlinkSync('n1', path.join(tree, 'n1-again'));
      fs.symlinkSync('missing', path.join(tree, 'zoo.cfg'));
      fs.mkdirSync(path.join(tree, 'fifo/conf'), { recursive: true });
      spawnSync('mkfifo', [path.join(tree, 'fifo/conf/zoo.cfg')]);
      fs.mkdirSync(Buffer.concat([Buffer.from(path.join(tree, 'bad')), Buffer.from([0xff, 0xfe])]));
      fs.mkdirSync(path.join(tree, 'node_modules/x/conf'), { recursive: true });
      fs.writeFileSync(path.join(tree, 'node_modules/x/conf/zoo.cfg'), ZOO(9));
      fs.mkdirSync(path.join(tree, 'locked/conf'), { recursive: true });
      fs.writeFileSync(path.join(tree, 'locked/conf/zoo.cfg'), ZOO(4));
      fs.chmodSync(path.join(tree, 'locked/conf/zoo.cfg'), 0);
    });

    it('walks only the workspace: links out are skipped and reported, loops and second paths read once, FIFOs not opened', () => {
      const t = performance.now();
      const r = readWorkspaceSync(tree);
      assert.ok(performance.now() - t < 10000, 'a link to / does not walk the file system');
      assert.ok(!JSON.stringify([...r.snapshot]).includes(SENTINEL), 'nothing from outside the workspace is read');
      const keys = [...r.snapshot.keys()];
      assert.ok(keys.includes('n1/conf/activemq.xml') && keys.includes('zk1/conf/zoo.cfg'));
      assert.ok(!keys.some((k) => k.startsWith('n1-again/') || k.startsWith('loop/') || k === 'zk2/conf/zoo.cfg'), keys.join(', '));
      const why = new Map(r.skipped.map((s) => [s.file, s.reason]));
      assert.equal(why.get('rootlink'), 'symlink-outside');
      assert.equal(why.get('outdir'), 'symlink-outside');
      assert.equal(why.get('zk2/conf2'), 'symlink-outside');
      assert.equal(why.get('n2/conf/activemq.xml'), 'symlink-outside');
      assert.equal(why.get('loop'), 'duplicate');
      assert.equal(why.get('n1-again'), 'duplicate');
      assert.equal(why.get('zk2/conf/zoo.cfg'), 'duplicate');
      assert.equal(why.get('zoo.cfg'), 'symlink-broken');
      assert.equal(why.get('fifo/conf/zoo.cfg'), 'not-regular');
      assert.equal(why.get('node_modules'), 'folder-rule');
      assert.ok(r.skipped.some((s) => s.reason === 'unreadable-name' && s.file.startsWith('bad')), 'a name that is not UTF-8 is reported');
      if (process.getuid?.() !== 0) assert.equal(why.get('locked/conf/zoo.cfg'), 'unreadable');
    });

    it('a FIFO swapped in between the walk and the read does not block', () => {
      const dir = path.join(base, 'swap');
      write(dir, { 'zk/conf/zoo.cfg': ZOO(1) });
      const listed = listWorkspaceSync(dir);
      assert.equal(listed.files.length, 1);
      fs.rmSync(path.join(dir, 'zk/conf/zoo.cfg'));
      spawnSync('mkfifo', [path.join(dir, 'zk/conf/zoo.cfg')]);
      const t = performance.now();
      const r = readRegularFile(listed.files[0].abs, 1 << 20);
      assert.ok(performance.now() - t < 5000);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.reason, 'not-regular');
      // a link swapped in is not followed either
      fs.rmSync(path.join(dir, 'zk/conf/zoo.cfg'));
      fs.symlinkSync(path.join(outside, 'zoo.cfg'), path.join(dir, 'zk/conf/zoo.cfg'));
      const l = readRegularFile(listed.files[0].abs, 1 << 20);
      assert.equal(l.ok, false);
    });

    it('readFileContained reads only regular files inside the workspace', () => {
      const ok = readFileContainedSync(tree, 'zk1/conf/zoo.cfg');
      assert.ok(ok.ok && ok.text.includes('clientPort'));
      for (const rel of ['n2/conf/activemq.xml', 'rootlink/etc/passwd', 'outdir/zoo.cfg', '../outside/zoo.cfg', '/etc/passwd', 'zk2/conf2/zoo.cfg']) {
        const r = readFileContainedSync(tree, rel);
        assert.equal(r.ok, false, rel);
        assert.ok(!JSON.stringify(r).includes(SENTINEL), rel);
      }
      const fifo = readFileContainedSync(tree, 'fifo/conf/zoo.cfg');
      assert.equal(!fifo.ok && fifo.reason, 'not-regular');
    });

    it('the CLI finishes on it, quotes nothing from outside, changes nothing outside', async () => {
      const before = snapshotTree(outside);
      const r = await cli(['--format', 'json', tree]);
      assert.equal(r.signal, null, r.stderr);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      assert.ok(!r.stdout.includes(SENTINEL) && !r.stderr.includes(SENTINEL));
      JSON.parse(r.stdout);
      assert.match(r.stderr, /skipped (\S*\/)?rootlink\/: a symbolic link to \/, outside the workspace/);
      assert.match(r.stderr, /skipped (\S*\/)?fifo\/conf\/zoo\.cfg: a FIFO/);
      assert.deepEqual(snapshotTree(outside), before);
    });
  });

  describe('encodings', () => {
    it('keeps a UTF-8 BOM out of the text and records it; decodes UTF-16 with a BOM', () => {
      const xml = BROKER('a', 61616);
      const bom = decodeBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]));
      assert.equal(bom.text, xml);
      assert.equal(bom.bom, true);
      for (const enc of ['utf-16le', 'utf-16be'] as const) {
        const bytes = encodeText(xml, { bom: true, encoding: enc });
        const d = decodeBytes(bytes);
        assert.deepEqual([d.text, d.bom, d.encoding], [xml, true, enc]);
        assert.ok(encodeText(d.text, d).equals(bytes), 'written back byte for byte');
      }
      const invalid = decodeBytes(Buffer.from([0x61, 0xff, 0x62]));
      assert.equal(invalid.invalid, true);
    });

    it('a UTF-16 activemq.xml gives no xml-syntax flood in the CLI', async () => {
      const dir = path.join(base, 'utf16');
      write(dir, { 'n/conf/activemq.xml': encodeText(`<?xml version="1.0" encoding="UTF-16"?>\n${BROKER('a', 61616)}`, { bom: true, encoding: 'utf-16le' }) });
      const r = await cli(['--format', 'json', dir]);
      const json = JSON.parse(r.stdout) as { code: string }[];
      assert.deepEqual(json.filter((f) => f.code === 'xml-syntax'), []);
    });

    it('fix offsets on a BOM file read from disk are the editor buffer offsets (BOM excluded)', () => {
      const dir = path.join(base, 'bomfix');
      const xml = BROKER('alpha', 61616, ' dataDirectory="${activemq.data}"').replace('<transportConnector name="openwire"', '<transportConnector name="openwire"');
      write(dir, { 'a/conf/activemq.xml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml.replace('brokerName="alpha"', 'brokerName="alpha" brokerName="beta"'))]) });
      const r = readWorkspaceSync(dir);
      const text = r.snapshot.get('a/conf/activemq.xml')!;
      assert.ok(!text.startsWith('\ufeff'));
      assert.deepEqual(r.encodings.get('a/conf/activemq.xml'), { bom: true, encoding: 'utf-8' });
      const res = analyze(r.snapshot);
      const dup = res.findings.find((f) => f.code === 'xml-syntax' && /given twice/.test(f.message))!;
      assert.equal(text.slice(dup.span.start, dup.span.end), 'brokerName');
    });
  });

  describe('names and settings', () => {
    const NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', '__defineGetter__'];

    it('node folders, keys and settings named like Object.prototype members are plain names', async () => {
      const files: Record<string, string> = {};
      NAMES.forEach((n, i) => {
        files[`${n}/conf/activemq.xml`] = BROKER(n, 61616 + i, ` dataDirectory="\${${n}}"`).replace('<transportConnectors>', `<${n} ${n}="1"/><transportConnectors>`);
        files[`zk-${n}/${n}/conf/zoo.cfg`] = ZOO(1) + `${n}=1\n`;
        files[`zk-${n}/${n}/data/myid`] = '1\n';
        files[`${n}/application.properties`] = `spring.activemq.broker-url=failover:(tcp://${n}:61616)?${n}=1\n`;
      });
      const snap = new Map(Object.entries(files));
      for (const n of NAMES) {
        const raw = JSON.parse(`{"hostMap": {"${n}": "h", "zk-${n}/${n}": "h"}, "severity": {"${n}": "off", "port-conflict": "${n}"}, "exclude": "${n}/**"}`);
        const { options, warnings } = normalizeSettings(raw);
        assert.ok(warnings.some((w) => w.includes('port-conflict')), 'junk severity is reported');
        const res = analyze(snap, options);
        assert.deepEqual(res.internalErrors, [], n);
        assert.ok(res.model.brokers.length === NAMES.length);
      }
      const dir = path.join(base, 'names');
      write(dir, files);
      const r = await cli(['--format', 'json', dir]);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      assert.doesNotMatch(r.stderr, /internal error/);
    });

    it('settings of any shape give clean options and warnings, never an exception', () => {
      const shapes: unknown[] = [
        null,
        undefined,
        'x',
        42,
        [],
        { exclude: 'backup/**' },
        { exclude: ['a/**', 3, null, { x: 1 }, '**/**/**/**/**/**/**/**/**/**/**/x', '*a*a*a*a*a*a*a*a*a*b'] },
        { exclude: { a: 1 } },
        { severity: 'off' },
        { severity: { 'port-conflict': 'loud', 'zk-even-ensemble': 3, __proto__: 'off' } },
        { hostMap: ['a'] },
        { hostMap: { a: 1, b: { c: 2 }, c: 'ok' } },
        { maxFileSize: 'huge' },
        { maxFileSize: -1 },
        { maxFileSize: '12' },
        { activemqVersion: { v: 1 } },
        { activemqVersion: '5.17' },
        JSON.parse('{"__proto__": {"exclude": ["x"]}, "constructor": 1}'),
      ];
      for (const s of shapes) {
        const n = normalizeSettings(s);
        assert.ok(n.options.severityOverrides instanceof Map && n.options.hostMap instanceof Map);
        for (const v of n.options.severityOverrides.values()) assert.ok(['error', 'warning', 'information', 'hint', 'off'].includes(v));
        for (const v of n.options.hostMap.values()) assert.equal(typeof v, 'string');
        assert.deepEqual(analyze(new Map([['zk/conf/zoo.cfg', ZOO(1)]]), n.options).internalErrors, []);
      }
      assert.equal(normalizeSettings({ maxFileSize: '12' }).options.maxFileSize, 12 * 1024 * 1024);
      assert.equal(normalizeSettings({ hostMap: { c: 'ok', a: 1 } }).options.hostMap.get('c'), 'ok');
      assert.equal(normalizeSettings({ hostMap: { c: 'ok', a: 1 } }).warnings.length, 1);
    });

    it('glob patterns never backtrack for long: the hostile pattern against a deep path', () => {
      const deep = Array.from({ length: 30 }, (_, i) => `d${i}`).join('/') + '/zoo.cfg';
      const long = Array.from({ length: 40 }, () => 'a'.repeat(255)).join('/');
      const t = performance.now();
      const g = compileGlobList(['**/**/**/**/**/**/**/**/**/**/**/x', '*a*b*', '{a,b}/**/x', 'backup/']);
      assert.equal(g.excluded(deep), false);
      assert.equal(g.excluded('d/x'), true);
      assert.equal(g.excluded('backup/zk/conf/zoo.cfg'), true);
      g.excluded(long);
      g.excluded(long + '/x');
      const refused = compileGlobList(['*a*a*a*a*a*a*a*a*a*a*b', '@(a*)*(a*)*b']);
      refused.excluded(long);
      assert.ok(performance.now() - t < 2000, `${performance.now() - t} ms`);
      assert.equal(refused.warnings.length, 2, refused.warnings.join('; '));
    });

    it('the walk honours exclude patterns and reports what they left out', () => {
      const dir = path.join(base, 'excl');
      write(dir, { 'a/conf/zoo.cfg': ZOO(1), 'backup/zk/conf/zoo.cfg': ZOO(2) });
      const r = readWorkspaceSync(dir, { exclude: compileGlobList(['backup']).matches });
      assert.deepEqual([...r.snapshot.keys()], ['a/conf/zoo.cfg']);
      assert.deepEqual(r.skipped.map((s) => [s.file, s.reason]), [['backup', 'excluded']]);
    });
  });

  describe('bounded work and output', () => {
    it('10^6 duplicate attributes: a bounded number of findings, bounded memory', async () => {
      const dir = path.join(base, 'dupattr');
      write(dir, { 'n/conf/activemq.xml': `<beans><broker xmlns="http://activemq.apache.org/schema/core" ${'a="1" '.repeat(1_000_000)}/></beans>` });
      const r = await cli(['--format', 'json', dir], 120000);
      assert.equal(r.signal, null);
      const json = JSON.parse(r.stdout) as { code: string; message: string }[];
      const perCode = new Map<string, number>();
      for (const f of json) perCode.set(f.code, (perCode.get(f.code) ?? 0) + 1);
      for (const [code, n] of perCode) assert.ok(n <= MAX_FINDINGS_PER_RULE_AND_FILE + 2, `${code}: ${n}`);
      assert.ok(json.some((f) => /more unknown-element-or-attribute finding/.test(f.message)), 'a summary counts the rest');
      assert.ok(r.stdout.length < 2_000_000, `${r.stdout.length} bytes of JSON`);
      if (r.maxRssKb) assert.ok(r.maxRssKb < 1_200_000, `${r.maxRssKb} KB`);
    });

    it('10^6 nested elements and three zoo.cfg with 10^5 server lines finish with bounded memory', async () => {
      const dir = path.join(base, 'deep');
      let servers = '';
      for (let i = 1; i <= 100_000; i++) servers += `server.${i}=h${i}:2888:3888\n`;
      write(dir, {
        'n/conf/activemq.xml': `<beans><broker xmlns="http://activemq.apache.org/schema/core">${'<x>'.repeat(1_000_000)}</broker></beans>`,
        'zk1/conf/zoo.cfg': `dataDir=/var/zk1\nclientPort=2181\n${servers}`,
        'zk2/conf/zoo.cfg': `dataDir=/var/zk2\nclientPort=2181\n${servers}`,
        'zk3/conf/zoo.cfg': `dataDir=/var/zk3\nclientPort=2181\n${servers}`,
      });
      const r = await cli(['--format', 'json', dir], 150000);
      assert.equal(r.signal, null, 'finished');
      JSON.parse(r.stdout);
      assert.ok(r.stdout.length < 2_000_000);
      if (r.maxRssKb) assert.ok(r.maxRssKb < 1_500_000, `${r.maxRssKb} KB`);
    });

    it('a huge value is quoted in at most about 80 characters', () => {
      const huge = 'x'.repeat(3_000_000);
      const res = analyze(new Map([['n/conf/activemq.xml', BROKER(huge, 61616).replace('tcp://0.0.0.0:61616', `tcp://${huge}:99999999`)]]), { maxFileSize: 64 << 20 });
      assert.ok(res.findings.length > 0);
      for (const f of res.findings) {
        assert.ok(f.message.length < 2100, `${f.code}: ${f.message.length}`);
        assert.ok(!f.message.includes('x'.repeat(MAX_QUOTED + 1)), f.code);
      }
      assert.equal(clampMessage(`brokerName '${huge}' is wrong`).length < 200, true);
    });

    it('the JSON output of a large result is written in chunks and parses', async () => {
      const dir = path.join(base, 'many');
      const files: Record<string, string> = {};
      for (let i = 0; i < 400; i++) files[`n${i}/conf/activemq.xml`] = BROKER(`b${i}`, 61616, ' bogus="1"');
      write(dir, files);
      const r = await cli(['--format', 'json', dir]);
      const json = JSON.parse(r.stdout);
      assert.ok(json.length >= 400);
      const sarif = await cli(['--format', 'sarif', dir]);
      assert.equal(JSON.parse(sarif.stdout).runs[0].results.length, json.length);
    });
  });

  describe('edits in every encoding and syntax', () => {
    it('keeps the line ending of the file, CR-only too', () => {
      assert.equal(detectEol('a\rb\r'), '\r');
      assert.equal(detectEol('a\r\nb'), '\r\n');
      assert.equal(detectEol('a\nb\r\n'), '\n');
      assert.equal(detectEol('abc'), '\n');
      const cfg = ZOO(1).replace(/\n/g, '\r').replace('server.3=127.0.0.1:2890:3890\r', '');
      const other = ZOO(2);
      const res = analyze(new Map([['zk1/conf/zoo.cfg', cfg], ['zk2/conf/zoo.cfg', other], ['zk1/data/myid', '1'], ['zk2/data/myid', '2']]));
      let inserted = 0;
      for (const f of res.findings.filter((x) => x.file === 'zk1/conf/zoo.cfg')) {
        for (const fix of f.fixes ?? []) {
          for (const e of fix.edits.filter((x) => x.file === 'zk1/conf/zoo.cfg')) {
            assert.ok(!/\n/.test(e.newText), `${fix.title}: ${JSON.stringify(e.newText)}`);
            inserted++;
          }
        }
        const sup = suppressionEdit(f, cfg);
        if (sup) assert.ok(!sup.suffix.includes('\n'), 'suppress comment ends with CR');
      }
      assert.ok(inserted > 0);
    });

    it('suppress comments go above a YAML multi-line value and a properties continuation, never before a BOM, and suppress', () => {
      const cases: [string, string, string][] = [
        ['app/application.yml', 'spring:\n  activemq:\n    broker-url: >-\n      failover:(tcp://a:1,\n      tcp://b:2)\n', 'tcp://b:2'],
        ['app/application.yml', 'spring:\n  activemq:\n    broker-url: |\n      failover:(tcp://a:1,tcp://b:2)\n', 'tcp://b:2'],
        ['app/application.yml', 'spring:\n  activemq:\n    broker-url: "failover:(tcp://a:1,\n      tcp://b:2)"\n', 'tcp://b:2'],
        ['app/application.properties', 'spring.activemq.broker-url=failover:(tcp://a:1,\\\n    tcp://b:2)\n', 'tcp://b:2'],
        ['app/application.properties', '\ufeffspring.activemq.broker-url=failover:(tcp://a:1)\n', 'tcp://a:1'],
        ['zk/conf/zoo.cfg', 'server.1=a:1:2;\\\n  2181\n', '2181'],
      ];
      for (const [file, text, target] of cases) {
        const at = text.indexOf(target);
        const f: Finding = { code: 'failover-url-mismatch', severity: 'error', file, span: { start: at, end: at + target.length }, message: 'm', related: [] };
        const sup = suppressionEdit(f, text)!;
        const after = applyEdits(text, [{ span: sup.span, newText: sup.prefix + 'reason' + sup.suffix }]);
        if (text.startsWith('\ufeff')) assert.ok(after.startsWith('\ufeff#'), JSON.stringify(after));
        // the comment is a line of its own before the value's first line
        const lineBefore = after.slice(0, sup.span.start + sup.prefix.length);
        assert.ok(/(^|\n|\ufeff)[ \t]*# amq-cluster-disable-next-line failover-url-mismatch: $/.test(lineBefore), JSON.stringify(after));
        const valueLine = text.lastIndexOf('\n', text.indexOf(target) - 1);
        assert.ok(sup.span.start <= valueLine + 1 + (text.startsWith('\ufeff') ? 1 : 0), `${file}: above the value's first line: ${JSON.stringify(after)}`);
        const moved: Finding = { ...f, span: { start: at + (sup.prefix + 'reason' + sup.suffix).length, end: at + target.length + (sup.prefix + 'reason' + sup.suffix).length } };
        assert.equal(after.slice(moved.span.start, moved.span.end), target);
        assert.ok(isSuppressed(moved, after, suppressionsIn(file, after)), `${file}: the inserted comment suppresses the finding: ${JSON.stringify(after)}`);
      }
    });

    it('"Rewrite the URL" on a folded, quoted or block YAML value writes one whole valid value', () => {
      const amq = (p: number) => BROKER('b', p);
      for (const yml of [
        'spring:\n  activemq:\n    broker-url: >-\n      failover:(tcp://localhost:61616,\n      tcp://localhost:61698)\nother: 1\n',
        'spring:\n  activemq:\n    broker-url: "failover:(tcp://localhost:61616,\\\n      tcp://localhost:61698)"\nother: 1\n',
        "spring:\n  activemq:\n    broker-url: 'failover:(tcp://localhost:61616,\n      tcp://localhost:61698)'\nother: 1\n",
        'spring:\n  activemq:\n    broker-url: |-\n      failover:(tcp://localhost:61616,tcp://localhost:61698)\nother: 1\n',
        'spring:\n  activemq:\n    broker-url: failover:(tcp://localhost:61616,\n      tcp://localhost:61698)\nother: 1\n',
      ]) {
        const snap = new Map([['b1/conf/activemq.xml', amq(61616)], ['app/application.yml', yml]]);
        const res = analyze(snap);
        const fixes = res.findings.filter((f) => f.code === 'failover-url-mismatch').flatMap((f) => f.fixes ?? []).filter((x) => x.title.startsWith('Rewrite'));
        assert.ok(fixes.length > 0, yml);
        for (const fix of fixes) {
          const out = applyEdits(yml, fix.edits);
          const v = (require('yaml') as typeof import('yaml')).parse(out);
          assert.equal(v.spring.activemq['broker-url'], fix.title.replace('Rewrite the URL as ', ''), out);
          assert.equal(v.other, 1, out);
        }
      }
    });
  });

  describe('containment of fixes', () => {
    it('a myid create never leaves the node folder nor creates over an existing file', () => {
      const cfg = (id: number, dataDir: string) => ZOO(id).replace(/dataDir=.*\n/, `dataDir=${dataDir}\n`);
      const snap = new Map([
        ['zk1/conf/zoo.cfg', cfg(1, '/opt/zk1/../../etc')],
        ['zk2/conf/zoo.cfg', cfg(2, '/opt/zk2/../zk3/data')],
        ['zk3/conf/zoo.cfg', cfg(3, '/opt/zk3/data')],
        ['zk3/data/myid', '3\n'],
      ]);
      const res = analyze(snap);
      const missing = res.findings.filter((f) => f.code === 'zk-myid-missing');
      assert.ok(missing.length >= 1);
      for (const f of res.findings) {
        for (const fix of f.fixes ?? []) {
          for (const c of fix.creates ?? []) {
            assert.ok(c.file.startsWith(f.file.split('/')[0] + '/'), `${fix.title} stays in its node`);
            assert.ok(!snap.has(c.file), `${fix.title} creates a new file`);
          }
          for (const e of fix.edits) assert.ok(snap.has(e.file));
        }
      }
      const zk1 = missing.find((f) => f.file === 'zk1/conf/zoo.cfg');
      assert.ok(!zk1 || /leads out of the node folder/.test(zk1.message), zk1?.message);
    });

    it('no fix edits or creates through a path the walk left out', () => {
      const snap = new Map([
        ['zk1/conf/zoo.cfg', ZOO(1)],
        ['zk2/conf/zoo.cfg', ZOO(2)],
        ['zk2/data/myid', '2\n'],
        ['zk3/conf/zoo.cfg', ZOO(3)],
        ['zk3/data/myid', '3\n'],
      ]);
      const free = analyze(snap).findings.flatMap((f) => f.fixes ?? []).flatMap((x) => x.creates ?? []);
      assert.ok(free.some((c) => c.file === 'zk1/data/myid'), 'the create is offered normally');
      const blocked = analyze(snap, { blockedPaths: new Set(['zk1/data']) }).findings.flatMap((f) => f.fixes ?? []).flatMap((x) => x.creates ?? []);
      assert.ok(!blocked.some((c) => c.file.startsWith('zk1/data')), 'not through a linked data folder');
    });

    it('LSP create operations never overwrite nor silently edit an existing file', () => {
      const fix = { title: 't', edits: [], creates: [{ file: 'zk1/data/myid', content: '1\n' }] };
      const resolver = { uri: (f: string) => `file:///ws/${f}`, text: () => '', docUrl: () => undefined };
      const edit = toWorkspaceEdit(fix, resolver, new Ranges(resolver), () => null);
      const create = edit.documentChanges!.find((c) => 'kind' in c && c.kind === 'create') as { options: { overwrite: boolean; ignoreIfExists: boolean } };
      assert.deepEqual(create.options, { overwrite: false, ignoreIfExists: false });
    });
  });
});
