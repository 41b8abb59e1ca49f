/** The analysis service: answers from the whole workspace after any edit, fixes applied to texts, a new cluster placed next to existing ones. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyze } from '../server/src/core/analyze';
import { AnalysisService } from '../server/src/core/service';
import { snippetVariables } from '../server/src/core/assist/workspace';
import { applyFix, fixAll, FixConflictError } from '../server/src/core/fixes';
import { buildPlan } from '../server/src/core/plan';
import type { ClusterSpec } from '../server/src/core/generate/cluster';
import type { Fix } from '../server/src/core/types';
import { readWorkspaceSync } from '../server/src/io/walk';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = readWorkspaceSync(path.join(ROOT, 'examples')).snapshot;

/** A ZooKeeper that shares nothing with the examples' cluster: a component of its own. */
const LAB = 'lab/zk/conf/zoo.cfg';
const LAB_TEXT = 'tickTime=2000\ndataDir=/var/lib/zookeeper\nclientPort=2400\nadmin.enableServer=false\n';
const NEW_NODE = 'mq_cluster/mq_node04/conf/activemq.xml';
const SKELETON = '<beans xmlns="http://www.springframework.org/schema/beans">\n  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="zzyymq">\n    \n  </broker>\n</beans>\n';

function workspace(extra: Record<string, string> = {}): Map<string, string> {
  return new Map([...EXAMPLES, [LAB, LAB_TEXT], ...Object.entries(extra)]);
}

function loaded(files: Map<string, string>): AnalysisService {
  const s = new AnalysisService();
  s.setFiles(files);
  s.update();
  return s;
}

/** Edits the lab ZooKeeper: a partial analysis of its own component. */
function editElsewhere(s: AnalysisService, files: Map<string, string>): void {
  const text = LAB_TEXT.replace('clientPort=2400', 'clientPort=2401');
  files.set(LAB, text);
  s.setFile(LAB, text);
  const u = s.update();
  assert.equal(u.full, false, 'the edit stays in its component');
  assert.deepEqual([...u.affected], [LAB]);
}

describe('analysis service', () => {
  it('keeps no XML tree after an analysis, with document checks and with every one of them off, after an edit too', () => {
    const docRules = ['invalid-value', 'leveldb-unsupported', 'unknown-element-or-attribute', 'xml-syntax'];
    for (const off of [false, true]) {
      const s = new AnalysisService(off ? { severityOverrides: new Map(docRules.map((c) => [c, 'off' as const])) } : {});
      s.setFiles(workspace());
      s.update();
      const held = () => {
        const files = s.fullResult().model.files;
        const trees = [...files.activemq.values(), ...files.jetty.values()].map((c) => c.tree);
        assert.ok(trees.length >= 3, 'the examples hold broker configs');
        return trees.filter((t) => t.held).length;
      };
      assert.equal(held(), 0, `trees held after the whole analysis (document checks ${off ? 'off' : 'on'})`);
      const file = [...EXAMPLES.keys()].find((f) => f.endsWith('activemq.xml'))!;
      s.setFile(file, EXAMPLES.get(file)!.replace('brokerName="', 'brokerName="x'));
      s.update();
      assert.equal(held(), 0, 'trees held after a partial analysis');
    }
  });

  describe('answers from the whole workspace after an edit elsewhere', () => {
    for (const withFile of [false, true]) {
      it(`snippet values in a new node folder${withFile ? ' (its activemq.xml just created)' : ' (no file yet)'}`, () => {
        const files = workspace(withFile ? { [NEW_NODE]: SKELETON } : {});
        const s = loaded(files);
        editElsewhere(s, files);
        const vars = s.snippetVariables(NEW_NODE);
        // what a full analysis of the same texts gives
        assert.deepEqual(vars, snippetVariables(NEW_NODE, analyze(files).model));
        // and this workspace's values, not the snippets' defaults
        assert.equal(vars.AMQ_ZK_ADDRESS, 'localhost:2191,localhost:2192');
        assert.equal(vars.AMQ_HOSTNAME, 'zzyymq-server');
        assert.equal(vars.AMQ_BIND_PORT, '63634');
        assert.equal(vars.AMQ_OPENWIRE_PORT, '61619');
        assert.equal(vars.AMQ_WEB_PORT, '8164');
        assert.equal(vars.AMQ_REPLICAS, '4');
        const snippet = s.completion(NEW_NODE, SKELETON.indexOf('\n    \n') + 5, SKELETON).find((c) => c.label === 'replicatedLevelDB')!;
        assert.match(snippet.insertText!, /zkAddress="\$\{3:localhost:2191,localhost:2192\}"/);
        assert.match(snippet.insertText!, /bind="tcp:\/\/0\.0\.0\.0:\$\{2:63634\}"/);
        assert.match(snippet.insertText!, /hostname="\$\{5:zzyymq-server\}"/);
      });
    }

    it('a port hover keeps its "also on this host" table', () => {
      const files = workspace();
      const s = loaded(files);
      const node1 = 'mq_cluster/mq_node01/conf/activemq.xml';
      const at = files.get(node1)!.indexOf('63631') + 2;
      const before = s.hover(node1, at);
      assert.match(before!.markdown, /Also on this host/);
      editElsewhere(s, files);
      const after = s.hover(node1, at);
      assert.ok(after, 'a hover');
      assert.equal(after.markdown, before!.markdown);
      assert.match(after.markdown, /\| 63632 \| mq_node02 \| bind/);
    });

    it('the workspace view equals a full analysis after edits in several components', () => {
      const files = workspace({ [NEW_NODE]: SKELETON });
      const s = loaded(files);
      editElsewhere(s, files);
      const zk3 = 'myzookeeper/zk03/conf/zoo.cfg';
      const text = files.get(zk3)!.replace('clientPort=2192', 'clientPort=2193');
      files.set(zk3, text);
      s.setFile(zk3, text);
      s.update();
      const view = s.workspace()!;
      const full = analyze(files).model;
      const nodes = (m: typeof view) => [...m.brokers, ...m.zkNodes].map((n) => `${n.file} ${n.host ? 'hosted' : ''} ${n.listeners.map((l) => `${l.kind}:${l.port}`).join(',')}`);
      assert.deepEqual(nodes(view), nodes(full));
      const hosts = (m: typeof view) => [...m.hosts.values()].map((ls) => ls.map((l) => `${l.file}:${l.port}`).sort().join(' ')).sort();
      assert.deepEqual(hosts(view), hosts(full));
      assert.deepEqual(view.ensembles.map((e) => e.members.map((m) => m.file)), full.ensembles.map((e) => e.members.map((m) => m.file)));
      assert.deepEqual(view.groups.map((g) => g.members.map((m) => m.file)), full.groups.map((g) => g.members.map((m) => m.file)));
    });

    it('reports analyses a query ran in the next update', () => {
      const files = workspace();
      const s = loaded(files);
      const zk3 = 'myzookeeper/zk03/conf/zoo.cfg';
      s.setFile(zk3, files.get(zk3)!.replace('clientPort=2192', 'clientPort=2193'));
      // the hover analyses the change first (it answers from the current texts) ...
      s.hover(zk3, 0);
      assert.ok(!s.findings(zk3).some((f) => f.code === 'port-conflict'));
      // ... and the next update still says which files changed, for the diagnostics
      const u = s.update();
      assert.ok(u.affected.has(zk3) && u.affected.has('myzookeeper/zk02/conf/zoo.cfg'));
    });
  });

  describe('applying fixes to texts', () => {
    it('creates a file and edits others; the findings they fix are gone after a re-analysis', () => {
      const files = workspace();
      const s = loaded(files);
      const zk3 = 'myzookeeper/zk03/conf/zoo.cfg';
      const missing = s.findings(zk3).find((f) => f.code === 'zk-myid-missing')!;
      const create = missing.fixes!.find((f) => f.creates?.length)!;
      const out = applyFix(files, create);
      assert.deepEqual([...out], [['myzookeeper/zk03/data/myid', '3\n']]);
      // the port-conflict fix and the myid together, as fix-all does
      const merged = fixAll(s.findings(zk3))!;
      assert.ok(merged.edits.length > 0 && merged.creates!.length === 1, merged.title);
      const after = new Map(files);
      for (const [f, t] of applyFix(files, merged)) after.set(f, t);
      const codes = analyze(after).findings.filter((f) => f.file === zk3).map((f) => f.code);
      assert.ok(!codes.includes('zk-myid-missing') && !codes.includes('port-conflict'), codes.join());
      // the snapshot given is not changed
      assert.equal(files.get(zk3), EXAMPLES.get(zk3));
    });

    it('applies edits of one file from the end, keeping the bytes around them', () => {
      const texts = new Map([['a.cfg', 'x=1\r\ny=22\r\n']]);
      const fix: Fix = {
        title: 't',
        edits: [
          { file: 'a.cfg', span: { start: 2, end: 3 }, newText: '100' },
          { file: 'a.cfg', span: { start: 7, end: 9 }, newText: '3' },
        ],
      };
      assert.equal(applyFix(texts, fix).get('a.cfg'), 'x=100\r\ny=3\r\n');
      // a file to create that exists keeps its text
      assert.equal(applyFix(texts, { title: 'c', edits: [], creates: [{ file: 'a.cfg', content: 'new' }] }).size, 0);
    });

    it('refuses overlapping edits and edits of files it does not hold', () => {
      const texts = new Map([['a.cfg', 'x=1\n']]);
      const overlap: Fix = { title: 'o', edits: [{ file: 'a.cfg', span: { start: 0, end: 3 }, newText: 'y' }, { file: 'a.cfg', span: { start: 2, end: 3 }, newText: '2' }] };
      assert.throws(() => applyFix(texts, overlap), FixConflictError);
      assert.throws(() => applyFix(texts, { title: 'm', edits: [{ file: 'b.cfg', span: { start: 0, end: 0 }, newText: 'y' }] }), FixConflictError);
      assert.throws(() => applyFix(texts, { title: 'r', edits: [{ file: 'a.cfg', span: { start: 3, end: 9 }, newText: 'y' }] }), FixConflictError);
    });
  });

  describe('a new cluster next to an existing one on the same host', () => {
    const specs: ClusterSpec[] = [
      { style: 'replicated-leveldb', nodes: 3, layout: 'one-host', activemqVersion: '5.16.7', host: 'localhost' },
      { style: 'replicated-leveldb', nodes: 3, layout: 'one-host', activemqVersion: '5.16.7', host: 'zzyymq-server' },
      { style: 'shared-kahadb', nodes: 2, layout: 'one-host', activemqVersion: '5.18.3' },
      { style: 'jdbc', nodes: 3, layout: 'one-host', activemqVersion: '5.17.2' },
    ];
    for (const spec of specs) {
      it(`${spec.style} on ${spec.host ?? 'localhost'}: uses none of its ports, merges with nothing and lints clean`, () => {
        const files = workspace();
        const s = loaded(files);
        const before = analyze(files);
        const g = s.generate(spec);
        const all = new Map(files);
        for (const [rel, text] of g.files) all.set(`newcluster/${rel}`, text);
        const after = analyze(all);
        // the new cluster's files: nothing but the LevelDB notice a 5.16 target gets
        const mine = after.findings.filter((f) => f.file.startsWith('newcluster/') && !(f.code === 'leveldb-unsupported' && f.severity === 'information'));
        assert.deepEqual(mine.map((f) => `${f.file} ${f.code}: ${f.message}`), []);
        // the existing files: the same findings as before
        const key = (f: { file: string; code: string; message: string }) => `${f.file} ${f.code}: ${f.message}`;
        assert.deepEqual(after.findings.filter((f) => !f.file.startsWith('newcluster/')).map(key), before.findings.map(key));
        // no port the examples' machine uses, and no ensemble merged
        const used = new Set([...before.model.hosts.values()].flat().map((l) => l.port));
        const fresh = [...after.model.brokers, ...after.model.zkNodes].filter((n) => n.file.startsWith('newcluster/'));
        for (const n of fresh) for (const l of n.listeners) assert.ok(!used.has(l.port), `${n.name} ${l.label} ${l.port} is taken`);
        assert.equal(after.model.ensembles.length, before.model.ensembles.length + (spec.style === 'replicated-leveldb' ? 1 : 0));
        for (const e of after.model.ensembles) assert.ok(e.members.every((m) => m.file.startsWith('newcluster/')) || e.members.every((m) => !m.file.startsWith('newcluster/')));
        assert.ok(buildPlan(after.model, after.findings).hosts.every((h) => h.listeners.filter((l) => l.file.startsWith('newcluster/')).every((l) => !l.collision)));
      });
    }

    it('keeps the defaults in an empty workspace, and a second cluster avoids the first', () => {
      const spec: ClusterSpec = { style: 'replicated-leveldb', nodes: 3, layout: 'one-host', activemqVersion: '5.16.7' };
      const s = new AnalysisService();
      const first = s.generate(spec);
      assert.match(first.files.get('zk1/conf/zoo.cfg')!, /clientPort=2181\n[\s\S]*server\.1=localhost:2888:3888/);
      assert.match(first.files.get('broker1/conf/activemq.xml')!, /brokerName="amq-cluster"/);
      for (const [rel, text] of first.files) s.setFile(`one/${rel}`, text);
      s.update();
      const second = s.generate(spec);
      assert.match(second.files.get('broker1/conf/activemq.xml')!, /brokerName="amq-cluster-2"/);
      assert.match(second.files.get('zk1/conf/zoo.cfg')!, /clientPort=2184\n[\s\S]*server\.1=localhost:2891:3891/);
      assert.match(second.failoverUrl, /localhost:61619,/);
    });
  });
});
