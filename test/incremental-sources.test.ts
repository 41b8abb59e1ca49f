/**
 * Incremental analysis over the layouts recognition adds (per-node files in one folder, compose
 * services, Kubernetes manifests, templates, sed scripts): after every random edit the result
 * must equal a full analysis of the same files.
 */
import * as assert from 'node:assert/strict';
import { analyze, compareFindings } from '../server/src/core/analyze';
import { IncrementalAnalyzer } from '../server/src/core/incremental';
import type { Finding } from '../server/src/core/types';
import { rng } from '../bench/workspace';

function key(f: Finding): string {
  return `${f.file}:${f.span.start}-${f.span.end} ${f.severity} ${f.code} ${f.message} ${JSON.stringify(f.related)}`;
}

function zooServers(prefix: string, n: number, client: boolean): string {
  return Array.from({ length: n }, (_, i) => `server.${i + 1}=${prefix}${i + 1}:2888:3888${client ? ';2181' : ''}`).join(' ');
}

function workspace(sites: number): Map<string, string> {
  const files = new Map<string, string>();
  for (let s = 0; s < sites; s++) {
    const svc = (i: number) =>
      [`  zoo${i}:`, '    image: zookeeper:3.8', '    ports:', `      - "${2180 + i}:2181"`, '    environment:', `      ZOO_MY_ID: ${i}`, `      ZOO_SERVERS: ${zooServers('zoo', 3, true)}`].join('\n');
    files.set(`site${s}/compose/docker-compose.yml`, ['services:', svc(1), svc(2), svc(3), ''].join('\n'));
    for (let i = 1; i <= 3; i++) {
      files.set(
        `site${s}/zk/zoo${i}.cfg`,
        ['tickTime=2000', 'initLimit=10', 'syncLimit=5', `dataDir=/opt/zk/data/zk${i}`, `clientPort=${2190 + i}`, 'admin.enableServer=false', 'server.1=127.0.0.1:2888:3888', 'server.2=127.0.0.1:2889:3889', 'server.3=127.0.0.1:2890:3890', ''].join('\n'),
      );
      files.set(`site${s}/zk/data/zk${i}/myid`, `${i}\n`);
      files.set(
        `site${s}/amq/activemq_${i}.xml`,
        [
          '<beans xmlns="http://www.springframework.org/schema/beans">',
          `  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="amq${s}" useJmx="USE_JMX" dataDirectory="\${activemq.data}">`,
          '    <persistenceAdapter>',
          `      <replicatedLevelDB directory="\${activemq.data}/leveldb" replicas="3" bind="tcp://0.0.0.0:${63630 + i}" zkAddress="127.0.0.1:2191,127.0.0.1:2192,127.0.0.1:2193" zkPath="/amq"/>`,
          '    </persistenceAdapter>',
          '    <transportConnectors>',
          `      <transportConnector name="openwire" uri="tcp://0.0.0.0:${61615 + i}"/>`,
          '    </transportConnectors>',
          '  </broker>',
          '</beans>',
          '',
        ].join('\n'),
      );
    }
    files.set(
      `site${s}/k8s/cm.yaml`,
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        `  name: zk-config-${s}`,
        'data:',
        '  zoo.cfg: |',
        '    tickTime=2000',
        '    initLimit=10',
        '    syncLimit=5',
        '    dataDir=/var/lib/zookeeper/data',
        '    clientPort=2181',
        ...Array.from({ length: 3 }, (_, i) => `    server.${i + 1}=zk-${i}.zk-hs:2888:3888`),
        '',
      ].join('\n'),
    );
    // the StatefulSet that mounts it, in a file of its own
    files.set(
      `site${s}/k8s/sts.yaml`,
      [
        'apiVersion: apps/v1',
        'kind: StatefulSet',
        'metadata:',
        '  name: zk',
        'spec:',
        '  serviceName: zk-hs',
        '  replicas: 3',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: zk',
        '          image: zookeeper:3.8',
        '          command: ["/scripts/run"]',
        '      volumes:',
        '        - name: conf',
        '          configMap:',
        `            name: zk-config-${s}`,
        '',
      ].join('\n'),
    );
    // a repository zoo.cfg and myid mounted into a compose service of another folder
    files.set(
      `site${s}/mounted/docker-compose.yml`,
      ['services:', '  zm:', '    image: zookeeper:3.8', '    ports:', '      - "2181:2181"', '    volumes:', `      - ../conf-m/zoo.cfg:/conf/zoo.cfg`, `      - ../data-m:/data`, ''].join('\n'),
    );
    files.set(`site${s}/conf-m/zoo.cfg`, 'tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=zm:2888:3888\nserver.2=zm2:2888:3888\nserver.3=zm3:2888:3888\n');
    files.set(`site${s}/data-m/myid`, '1\n');
    files.set(`site${s}/roles/zk/templates/zoo.cfg.j2`, 'tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir={{ zk_dir }}\nclientPort={{ zk_port }}\n');
  }
  files.set('docker/entrypoint.sh', '#!/bin/sh\nsed -i "s/USE_JMX/${USE_JMX:-false}/" /opt/activemq/conf/activemq.xml\n');
  return files;
}

const EDITS: [RegExp, (m: string, r: () => number) => string][] = [
  [/ZOO_MY_ID: \d/, (_m, r) => `ZOO_MY_ID: ${1 + Math.floor(r() * 4)}`],
  [/"\d+:2181"/, (_m, r) => `"${2180 + Math.floor(r() * 4)}:2181"`],
  [/ZOO_SERVERS: [^\n]*/, (_m, r) => `ZOO_SERVERS: ${zooServers(r() < 0.5 ? 'zoo' : 'zk', 2 + Math.floor(r() * 3), r() < 0.8)}`],
  [/clientPort=\d+/, (_m, r) => `clientPort=${2190 + Math.floor(r() * 4)}`],
  [/^\d+/, (_m, r) => `${1 + Math.floor(r() * 4)}`],
  [/zkAddress="[^"]*"/, (m, r) => m.replace(/:219(\d)/, `:219${Math.floor(r() * 5)}`)],
  [/brokerName="[^"]*"/, (_m, r) => `brokerName="amq${Math.floor(r() * 3)}"`],
  [/replicas: \d/, (_m, r) => `replicas: ${1 + Math.floor(r() * 5)}`],
  [/server\.3=zk-2/, (_m, r) => (r() < 0.5 ? 'server.3=zk-7' : 'server.3=zk-2')],
  [/useJmx="[^"]*"/, (_m, r) => (r() < 0.5 ? 'useJmx="USE_JMX"' : 'useJmx="yes"')],
  [/s\/USE_JMX\//, (_m, r) => (r() < 0.5 ? 's/USE_JMX/' : 's/NO_SUCH/')],
  [/clientPort=\{\{ zk_port \}\}/, () => 'clientPort=abc'],
  [/"2181:2181"/, (_m, r) => `"${2181 + Math.floor(r() * 2)}:${r() < 0.5 ? 2181 : 2182}"`],
  [/server\.2=zm2/, (_m, r) => (r() < 0.5 ? 'server.2=zm' : 'server.2=zm2')],
];

describe('incremental analysis over containers, manifests, per-node files and templates', function () {
  this.timeout(120000);
  for (const seed of [11, 12]) {
    it(`equals a full analysis after each of 100 random edits (seed ${seed})`, () => {
      const files = workspace(3);
      const inc = new IncrementalAnalyzer();
      for (const [p, t] of files) inc.set(p, t);
      inc.update();
      assert.deepEqual(inc.allFindings().sort(compareFindings).map(key), analyze(files).findings.map(key));
      const paths = [...files.keys()];
      const r = rng(seed * 104729);
      for (let i = 0; i < 100; i++) {
        // an edit kind first, then a file it applies to: every step changes something
        const [re, fn] = EDITS[Math.floor(r() * EDITS.length)];
        const rx = new RegExp(re.source, re.flags.includes('m') ? re.flags : re.flags + 'm');
        const candidates = paths.filter((x) => rx.test(files.get(x)!));
        if (candidates.length === 0) continue;
        const p = candidates[Math.floor(r() * candidates.length)];
        const text = files.get(p)!;
        const m = rx.exec(text)!;
        const next = text.slice(0, m.index) + fn(m[0], r) + text.slice(m.index + m[0].length);
        files.set(p, next);
        inc.set(p, next);
        inc.update();
        const want = analyze(files).findings.map(key);
        const got = inc.allFindings().sort(compareFindings).map(key);
        assert.deepEqual(got, want, `after edit ${i} of ${p}`);
      }
    });
  }
});
