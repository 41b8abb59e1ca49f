/**
 * Documents inside containers' files: fixes on an activemq.xml inside a ConfigMap's block scalar
 * or on a ZooKeeper environment variable of a compose file change exactly their bytes of the YAML.
 */
import * as assert from 'node:assert/strict';
import { analyze } from '../server/src/core/analyze';
import { applyEdits } from '../server/src/core/text';
import type { Finding } from '../server/src/core/types';

function preferred(f: Finding) {
  const fix = (f.fixes ?? []).find((x) => x.isPreferred);
  assert.ok(fix, `a preferred fix for ${f.code}: ${f.message}`);
  return fix!;
}

/** Applies one fix to a snapshot and returns the changed file's new text. */
function apply(files: Map<string, string>, f: Finding): Map<string, string> {
  const out = new Map(files);
  const fix = preferred(f);
  const byFile = new Map<string, { span: { start: number; end: number }; newText: string }[]>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) out.set(file, applyEdits(out.get(file)!, edits));
  return out;
}

function configMap(indent: number, eol: string, chomp: string): string {
  const pad = ' '.repeat(indent);
  const lines = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: amq',
    'data:',
    `  activemq.xml: |${chomp}`,
    `${pad}<beans xmlns="http://www.springframework.org/schema/beans">`,
    `${pad}  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="amq">`,
    `${pad}    <transportConnectors>`,
    `${pad}      <transportConnector name="openwire" uri="tcp://0.0.0.0:61616?maximumConnections=1000&wireFormat.maxFrameSize=104857600"/>`,
    `${pad}    </transportConnectors>`,
    `${pad}  </broker>`,
    `${pad}</beans>`,
    '  other: x',
    '',
  ];
  return lines.join(eol);
}

describe('documents inside containers', () => {
  for (const [indent, eol, chomp] of [
    [4, '\n', ''],
    [6, '\r\n', '-'],
    [8, '\n', '+'],
  ] as const) {
    it(`a ConfigMap block scalar (indent ${indent}, ${eol === '\n' ? 'LF' : 'CRLF'}, |${chomp}): the xml-syntax fix replaces just the bare &`, () => {
      const text = configMap(indent, eol, chomp);
      const files = new Map([['k8s/cm.yaml', text]]);
      const res = analyze(files);
      const amp = res.findings.filter((f) => f.code === 'xml-syntax');
      assert.equal(amp.length, 1, JSON.stringify(res.findings.map((f) => f.message)));
      assert.equal(text.slice(amp[0].span.start, amp[0].span.end), '&');
      const fixed = apply(files, amp[0]).get('k8s/cm.yaml')!;
      const at = text.indexOf('&wireFormat');
      assert.equal(fixed, text.slice(0, at) + '&amp;' + text.slice(at + 1));
      assert.deepEqual(analyze(new Map([['k8s/cm.yaml', fixed]])).findings.filter((f) => f.code === 'xml-syntax'), []);
    });
  }

  it('a compose environment variable: the duplicate ZOO_MY_ID fix edits the value inside the YAML only', () => {
    const svc = (n: number, id: number) =>
      [`  zoo${n}:`, '    image: zookeeper:3.9', '    environment:', `      ZOO_MY_ID: ${id}`, '      ZOO_SERVERS: server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181'].join('\n');
    const text = ['services:', svc(1, 1), svc(2, 2), svc(3, 5), ''].join('\n');
    const files = new Map([['docker-compose.yml', text]]);
    const res = analyze(files);
    const f = res.findings.find((x) => x.code === 'zk-myid-mismatch');
    assert.ok(f, JSON.stringify(res.findings.map((x) => x.message)));
    assert.equal(text.slice(f!.span.start, f!.span.end), '5');
    const fixed = apply(files, f!).get('docker-compose.yml')!;
    assert.equal(fixed, text.replace('ZOO_MY_ID: 5', 'ZOO_MY_ID: 3'));
    assert.deepEqual(analyze(new Map([['docker-compose.yml', fixed]])).findings.filter((x) => x.code === 'zk-myid-mismatch'), []);
  });

  it('a fix on text that a Helm expression renders is never offered', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: amq',
      'data:',
      '  activemq.xml: |',
      '    <broker xmlns="http://activemq.apache.org/schema/core" brokerName="{{ .Values.name }}">',
      '      <transportConnectors>',
      '        <transportConnector name="openwire" uri="tcp://0.0.0.0:{{ .Values.port }}"/>',
      '      </transportConnectors>',
      '    </broker>',
      '',
    ].join('\n');
    const res = analyze(new Map([['chart/templates/cm.yaml', text]]));
    assert.deepEqual(res.findings, []);
  });

  it('a 5 MB multi-document manifest is read document by document (unrelated documents are never parsed)', function () {
    this.timeout(60000);
    const parts: string[] = [];
    let len = 0;
    for (let i = 0; len < 5 * 1024 * 1024; i++) {
      const d =
        i % 50 === 0
          ? `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: zk-${i}\ndata:\n  zoo.cfg: |\n    tickTime=2000\n    initLimit=10\n    syncLimit=5\n    dataDir=/var/lib/zookeeper\n    clientPort=2181\n    server.1=zk${i}-0.hs:2888:3888\n    server.2=zk${i}-1.hs:2888:3888\n    server.3=zk${i}-2.hs:2888:3888\n`
          : `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.25\n          env:\n            - name: A\n              value: "${'b'.repeat(200)}"\n`;
      parts.push(d);
      len += d.length;
    }
    const text = parts.join('');
    const res = analyze(new Map([['big.yaml', text]]));
    // every ConfigMap's zoo.cfg is a node, mapped into the right document of the file
    assert.equal(res.model.zkNodes.length, Math.ceil(parts.length / 50));
    const last = res.model.zkNodes[res.model.zkNodes.length - 1];
    const at = res.model.files.toSource(last.file, last.config.servers[0].entry.keySpan);
    assert.equal(text.slice(at.span.start, at.span.end), 'server.1');
    assert.ok(text.lastIndexOf('name: zk-') < at.span.start);
  });

  it('hovers show containers: a compose service with image and published ports, and the host table of a port written in an environment variable', () => {
    const { AnalysisService } = require('../server/src/core/service') as typeof import('../server/src/core/service');
    const text = [
      'services:',
      '  zoo1:',
      '    image: zookeeper:3.8',
      '    ports:',
      '      - "2181:2181"',
      '    environment:',
      '      ZOO_MY_ID: 1',
      '      ZOO_SERVERS: server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181',
      '',
    ].join('\n');
    const svc = new AnalysisService();
    svc.setFile('docker-compose.yml', text);
    svc.update();
    const onService = svc.hover('docker-compose.yml', text.indexOf('zoo1:') + 1);
    assert.ok(onService, 'a hover on the service name');
    assert.match(onService!.markdown, /\*\*zoo1\*\* — compose service/);
    assert.match(onService!.markdown, /zookeeper:3\.8/);
    assert.match(onService!.markdown, /0\.0\.0\.0:2181 \| 2181\/tcp \| server\.1 client port/);
    const clientPort = text.indexOf('3888;2181') + '3888;'.length;
    const onPort = svc.hover('docker-compose.yml', clientPort + 1);
    assert.ok(onPort, 'a hover on the client port inside ZOO_SERVERS');
    assert.match(onPort!.markdown, /\*\*2181\*\* — server\.1 client port of `zoo1`/);
    assert.equal(text.slice(onPort!.span.start, onPort!.span.end), '2181');
  });
});

