/**
 * What our own snippets insert lints clean: no error and no warning, for every ActiveMQ / ZooKeeper
 * version the snippet is meant for (and for an unknown version).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../server/src/core/analyze';
import { expectedMyIdPath } from '../server/src/core/model/workspace';
import { snippetVariables } from '../server/src/core/assist/workspace';
import type { AnalysisOptions } from '../server/src/core/types';

const ROOT = path.resolve(__dirname, '..', '..');

interface Snippet {
  prefix: string[];
  description: string;
  body: string[];
}

function load(name: string): Record<string, Snippet> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', `${name}.json`), 'utf8')) as Record<string, Snippet>;
}

/** The text a snippet inserts when every tab stop keeps its default (TextMate snippet syntax). */
export function expand(body: string[], vars: Record<string, string>): string {
  let text = body.join('\n');
  const v = (name: string) => vars[name] ?? '';
  for (let guard = 0; guard < 10 && /\$\{\d+[:|]/.test(text); guard++) {
    text = text.replace(/\$\{\d+:((?:[^{}]|\{[^{}]*\})*)\}/g, (_, dflt: string) => dflt).replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, (_, first: string) => first);
  }
  text = text.replace(/(?<!\\)\$\{([A-Z_]+)\}/g, (_, n: string) => v(n)).replace(/(?<!\\)\$([A-Z_]+)/g, (_, n: string) => v(n));
  return text.replace(/\\\$/g, '$');
}

function clean(files: Map<string, string>, options: AnalysisOptions): string[] {
  return analyze(files, options)
    .findings.filter((f) => f.severity === 'error' || f.severity === 'warning')
    .map((f) => `${f.severity} ${f.code} ${f.file}: ${f.message}`);
}

const ACTIVEMQ_VERSIONS = ['5.9.0', '5.12.0', '5.15.9', '5.16.7', undefined];
const ZOOKEEPER_VERSIONS = ['3.4.14', '3.5.10', '3.8.0', undefined];

describe('snippets lint clean', () => {
  const file = 'mq/node1/conf/activemq.xml';
  for (const [name, s] of Object.entries(load('activemq'))) {
    it(`activemq: ${name} (ActiveMQ ${ACTIVEMQ_VERSIONS.map((v) => v ?? 'unknown').join(', ')})`, () => {
      const body = expand(s.body, snippetVariables(file, undefined));
      const xml = `<broker xmlns="http://activemq.apache.org/schema/core" brokerName="node1" dataDirectory="\${activemq.data}">\n${body}\n</broker>\n`;
      for (const v of ACTIVEMQ_VERSIONS) assert.deepEqual(clean(new Map([[file, xml]]), { activemqVersion: v }), [], `ActiveMQ ${v ?? 'unknown'}:\n${xml}`);
    });
  }
  for (const [name, s] of Object.entries(load('jetty'))) {
    it(`jetty: ${name}`, () => {
      const body = expand(s.body, snippetVariables('mq/node1/conf/jetty.xml', undefined));
      const files = new Map([
        [file, '<beans xmlns="http://www.springframework.org/schema/beans">\n<broker xmlns="http://activemq.apache.org/schema/core" brokerName="node1"/>\n<import resource="jetty.xml"/>\n</beans>\n'],
        ['mq/node1/conf/jetty.xml', `<beans xmlns="http://www.springframework.org/schema/beans">\n${body}\n</beans>\n`],
      ]);
      for (const v of ACTIVEMQ_VERSIONS) assert.deepEqual(clean(files, { activemqVersion: v }), []);
    });
  }
  for (const [name, s] of Object.entries(load('zoocfg'))) {
    it(`zoo.cfg: ${name} (ZooKeeper ${ZOOKEEPER_VERSIONS.map((v) => v ?? 'unknown').join(', ')})`, () => {
      const body = expand(s.body, snippetVariables('zk/zk1/conf/zoo.cfg', undefined));
      // a line of its own (server.N) goes into a minimal ensemble member
      const cfg = body.includes('tickTime') ? body : ['tickTime=2000', 'initLimit=10', 'syncLimit=5', 'dataDir=/var/lib/zookeeper', 'clientPort=2181', body, 'server.2=zk2:2888:3888', 'server.3=zk3:2888:3888'].join('\n');
      const files = new Map([['zk/zk1/conf/zoo.cfg', cfg + '\n']]);
      const dataDir = /^dataDir=(.*)$/m.exec(cfg)?.[1];
      const myid = expectedMyIdPath('zk/zk1', dataDir);
      if (myid) files.set(myid, '1\n');
      for (const v of ZOOKEEPER_VERSIONS) assert.deepEqual(clean(files, { zookeeperVersion: v }), [], `ZooKeeper ${v ?? 'unknown'}:\n${cfg}`);
    });
  }
  for (const [name, s] of Object.entries(load('client'))) {
    it(`client: ${name}`, () => {
      const body = expand(s.body, snippetVariables('app/src/main/resources/application.properties', undefined));
      assert.deepEqual(clean(new Map([['app/src/main/resources/application.properties', `spring.activemq.broker-url=${body}\n`]]), {}), []);
    });
  }
});
