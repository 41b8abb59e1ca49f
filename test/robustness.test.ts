/**
 * Robustness: no input crashes or hangs the core; hostile XML is never resolved; a throwing rule is
 * isolated; every quick fix changes only its own bytes and removes its finding without a new error.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, analyzeModel } from '../server/src/core/analyze';
import { parseSnapshot } from '../server/src/core/model/parsed';
import { buildModel } from '../server/src/core/model/workspace';
import { RULES } from '../server/src/core/rules';
import type { Rule } from '../server/src/core/rules/types';
import { applyEdits } from '../server/src/core/text';
import type { Finding, Fix } from '../server/src/core/types';
import { listFixtures, parseFixture } from './fixture';
import { suppressionEdit } from '../server/src/core/suppress-action';
import { rng, syntheticWorkspace } from '../bench/workspace';

const FIX = path.resolve(__dirname, '..', '..', 'test', 'fixtures');
const FUZZ_DIR = path.join(FIX, 'fuzz');

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
}

const KINDS = ['node/conf/activemq.xml', 'node/conf/jetty.xml', 'zk/conf/zoo.cfg', 'zk/data/myid', 'app/application.yml', 'app/application.properties', 'app/Client.java', 'deploy/start.sh', 'deploy/docker-compose.yml'];

/** One mutation of a text: byte flips, truncation, tag/quote damage, huge numbers, nesting, bad UTF-8, EOL mixes. */
function mutate(text: string, r: () => number): string {
  const pick = Math.floor(r() * 12);
  const at = Math.floor(r() * (text.length + 1));
  switch (pick) {
    case 0: {
      const c = String.fromCharCode(Math.floor(r() * 0x10000));
      return text.slice(0, at) + c + text.slice(at + 1);
    }
    case 1:
      return text.slice(0, at);
    case 2:
      return text.replace(/[<>]/g, (m) => (r() < 0.2 ? '' : m));
    case 3:
      return text.replace(/"/g, (m) => (r() < 0.3 ? (r() < 0.5 ? '\u201d' : '') : m));
    case 4:
      return text.replace(/\d+/, '9'.repeat(1 + Math.floor(r() * 400)));
    case 5:
      return text.slice(0, at) + '<a>'.repeat(2000 + Math.floor(r() * 5000)) + text.slice(at);
    case 6:
      return text.slice(0, at) + '\ud800\udfff\ufffd\u0000' + text.slice(at);
    case 7:
      return (r() < 0.5 ? '\ufeff' : '') + text.replace(/\n/g, () => (r() < 0.5 ? '\r\n' : r() < 0.5 ? '\r' : '\n'));
    case 8:
      return text.slice(0, at) + '<!DOCTYPE x [<!ENTITY a "&b;&b;&b;"><!ENTITY b SYSTEM "http://127.0.0.1:9/x">]>&a;' + text.slice(at);
    case 9:
      return text.slice(0, at) + text.slice(Math.floor(r() * text.length), Math.floor(r() * text.length)) + text.slice(at);
    case 10:
      return text.replace(/=/g, (m) => (r() < 0.3 ? ':' : r() < 0.1 ? '' : m));
    default:
      return text.slice(0, at) + '${' + text.slice(at);
  }
}

describe('robustness', function () {
  this.timeout(300000);

  it('survives 20,000 mutated configs: no exception, no file over 200 ms', () => {
    const base = syntheticWorkspace(12, 99);
    const samples: Map<string, string>[] = [];
    // a few whole clusters, mutated file by file
    const templates = [...base.files];
    const r = rng(20261123);
    let worst = 0;
    let worstCase = '';
    const failures: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const [p, text] = templates[Math.floor(r() * templates.length)];
      let t = text;
      const n = 1 + Math.floor(r() * 3);
      for (let k = 0; k < n; k++) t = mutate(t, r);
      const snap = new Map([[p, t]]);
      // every tenth case goes through the whole cluster (cross-node rules see the damage)
      if (i % 10 === 0) for (const [q, u] of base.files) if (q !== p && q.split('/')[1] === p.split('/')[1]) snap.set(q, u);
      try {
        let [res, ms] = time(() => analyze(snap));
        // a slow case is timed again, so a GC pause or a busy machine is not mistaken for a slow input
        if (ms > 100) ms = Math.min(ms, time(() => analyze(snap))[1], time(() => analyze(snap))[1]);
        if (res.internalErrors.length) failures.push(`seed case ${i}: internal errors ${JSON.stringify(res.internalErrors)}`);
        if (ms > worst) {
          worst = ms;
          worstCase = `${i} ${p} (${t.length} chars)`;
        }
        if (ms > 200) failures.push(`case ${i} (${p}, ${t.length} chars) took ${ms.toFixed(0)} ms`);
      } catch (e) {
        failures.push(`case ${i} (${p}): ${(e as Error).stack}`);
        fs.mkdirSync(FUZZ_DIR, { recursive: true });
        fs.writeFileSync(path.join(FUZZ_DIR, `case-${i}-${path.basename(p)}.txt`), t);
      }
      if (samples.length < 3 && i % 5000 === 0) samples.push(snap);
    }
    assert.deepEqual(failures.slice(0, 5), [], `worst ${worst.toFixed(1)} ms: ${worstCase}`);
  });

  it('replays the kept failing fuzz cases as regression fixtures', () => {
    if (!fs.existsSync(FUZZ_DIR)) return;
    for (const f of fs.readdirSync(FUZZ_DIR)) {
      const kind = KINDS.find((k) => f.includes(path.basename(k))) ?? 'node/conf/activemq.xml';
      const res = analyze(new Map([[kind, fs.readFileSync(path.join(FUZZ_DIR, f), 'utf8')]]));
      assert.deepEqual(res.internalErrors, [], f);
    }
  });

  it('never resolves external entities and bounds entity expansion', () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE beans [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY net SYSTEM "http://127.0.0.1:9/never">
  <!ENTITY a "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY b "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY c "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY d "lol">
]>
<broker xmlns="http://activemq.apache.org/schema/core" brokerName="&xxe;&net;&a;">
  <transportConnectors><transportConnector name="openwire" uri="tcp://0.0.0.0:61616"/></transportConnectors>
</broker>
`;
    const [res, ms] = time(() => analyze(new Map([['n/conf/activemq.xml', xxe]])));
    assert.ok(ms < 200, `${ms} ms`);
    const broker = res.model.brokers[0];
    assert.equal(broker.brokerNameAttr?.value, '&xxe;&net;&a;', 'entities are kept literally, never expanded or fetched');
    assert.ok(!JSON.stringify(res.findings).includes('root:'), 'nothing from /etc/passwd');
  });

  it('handles empty files, binary junk, a 5 MB file and unclosed tags in every file kind', () => {
    const junk = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('');
    const big = '<beans>' + '<bean id="x" class="y"><property name="a" value="b"/></bean>\n'.repeat(90000) + '</beans>';
    assert.ok(big.length > 5_000_000);
    for (const kind of KINDS) {
      for (const [name, text] of [['empty', ''], ['junk', junk], ['unclosed', '<broker><transportConnectors><transportConnector uri="tcp://x:1"'], ['big', big]]) {
        const [res, ms] = time(() => analyze(new Map([[kind, text]])));
        assert.deepEqual(res.internalErrors, [], `${kind} ${name}`);
        assert.ok(ms < (name === 'big' ? 5000 : 200), `${kind} ${name}: ${ms.toFixed(0)} ms`);
      }
    }
  });

  it('bounds a generated script: 50,000 docker run commands (10,000 read, 500 containers) and an unterminated quote', () => {
    const lines: string[] = [];
    for (let i = 0; i < 50000; i++) lines.push(`docker run -d --name zk${i} --net=host -e ZOO_MY_ID=${i % 255} -v "$(pwd)/zoo${i}.cfg:/conf/zoo.cfg" zookeeper:3.8`);
    const text = lines.join('\n') + '\ndocker run -e "ZOO_SERVERS=server.1=a:2888:3888 ' + 'x'.repeat(100000);
    const [res, ms] = time(() => analyze(new Map([['deploy/start.sh', text]])));
    assert.deepEqual(res.internalErrors, []);
    assert.ok(ms < 10000, `${ms.toFixed(0)} ms`);
  });

  it('bounds port-conflict output: 10,000 connectors on one port give 100 findings naming at most ten others each, and one summary', () => {
    const n = 10000;
    let xml = '<broker xmlns="http://activemq.apache.org/schema/core" brokerName="dup">\n<transportConnectors>\n';
    for (let i = 0; i < n; i++) xml += `<transportConnector name="c${i}" uri="tcp://0.0.0.0:20000"/>\n`;
    xml += '</transportConnectors>\n</broker>\n';
    const pc = analyze(new Map([['mq/conf/activemq.xml', xml]])).findings.filter((f) => f.code === 'port-conflict');
    // at most 100 findings per rule and file, plus one that counts the rest (core/bounds.ts)
    assert.equal(pc.length, 101);
    const listed = pc.filter((f) => !f.message.includes('more port-conflict finding'));
    const summary = pc.filter((f) => f.message.includes('more port-conflict finding'));
    assert.equal(listed.length, 100);
    assert.equal(summary.length, 1);
    assert.match(summary[0].message, new RegExp(`and ${n - 100} more port-conflict`));
    assert.ok(listed.every((f) => f.related.length <= 11 && f.message.includes(`and ${n - 11} more`)), listed[0].message.slice(0, 300));
    // the listed later connectors each get their own free port (20001 and up)
    const ports = listed.flatMap((f) => (f.fixes ?? []).filter((x) => x.isPreferred).map((x) => x.edits[0].newText));
    assert.equal(ports.length, 99);
    assert.equal(new Set(ports).size, 99);
  });

  it('isolates a rule that throws: one internal error naming it, every other rule still reports', () => {
    const fx = parseFixture('x', fs.readFileSync(path.join(FIX, 'rules', 'port-conflict', 'invalid-zk-client-port.fixture'), 'utf8'));
    const model = buildModel(parseSnapshot(fx.files));
    const broken: Rule = {
      meta: { code: 'always-throws', description: 'a rule that fails, for the isolation test', defaultSeverity: 'error', fixable: false, scope: 'file' },
      check() {
        throw new Error('boom');
      },
    };
    const res = analyzeModel(model, [broken, ...RULES]);
    assert.deepEqual(res.internalErrors, [{ rule: 'always-throws', message: 'boom' }]);
    assert.ok(res.findings.some((f) => f.code === 'port-conflict'));
  });

  describe('every quick fix over the fixture corpus is safe', () => {
    const files = [...listFixtures(path.join(FIX, 'rules')), ...listFixtures(path.join(FIX, 'layouts'))];
    for (const variant of ['as written', 'CRLF + BOM', 'CR only'] as const) {
      it(`changes only its bytes, keeps comments/BOM/line endings, and clears its finding (${variant})`, () => {
        let applied = 0;
        for (const file of files) {
          const fx = parseFixture(file, fs.readFileSync(file, 'utf8'));
          const snap = new Map(fx.files);
          if (variant === 'CRLF + BOM') for (const [p, t] of snap) if (!p.endsWith('myid')) snap.set(p, (t.startsWith('\ufeff') || p.endsWith('zoo.cfg') ? '' : '\ufeff') + t.replace(/\r?\n/g, '\r\n')); // (a BOM in zoo.cfg is itself a ZooKeeper error)
          if (variant === 'CR only') for (const [p, t] of snap) if (!p.endsWith('myid')) snap.set(p, t.replace(/\r?\n/g, '\r'));
          const res = analyze(snap, fx.options);
          const errorsBefore = new Set(res.findings.filter((f) => f.severity === 'error').map((f) => sig(f, snap)));
          for (const f of res.findings) {
            for (const fix of f.fixes ?? []) {
              const after = applyFix(snap, fix);
              checkOnlyEditedBytes(snap, after, fix, `${path.basename(file)}: ${fix.title}`);
              const re = analyze(after, fx.options);
              assert.ok(!re.findings.some((g) => g.code === f.code && g.file === f.file && g.span.start === f.span.start && g.message === f.message), `${path.basename(file)}: "${fix.title}" leaves its finding`);
              if (fix.isPreferred) {
                const newErrors = re.findings.filter((g) => g.severity === 'error' && !errorsBefore.has(sig(g, after)) && !touches(g, fix));
                assert.deepEqual(newErrors.map((g) => `${g.file} ${g.code}: ${g.message}`), [], `${path.basename(file)}: "${fix.title}" adds no error`);
              }
              applied++;
            }
          }
        }
        assert.ok(applied > 30, `${applied} fixes applied`);
      });
    }
  });
});

describe('every suppress comment over the fixture corpus', function () {
  this.timeout(300000);
  const files = [...listFixtures(path.join(FIX, 'rules')), ...listFixtures(path.join(FIX, 'layouts'))];
  for (const variant of ['as written', 'CRLF + BOM', 'CR only'] as const) {
    it(`is inserted as whole lines in the file's line ending and suppresses its finding (${variant})`, () => {
      let inserted = 0;
      for (const file of files) {
        const fx = parseFixture(file, fs.readFileSync(file, 'utf8'));
        const snap = new Map(fx.files);
        for (const [p, t] of snap) {
          if (p.endsWith('myid')) continue;
          if (variant === 'CRLF + BOM') snap.set(p, (t.startsWith('\ufeff') ? '' : '\ufeff') + t.replace(/\r?\n/g, '\r\n'));
          if (variant === 'CR only') snap.set(p, t.replace(/\r?\n/g, '\r'));
        }
        const res = analyze(snap, fx.options);
        for (const f of res.findings) {
          if (f.code === 'xml-syntax') continue;
          const text = snap.get(f.file)!;
          const sup = suppressionEdit(f, text);
          if (!sup) continue;
          const ins = sup.prefix + 'reason' + sup.suffix;
          const after = new Map(snap).set(f.file, text.slice(0, sup.span.start) + ins + text.slice(sup.span.start));
          const what = `${path.basename(file)} (${variant}): ${f.code} at ${f.span.start} in ${f.file}`;
          // a line of its own, never before a BOM, in the file's line ending
          assert.ok(sup.span.start === 0 || /[\r\n\ufeff]/.test(text[sup.span.start - 1]), `${what}: at a line start`);
          assert.ok(!(text.startsWith('\ufeff') && sup.span.start === 0), `${what}: not before the BOM`);
          if (variant === 'CR only') assert.ok(!ins.includes('\n'), `${what}: CR only`);
          if (variant === 'CRLF + BOM') assert.ok(ins.endsWith('\r\n'), `${what}: CRLF`);
          const moved = f.span.start >= sup.span.start ? ins.length : 0;
          const re = analyze(after, fx.options);
          assert.ok(
            !re.findings.some((g) => g.code === f.code && g.file === f.file && g.message === f.message && g.span.start === f.span.start + moved),
            `${what}: the comment suppresses the finding:\n${after.get(f.file)!.slice(Math.max(0, sup.span.start - 80), sup.span.start + 200)}`,
          );
          inserted++;
        }
      }
      assert.ok(inserted > 30, `${inserted} comments inserted`);
    });
  }
});

/** a finding's identity across a fix: file, code and the text it covers (messages may name the value the fix changed, lines may move) */
function sig(f: Finding, texts?: Map<string, string>): string {
  return `${f.file} ${f.code} ${JSON.stringify((texts?.get(f.file) ?? '').slice(f.span.start, f.span.end))}`;
}

/** a finding that sits exactly on an edited value (its message names the new value) is the same finding moved */
function touches(g: Finding, fix: Fix): boolean {
  return fix.edits.some((e) => e.file === g.file && g.span.start >= e.span.start && g.span.start <= e.span.start + e.newText.length);
}

function applyFix(snap: Map<string, string>, fix: Fix): Map<string, string> {
  const out = new Map(snap);
  const byFile = new Map<string, { span: { start: number; end: number }; newText: string }[]>();
  for (const e of fix.edits) {
    let arr = byFile.get(e.file);
    if (!arr) byFile.set(e.file, (arr = []));
    arr.push(e);
  }
  for (const [file, edits] of byFile) out.set(file, applyEdits(out.get(file) ?? '', edits));
  for (const c of fix.creates ?? []) out.set(c.file, c.content);
  return out;
}

function checkOnlyEditedBytes(before: Map<string, string>, after: Map<string, string>, fix: Fix, what: string): void {
  for (const [file, text] of after) {
    const old = before.get(file);
    if (old === undefined) continue;
    const edits = fix.edits.filter((e) => e.file === file).sort((a, b) => a.span.start - b.span.start);
    if (edits.length === 0) {
      assert.equal(text, old, `${what}: ${file} untouched`);
      continue;
    }
    // the text between edits is byte-identical, in order
    let oi = 0;
    let ni = 0;
    for (const e of edits) {
      assert.equal(text.slice(ni, ni + (e.span.start - oi)), old.slice(oi, e.span.start), `${what}: bytes before an edit`);
      ni += e.span.start - oi + e.newText.length;
      oi = e.span.end;
    }
    assert.equal(text.slice(ni), old.slice(oi), `${what}: bytes after the last edit`);
    if (old.startsWith('\ufeff') && !edits.some((e) => e.span.start === 0)) assert.ok(text.startsWith('\ufeff'), `${what}: BOM kept`);
    const crlf = (old.match(/\r\n/g) ?? []).length;
    const lf = (old.match(/(?<!\r)\n/g) ?? []).length;
    if (crlf > 0 && lf === 0) assert.equal((text.match(/(?<!\r)\n/g) ?? []).length, 0, `${what}: no bare LF in a CRLF file`);
    const cr = (old.match(/\r(?!\n)/g) ?? []).length;
    if (cr > 0 && crlf === 0 && lf === 0) assert.equal((text.match(/\n/g) ?? []).length, 0, `${what}: no LF in a CR-only file`);
  }
}
