/** Incremental analysis must equal a full analysis after every edit, while analysing less. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, compareFindings } from '../server/src/core/analyze';
import { IncrementalAnalyzer } from '../server/src/core/incremental';
import type { Finding } from '../server/src/core/types';
import type { WorkspaceModel } from '../server/src/core/model/workspace';
import { rng, syntheticWorkspace } from '../bench/workspace';
import { parseFixture } from './fixture';

const FIXTURES = path.resolve(__dirname, '..', '..', 'test', 'fixtures');

/**
 * Documents assembled from several files: Ansible templates rendered per inventory host, zoo.cfg
 * files joined with their dynamic files (and ZooKeeper's own .dynamic.next), the 6.3 web console.
 * Each fixture's files go under a folder of their own, beside a small synthetic workspace.
 */
function assembledWorkspace(seed: number): Map<string, string> {
  const files = new Map(syntheticWorkspace(12, seed).files);
  const sources = [
    'layouts/ansible-zk-ensemble-rendered.fixture',
    'layouts/ansible-yaml-inventory-leveldb.fixture',
    'layouts/zk-dynamic-config-file.fixture',
    'layouts/activemq-63-web-console.fixture',
    'rules/zk-dynamic-config/invalid-next-file-wildcard.fixture',
    'rules/zk-dynamic-config/invalid-rejected-keys.fixture',
  ];
  sources.forEach((rel, i) => {
    const fx = parseFixture(rel, fs.readFileSync(path.join(FIXTURES, rel), 'utf8'));
    for (const [p, t] of fx.files) files.set(`asm${i}/${p}`, t);
  });
  return files;
}

/** Edits of the assembled documents' inputs: inventories, vars, templates, dynamic files, web console properties. */
const ASSEMBLED_EDITS: [RegExp, (m: string, r: () => number) => string][] = [
  [/zk_id: \d+/, (_m, r) => `zk_id: ${1 + Math.floor(r() * 4)}`],
  [/ansible_host[=:] ?10\.\d+\.\d+\.\d+/, (m, r) => m.replace(/\d+$/, String(11 + Math.floor(r() * 3)))],
  [/zk_client_port[=:] ?\d+/, (m, r) => m.replace(/\d+$/, String(2181 + Math.floor(r() * 2)))],
  [/\{\{ zk_id \}\}/, (_m, r) => (r() < 0.5 ? '{{ zk_idx }}' : '{{ zk_id | int }}')],
  [/hosts: zookeeper/, (_m, r) => (r() < 0.5 ? 'hosts: zk_none' : 'hosts: zookeeper')],
  [/:2888:3888\n\{% endfor/, (_m, r) => `:${2888 + Math.floor(r() * 2)}:3888\n{% endfor`],
  [/server\.2=[^:\n]+/, (_m, r) => (r() < 0.5 ? 'server.2=0.0.0.0' : 'server.2=zk2.example.org')],
  [/server\.3=zk3\.example\.org:\d+/, (_m, r) => `server.3=zk3.example.org:${2888 + Math.floor(r() * 2)}`],
  [/dynamicConfigFile=[^\n]*/, (_m, r) => (r() < 0.5 ? 'dynamicConfigFile=/opt/zookeeper/conf/zoo.cfg.dynamic.100000000' : '#dynamicConfigFile=none')],
  [/version=\w+/, (_m, r) => (r() < 0.5 ? 'version=100000000' : '#version')],
  [/jetty\.http\.port=\d+/, (_m, r) => `jetty.http.port=${8161 + Math.floor(r() * 2)}`],
  [/default="81\d\d"/, (_m, r) => `default="${8161 + Math.floor(r() * 2)}"`],
  [/httpEnabled=\w+/, (_m, r) => `httpEnabled=${r() < 0.5}`],
  [/clientPort=\d+/, (_m, r) => `clientPort=${2181 + Math.floor(r() * 4)}`],
];

/** What hover, completion and snippets read of a model: nodes, hosts, ensembles, groups. */
function shape(m: Pick<WorkspaceModel, 'brokers' | 'zkNodes' | 'ensembles' | 'groups' | 'hosts'>): string[] {
  const files = (ns: { file: string }[]) => ns.map((n) => n.file).join(',');
  return [
    ...[...m.brokers, ...m.zkNodes].map((n) => `${n.file} ${n.listeners.map((l) => `${l.kind}:${l.port}`).join(',')} on ${files((m.hosts.get(n.host) ?? []).map((l) => l.node))}`),
    ...m.ensembles.map((e) => 'ensemble ' + files(e.members)),
    ...m.groups.map((g) => 'group ' + files(g.members)),
  ];
}

function key(f: Finding): string {
  return `${f.file}:${f.span.start}-${f.span.end} ${f.severity} ${f.code} ${f.message} ${JSON.stringify(f.related)}`;
}

const EDITS: [RegExp, (m: string, r: () => number) => string][] = [
  [/clientPort=\d+/, (_m, r) => `clientPort=${2181 + Math.floor(r() * 4)}`],
  [/brokerName="[^"]*"/, (_m, r) => `brokerName="cluster${Math.floor(r() * 4)}"`],
  [/hostname="[^"]*"/, (_m, r) => `hostname="c${Math.floor(r() * 6)}-host"`],
  [/zkAddress="[^"]*"/, (m, r) => (r() < 0.5 ? m.replace(/:218(\d)/, ':219$1') : m.replace(/c(\d+)-/, (_a, n) => `c${(Number(n) + 1) % 8}-`))],
  [/tcp:\/\/0\.0\.0\.0:(\d+)\?/, (_m, r) => `tcp://0.0.0.0:${61616 + Math.floor(r() * 3)}?`],
  [/server\.3=[^\n]*/, (m, r) => (r() < 0.5 ? m.replace(/:(\d+):/, (_a, p) => `:${Number(p) + 1}:`) : m)],
  [/replicas="\d+"/, (_m, r) => `replicas="${2 + Math.floor(r() * 3)}"`],
  [/value="\d+"/, (_m, r) => `value="${8161 + Math.floor(r() * 3)}"`],
  [/^\d+/, (_m, r) => `${1 + Math.floor(r() * 4)}`],
  [/failover:\(tcp:\/\/[^,]+/, (_m, r) => `failover:(tcp://c${Math.floor(r() * 8)}-mq1:61616`],
];

/** a few files of the synthetic workspace take part in the random edits too */
function r0(p: string): boolean {
  return p.endsWith('zk1/conf/zoo.cfg');
}

describe('incremental analysis', function () {
  this.timeout(120000);
  for (const seed of [1, 2, 3]) {
    it(`equals a full analysis after each of 120 random edits (seed ${seed})`, () => {
      const ws = syntheticWorkspace(48, seed);
      const inc = new IncrementalAnalyzer();
      for (const [p, t] of ws.files) inc.set(p, t);
      inc.update();
      const files = new Map(ws.files);
      const paths = [...files.keys()];
      const r = rng(seed * 7919);
      for (let i = 0; i < 120; i++) {
        const p = paths[Math.floor(r() * paths.length)];
        const text = files.get(p)!;
        const [re, fn] = EDITS[Math.floor(r() * EDITS.length)];
        const m = re.exec(text);
        if (!m) continue;
        const next = text.slice(0, m.index) + fn(m[0], r) + text.slice(m.index + m[0].length);
        files.set(p, next);
        inc.set(p, next);
        inc.update();
        const full = analyze(files);
        const want = full.findings.map(key);
        const got = inc.allFindings().sort(compareFindings).map(key);
        assert.deepEqual(got, want, `after edit ${i} of ${p}`);
        // the whole-workspace view the editor answers from is the full analysis's model
        assert.deepEqual(shape(inc.workspaceView()!), shape(full.model), `workspace view after edit ${i} of ${p}`);
      }
      assert.ok(inc.partialAnalyses + inc.fullAnalyses > 0);
      assert.ok(inc.fullAnalyses < 60, `most edits stay inside their cluster (full analyses: ${inc.fullAnalyses})`);
    });
  }

  for (const seed of [1, 2]) {
    it(`equals a full analysis after random edits of rendered templates, dynamic files and 6.3 web consoles (seed ${seed})`, () => {
      const files = assembledWorkspace(seed);
      const inc = new IncrementalAnalyzer();
      for (const [p, t] of files) inc.set(p, t);
      inc.update();
      assert.equal(inc.allFindings().sort(compareFindings).map(key).join('\n'), analyze(files).findings.map(key).join('\n'));
      const paths = [...files.keys()].filter((p) => p.startsWith('asm') || r0(p));
      const r = rng(seed * 104729);
      let applied = 0;
      for (let i = 0; i < 100; i++) {
        const [re, fn] = ASSEMBLED_EDITS[Math.floor(r() * ASSEMBLED_EDITS.length)];
        const candidates = paths.filter((p) => re.test(files.get(p)!));
        if (candidates.length === 0) continue;
        const p = candidates[Math.floor(r() * candidates.length)];
        const text = files.get(p)!;
        const m = re.exec(text)!;
        applied++;
        const next = text.slice(0, m.index) + fn(m[0], r) + text.slice(m.index + m[0].length);
        files.set(p, next);
        inc.set(p, next);
        inc.update();
        const want = analyze(files).findings.map(key);
        const got = inc.allFindings().sort(compareFindings).map(key);
        assert.deepEqual(got, want, `after edit ${i} of ${p}`);
      }
      assert.ok(applied >= 50, `${applied} edits applied`);
      // an inventory, vars file or dynamic file edit re-analyses the workspace; template and zoo.cfg edits stay in their cluster
      assert.ok(inc.fullAnalyses < applied * 0.6, `full analyses: ${inc.fullAnalyses} of ${applied} edits`);
    });
  }

  it('re-analyses only the edited cluster when nothing crosses it', () => {
    const ws = syntheticWorkspace(300, 5);
    const inc = new IncrementalAnalyzer();
    for (const [p, t] of ws.files) inc.set(p, t);
    inc.update();
    const zoo = [...ws.files.keys()].find((p) => p.endsWith('zk3/conf/zoo.cfg'))!;
    inc.set(zoo, ws.files.get(zoo)!.replace(/clientPort=(\d+)/, 'clientPort=2182'));
    const res = inc.update();
    assert.equal(res.full, false);
    assert.ok(res.affected.size <= 16, `affected ${res.affected.size} files`);
  });
});
