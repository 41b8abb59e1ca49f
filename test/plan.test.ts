/** The cluster tree and the port plan, data-level, from fixture workspaces. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../server/src/core/analyze';
import { buildPlan, renderPlanMarkdown } from '../server/src/core/plan';
import { parseFixture } from './fixture';

const FIX = path.resolve(__dirname, '..', '..', 'test', 'fixtures');

function planOf(rel: string) {
  const fx = parseFixture(rel, fs.readFileSync(path.join(FIX, rel), 'utf8'));
  const res = analyze(fx.files, fx.options);
  return buildPlan(res.model, res.findings);
}

describe('cluster plan', () => {
  it('one host: one ensemble, one replication set, every listener on one host, no collision', () => {
    const plan = planOf('layouts/one-host-offset-ports.fixture');
    assert.deepEqual(
      plan.clusters.map((c) => [c.kind, c.arithmetic]),
      [
        ['zookeeper-ensemble', '3 of 3 nodes, quorum 2, tolerates 1 failure'],
        ['replicated-leveldb', '3 of 3 nodes, quorum 2, tolerates 1 failure'],
      ],
    );
    assert.equal(plan.hosts.length, 1);
    assert.equal(plan.hosts[0].label, 'zzyymq-server');
    assert.equal(plan.hosts[0].listeners.length, 3 * 4 + 3 * 3);
    assert.ok(plan.hosts[0].listeners.every((l) => !l.collision && !l.nearMiss));
    const zk1 = plan.clusters[0].nodes[0];
    assert.equal(zk1.role, 'server.1 participant');
    assert.deepEqual(zk1.problems, { errors: 0, warnings: 0, infos: 0 });
  });

  it('marks collisions and per-node problem counts', () => {
    const plan = planOf('rules/port-conflict/invalid-zk-client-port.fixture');
    const collided = plan.hosts.flatMap((h) => h.listeners).filter((l) => l.collision);
    assert.deepEqual(collided.map((l) => `${l.node}:${l.port}`).sort(), ['zk2:2182', 'zk3:2182']);
    const zk3 = plan.clusters[0].nodes.find((n) => n.name === 'zk3')!;
    assert.equal(zk3.problems.errors, 1);
    const md = renderPlanMarkdown(plan);
    assert.match(md, /\| 2182 \| zk3 \| clientPort \| 0\.0\.0\.0 \| zk\/zk3\/conf\/zoo\.cfg \| \*\*COLLISION\*\* \|/);
  });

  it('marks a port repeated inside a master/slave group as a near miss, not a collision', () => {
    const plan = planOf('rules/port-conflict/invalid-broker-web-port.fixture');
    const l = plan.hosts.flatMap((h) => h.listeners).filter((x) => x.port === 61617);
    assert.equal(l.length, 2);
    assert.ok(l.every((x) => x.nearMiss && !x.collision));
  });

  it('shows a split replication set that cannot reach quorum, and shared-store and network clusters', () => {
    const split = planOf('rules/broker-name-mismatch/invalid-typo-one-node.fixture');
    assert.ok(split.clusters.some((c) => c.kind === 'replicated-leveldb' && /1 of 3 nodes, quorum 2, tolerates 0 failures — cannot reach quorum/.test(c.arithmetic)));
    const shared = planOf('layouts/shared-kahadb-network.fixture');
    assert.deepEqual(shared.clusters.map((c) => c.kind), ['shared-file', 'network-of-brokers']);
    assert.match(shared.clusters[0].name, /\/data\/data/);
  });
});

describe('plan: containers', () => {
  it('lists compose services with image and published ports, and maps listener locations into the compose file', () => {
    const text = [
      'services:',
      '  zoo1:',
      '    image: zookeeper:3.8',
      '    ports:',
      '      - "2181:2181"',
      '    environment:',
      '      ZOO_MY_ID: 1',
      '      ZOO_SERVERS: server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181',
      '  web:',
      '    image: nginx:1.25',
      '    ports:',
      '      - "127.0.0.1:8080:80"',
      '',
    ].join('\n');
    const res = analyze(new Map([['docker-compose.yml', text]]));
    const plan = buildPlan(res.model, res.findings);
    assert.deepEqual(
      plan.containers.map((c) => [c.name, c.image, c.published.join(' '), c.node ?? '']),
      [
        ['zoo1', 'zookeeper:3.8', '0.0.0.0:2181->2181/tcp', 'zoo1'],
        ['web', 'nginx:1.25', '127.0.0.1:8080->80/tcp', ''],
      ],
    );
    const client = plan.hosts.flatMap((h) => h.listeners).find((l) => l.kind === 'zk-client')!;
    assert.equal(client.file, 'docker-compose.yml');
    assert.equal(text.slice(client.span.start, client.span.end), '2181');
    assert.ok(text.slice(0, client.span.start).includes('server.1=zoo1:2888:3888;'));
    assert.match(renderPlanMarkdown(plan), /## Containers[\s\S]*\| zoo1 \| docker-compose.yml \| zookeeper:3.8 \| 0\.0\.0\.0:2181->2181\/tcp \| zoo1 \|/);
  });
});
