/**
 * The "new cluster" generator: writes the node folders of a correct cluster (activemq.xml,
 * jetty.xml, zoo.cfg, myid, a client failover URL and a port plan README) as a file map.
 * Pure: the adapters (CLI, VS Code command, tests) write the files.
 */
import { versionAtLeast } from '../model/versions';

export type ClusterStyle = 'replicated-leveldb' | 'shared-kahadb' | 'jdbc';

export interface ClusterSpec {
  style: ClusterStyle;
  /** broker count (replicated LevelDB: also the ZooKeeper count, rounded up to an odd number >= 3) */
  nodes: number;
  /** 'one-host': every node on one machine with port offsets; 'per-node': one machine per node, identical ports */
  layout: 'one-host' | 'per-node';
  /** host name of the single machine ('one-host', default localhost), or a prefix of the machine names ('per-node': <prefix>mq1, <prefix>zk1, ...) */
  host?: string;
  /** ActiveMQ version the configs target, e.g. "5.16.7" or "5.18.3" */
  activemqVersion: string;
  /** broker name (one per replication set / group) */
  brokerName?: string;
  /** where the cluster is installed on the target machine(s), for dataDir / shared store paths */
  installRoot?: string;
  /** folder (relative) the files are generated into */
  folder?: string;
  ports?: Partial<BasePorts>;
}

export interface BasePorts {
  openwire: number;
  web: number;
  replication: number;
  zkClient: number;
  zkQuorum: number;
  zkElection: number;
  zkAdmin: number;
}

export const DEFAULT_PORTS: BasePorts = {
  openwire: 61616,
  web: 8161,
  replication: 63631,
  zkClient: 2181,
  zkQuorum: 2888,
  zkElection: 3888,
  zkAdmin: 8080,
};

export class GeneratorError extends Error {}

export interface GeneratedCluster {
  files: Map<string, string>;
  /** the failover URL clients should use */
  failoverUrl: string;
  summary: string;
}

const ALTERNATIVES =
  'Use shared-kahadb (a shared file system such as NFSv4 or a SAN, with the KahaDB file lock) or jdbc (a shared database with a lease-database-locker) instead; for replication without shared storage, ActiveMQ Artemis offers replicated HA.';

export function validateSpec(spec: ClusterSpec): void {
  if (!Number.isInteger(spec.nodes) || spec.nodes < 2 || spec.nodes > 15) throw new GeneratorError('nodes must be an integer from 2 to 15 (a master/slave group needs at least 2 brokers).');
  if (!/^\d+\.\d+(\.\d+)?$/.test(spec.activemqVersion)) throw new GeneratorError(`activemqVersion must look like 5.16.7, got '${spec.activemqVersion}'.`);
  if (spec.style === 'replicated-leveldb') {
    if (versionAtLeast(spec.activemqVersion, 5, 17)) {
      throw new GeneratorError(
        `Replicated LevelDB was removed in ActiveMQ 5.17.0 (and unsupported since 5.14.2); a ${spec.activemqVersion} broker refuses to start with "Invalid content was found starting with element replicatedLevelDB". ${ALTERNATIVES}`,
      );
    }
    if (!versionAtLeast(spec.activemqVersion, 5, 9)) throw new GeneratorError(`Replicated LevelDB needs ActiveMQ 5.9 or newer, not ${spec.activemqVersion}.`);
  }
  const ports = { ...DEFAULT_PORTS, ...spec.ports };
  for (const [k, v] of Object.entries(ports)) {
    if (!Number.isInteger(v) || v < 1 || v + 20 > 65535) throw new GeneratorError(`port ${k}=${v} is out of range.`);
  }
}

/** How many ZooKeeper servers a spec's cluster gets: an odd number >= 3 for replicated LevelDB, else none. */
export function zkCountFor(spec: Pick<ClusterSpec, 'style' | 'nodes'>): number {
  return spec.style === 'replicated-leveldb' ? Math.max(3, spec.nodes % 2 === 1 ? spec.nodes : spec.nodes + 1) : 0;
}

/** The machine names a spec's cluster runs on (one-host: one name; per-node: one per node). */
export function machinesFor(spec: Pick<ClusterSpec, 'style' | 'nodes' | 'layout' | 'host'>): { brokers: string[]; zookeepers: string[] } {
  const oneHost = spec.layout === 'one-host';
  const base = spec.host ?? (oneHost ? 'localhost' : '');
  const names = (kind: string, n: number) => Array.from({ length: n }, (_, k) => (oneHost ? base : `${base}${kind}${k + 1}`));
  return { brokers: names('mq', spec.nodes), zookeepers: names('zk', zkCountFor(spec)) };
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

export function generateCluster(spec: ClusterSpec): GeneratedCluster {
  validateSpec(spec);
  const p = { ...DEFAULT_PORTS, ...spec.ports };
  const folderName = (spec.folder ?? 'cluster').replace(/\/+$/, '');
  const folder = folderName === '.' || folderName === '' ? '' : folderName + '/';
  const name = spec.brokerName ?? 'amq-cluster';
  const install = (spec.installRoot ?? `/opt/${name}`).replace(/\/+$/, '');
  const oneHost = spec.layout === 'one-host';
  const hostBase = spec.host ?? (oneHost ? 'localhost' : '');
  const brokerHost = (i: number) => (oneHost ? hostBase : `${hostBase}mq${i}`);
  const zkHost = (i: number) => (oneHost ? hostBase : `${hostBase}zk${i}`);
  const off = (i: number) => (oneHost ? i - 1 : 0);
  const files = new Map<string, string>();
  const shippedHost = versionAtLeast(spec.activemqVersion, 5, 16) ? '127.0.0.1' : '0.0.0.0';
  const webHost = oneHost ? shippedHost : '0.0.0.0';
  const plan: string[] = ['| node | host | openwire | web console | replication bind | ZooKeeper client / quorum / election / admin |', '|---|---|---:|---:|---:|---|'];

  // ZooKeeper ensemble for replicated LevelDB
  let zkAddress = '';
  const zkCount = zkCountFor(spec);
  if (zkCount) {
    const serverLines: string[] = [];
    for (let i = 1; i <= zkCount; i++) serverLines.push(`server.${i}=${zkHost(i)}:${p.zkQuorum + off(i)}:${p.zkElection + off(i)}`);
    for (let i = 1; i <= zkCount; i++) {
      const dataDir = `${install}/zk${i}/data`;
      files.set(
        `${folder}zk${i}/conf/zoo.cfg`,
        [
          `# ZooKeeper server ${i} of ${zkCount} (quorum ${Math.floor(zkCount / 2) + 1}, tolerates ${zkCount - (Math.floor(zkCount / 2) + 1)} failure${zkCount - (Math.floor(zkCount / 2) + 1) === 1 ? '' : 's'})`,
          'tickTime=2000',
          'initLimit=10',
          'syncLimit=5',
          `dataDir=${dataDir}`,
          `clientPort=${p.zkClient + off(i)}`,
          `admin.serverPort=${p.zkAdmin + off(i)}`,
          ...serverLines,
          '',
        ].join('\n'),
      );
      files.set(`${folder}zk${i}/data/myid`, `${i}\n`);
      plan.push(`| zk${i} | ${zkHost(i)} | | | | ${p.zkClient + off(i)} / ${p.zkQuorum + off(i)} / ${p.zkElection + off(i)} / ${p.zkAdmin + off(i)} |`);
    }
    zkAddress = Array.from({ length: zkCount }, (_, k) => `${zkHost(k + 1)}:${p.zkClient + off(k + 1)}`).join(',');
  }

  const failover: string[] = [];
  for (let i = 1; i <= spec.nodes; i++) {
    const node = `broker${i}`;
    const openwire = p.openwire + off(i);
    const web = p.web + off(i);
    const bind = p.replication + off(i);
    const bn = spec.style === 'jdbc' ? `${name}-${i}` : name;
    let store: string;
    if (spec.style === 'replicated-leveldb') {
      store = [
        '        <persistenceAdapter>',
        '            <replicatedLevelDB',
        '              directory="${activemq.data}/leveldb"',
        `              replicas="${spec.nodes}"`,
        `              bind="tcp://0.0.0.0:${bind}"`,
        `              zkAddress="${xmlEscape(zkAddress)}"`,
        `              zkPath="/activemq/leveldb-stores/${xmlEscape(name)}"`,
        `              hostname="${xmlEscape(brokerHost(i))}"`,
        '              sync="quorum_mem"/>',
        '        </persistenceAdapter>',
      ].join('\n');
    } else if (spec.style === 'shared-kahadb') {
      store = [
        '        <persistenceAdapter>',
        `            <kahaDB directory="${xmlEscape(install)}/shared/kahadb">`,
        '                <locker>',
        '                    <shared-file-locker lockAcquireSleepInterval="10000"/>',
        '                </locker>',
        '            </kahaDB>',
        '        </persistenceAdapter>',
      ].join('\n');
    } else {
      store = [
        '        <persistenceAdapter>',
        '            <jdbcPersistenceAdapter dataSource="#amq-ds" lockKeepAlivePeriod="5000">',
        '                <locker>',
        `                    <lease-database-locker lockAcquireSleepInterval="10000" leaseHolderId="${node}"/>`,
        '                </locker>',
        '            </jdbcPersistenceAdapter>',
        '        </persistenceAdapter>',
      ].join('\n');
    }
    const dataSource =
      spec.style === 'jdbc'
        ? [
            '',
            '    <!-- the shared database; every broker of the group uses the same one -->',
            '    <bean id="amq-ds" class="org.apache.commons.dbcp2.BasicDataSource" destroy-method="close">',
            '        <property name="driverClassName" value="com.mysql.cj.jdbc.Driver"/>',
            '        <property name="url" value="jdbc:mysql://db-host:3306/activemq?relaxAutoCommit=true"/>',
            '        <property name="username" value="activemq"/>',
            '        <property name="password" value="${activemq.db.password}"/>',
            '    </bean>',
          ].join('\n')
        : '';
    files.set(
      `${folder}${node}/conf/activemq.xml`,
      `<?xml version="1.0" encoding="UTF-8"?>
<!-- ${node} of ${spec.nodes}: ${spec.style} master/slave, generated for ActiveMQ ${spec.activemqVersion} -->
<beans
  xmlns="http://www.springframework.org/schema/beans"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">

    <bean class="org.springframework.beans.factory.config.PropertyPlaceholderConfigurer">
        <property name="locations">
            <value>file:\${activemq.conf}/credentials.properties</value>
        </property>
    </bean>
${dataSource}
    <broker xmlns="http://activemq.apache.org/schema/core" brokerName="${xmlEscape(bn)}" dataDirectory="\${activemq.data}">

        <managementContext>
            <managementContext createConnector="false"/>
        </managementContext>

${store}

        <transportConnectors>
            <!-- DOS protection, limit concurrent connections to 1000 and frame size to 100MB -->
            <transportConnector name="openwire" uri="tcp://0.0.0.0:${openwire}?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600"/>
        </transportConnectors>

        <shutdownHooks>
            <bean xmlns="http://www.springframework.org/schema/beans" class="org.apache.activemq.hooks.SpringContextHook" />
        </shutdownHooks>
    </broker>

    <import resource="jetty.xml"/>
</beans>
`,
    );
    files.set(
      `${folder}${node}/conf/jetty.xml`,
      `<beans xmlns="http://www.springframework.org/schema/beans" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd">
    <!-- web console of ${node}: only the master's console answers -->
    <bean id="jettyPort" class="org.apache.activemq.web.WebConsolePort" init-method="start">
        <property name="host" value="${webHost}"/>
        <property name="port" value="${web}"/>
    </bean>
</beans>
`,
    );
    failover.push(`tcp://${brokerHost(i) || 'localhost'}:${openwire}`);
    plan.push(`| ${node} | ${brokerHost(i)} | ${openwire} | ${web} | ${spec.style === 'replicated-leveldb' ? bind : ''} | |`);
  }
  const failoverUrl = `failover:(${failover.join(',')})?randomize=false`;
  files.set(`${folder}client/application.properties`, `# Spring Boot clients of the ${name} cluster\nspring.activemq.broker-url=${failoverUrl}\n`);
  const summary =
    spec.style === 'replicated-leveldb'
      ? `${spec.nodes} brokers (replicas=${spec.nodes}, quorum ${Math.floor(spec.nodes / 2) + 1}) and ${zkCount} ZooKeeper servers`
      : `${spec.nodes} brokers sharing one ${spec.style === 'jdbc' ? 'database (lease locker)' : 'KahaDB directory'}`;
  files.set(
    `${folder}README.md`,
    `# ${name}\n\n${summary}, ${oneHost ? `all on ${hostBase}` : 'one machine per node'}, ActiveMQ ${spec.activemqVersion}.\n\n${plan.join('\n')}\n\nClients: \`${failoverUrl}\`\n`,
  );
  return { files, failoverUrl, summary };
}
