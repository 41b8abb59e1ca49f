/** Incremental analysis must equal a full analysis after every edit, while analysing less. */
import * as assert from 'node:assert/strict';
import { analyze, compareFindings } from '../server/src/core/analyze';
import { IncrementalAnalyzer } from '../server/src/core/incremental';
import type { Finding } from '../server/src/core/types';
import type { WorkspaceModel } from '../server/src/core/model/workspace';
import { rng, syntheticWorkspace } from '../bench/workspace';

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
