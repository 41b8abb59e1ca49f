#!/usr/bin/env node
/**
 * Generates schemas/activemq.schema.json (and schemas/jetty.schema.json) from an ActiveMQ
 * `activemq.xsd` (the one xbean writes into activemq-spring-<version>.jar).
 *
 *   node scripts/gen-activemq-schema.mjs [path/to/activemq-X.Y.Z.xsd] [--version X.Y.Z] [--out dir] [--check]
 *
 * The XSD defaults to ../shared/reference/activemq-5.17.2.xsd (relative to the repository root).
 * `--check` writes nothing: it exits with status 1 when the files on disk differ from what the
 * XSD produces. No network access, no dependencies.
 *
 * What comes from the XSD: every global element, its attributes with their XSD types and
 * documentation, the child groups (`<persistenceAdapter>`, `<transportConnectors>`, ...) with the
 * elements each may hold, and `anyAttribute ##other`. What the XSD does not carry is added from
 * the reference fact sheet (shared/reference/domain-facts.md), each addition with a `$comment`
 * naming its source: defaults, our own short descriptions of the central elements, the elements
 * 5.17 removed (levelDB, replicatedLevelDB) with the versions they exist in, and the transport
 * URI schemes and tcp server options.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORE_NS = 'http://activemq.apache.org/schema/core';
const FACTS = 'shared/reference/domain-facts.md';

// ---------------------------------------------------------------------------------------------
// A minimal XML reader, enough for the regular XSD that xbean writes.

function decodeEntities(s) {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (all, e) => {
    switch (e) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

/** Parses the XSD into {name, attrs, children, text, comment} nodes (comment: the comment right before the element). */
function parseXsd(text) {
  const root = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const re = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--([\s\S]*?)-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:'[^']*'|"[^"]*"))*)\s*(\/?)>|([^<]+)/g;
  let lastComment;
  let m;
  while ((m = re.exec(text))) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) {
      top.text += m[1];
    } else if (m[2] !== undefined) {
      lastComment = m[2].trim();
    } else if (m[4] !== undefined) {
      if (m[3] === '/') {
        if (top.name !== m[4]) throw new Error(`XSD: </${m[4]}> closes <${top.name}>`);
        stack.pop();
        continue;
      }
      const attrs = {};
      for (const a of m[5].matchAll(/([\w:.-]+)\s*=\s*(?:'([^']*)'|"([^"]*)")/g)) attrs[a[1]] = decodeEntities(a[2] ?? a[3]);
      const node = { name: m[4], attrs, children: [], text: '', comment: lastComment };
      lastComment = undefined;
      top.children.push(node);
      if (m[6] !== '/') stack.push(node);
    } else if (m[7] !== undefined) {
      if (m[7].trim()) top.text += decodeEntities(m[7]);
    }
  }
  if (stack.length !== 1) throw new Error(`XSD: <${stack[stack.length - 1].name}> is not closed`);
  return root;
}

const kids = (node, name) => node.children.filter((c) => c.name === name);
const kid = (node, name) => node.children.find((c) => c.name === name);

/** The XSD's documentation, made short: first paragraph, HTML and Javadoc markup removed. */
function shortDoc(node) {
  const doc = kid(node, 'xs:annotation') && kid(kid(node, 'xs:annotation'), 'xs:documentation');
  if (!doc) return undefined;
  let t = doc.text.replace(/\r\n?/g, '\n').trim();
  t = t.split(/\n\s*\n|<p>|<P>/)[0];
  t = t
    .replace(/\{@(?:link|linkplain|code)\s+([^}\s]*)(?:\s+([^}]*))?\}/g, (all, target, label) => label ?? target.replace(/^#/, '').replace(/\(.*\)$/, ''))
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  if (!t) return undefined;
  if (t.length > 400) {
    const cut = t.lastIndexOf('. ', 400);
    t = cut > 100 ? t.slice(0, cut + 1) : t.slice(0, 397) + '…';
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// XSD types -> JSON Schema

function typeSchema(xsdType) {
  switch (xsdType) {
    case 'xs:boolean':
      return { type: 'boolean' };
    case 'xs:integer':
      return { type: 'integer' };
    case 'xs:long':
      return { type: 'integer', format: 'int64' };
    case 'xs:short':
      return { type: 'integer', minimum: -32768, maximum: 32767 };
    case 'xs:float':
    case 'xs:double':
      return { type: 'number' };
    case 'xs:ID':
    case 'xs:string':
      return { type: 'string' };
    default:
      throw new Error(`unexpected XSD type ${xsdType}`);
  }
}

function attribute(name, xsdType, extra = {}) {
  const { description, ...rest } = extra;
  return {
    ...typeSchema(xsdType),
    'x-xsd-type': xsdType,
    ...(description ? { description } : {}),
    ...rest,
  };
}

/** A local element of an element's content (a child group such as <persistenceAdapter>). */
function childGroup(el) {
  const ct = kid(el, 'xs:complexType');
  const choice = ct && kid(ct, 'xs:choice');
  const seq = ct && kid(ct, 'xs:sequence');
  const description = shortDoc(el);
  if (choice) {
    const elements = kids(choice, 'xs:element').map((r) => r.attrs.ref.replace(/^tns:/, ''));
    const other = kids(choice, 'xs:any').some((a) => a.attrs.namespace === '##other');
    return {
      ...(description ? { description } : {}),
      elements,
      multiple: choice.attrs.maxOccurs === 'unbounded',
      otherNamespaces: other,
    };
  }
  if (seq && kid(seq, 'xs:any')) {
    return { ...(description ? { description } : {}), any: true, multiple: true };
  }
  throw new Error(`unexpected content of child <${el.attrs.name}>`);
}

function elementSchema(el) {
  const name = el.attrs.name;
  const ct = kid(el, 'xs:complexType');
  const properties = {};
  for (const a of kids(ct, 'xs:attribute')) {
    properties[a.attrs.name] = attribute(a.attrs.name, a.attrs.type, { description: shortDoc(a) });
  }
  const children = {};
  const outer = kid(ct, 'xs:choice');
  let otherNamespaces = false;
  if (outer) {
    const inner = kid(outer, 'xs:choice') ?? outer;
    for (const c of kids(inner, 'xs:element')) children[c.attrs.name] = childGroup(c);
    otherNamespaces = kids(inner, 'xs:any').some((a) => a.attrs.namespace === '##other');
  }
  const anyAttr = kid(ct, 'xs:anyAttribute');
  const cls = /^element for type: (\S+)$/.exec(el.comment ?? '');
  const description = shortDoc(el);
  return {
    type: 'object',
    title: name,
    ...(description ? { description } : {}),
    ...(cls ? { 'x-java-class': cls[1] } : {}),
    properties,
    ...(anyAttr ? { patternProperties: { '^[A-Za-z_][\\w.\\-]*:': {} } } : {}),
    additionalProperties: false,
    'x-anyAttributeOtherNs': anyAttr?.attrs.namespace === '##other',
    'x-content': outer ? 'elements' : 'empty',
    'x-otherNamespaceChildren': otherNamespaces,
    'x-children': children,
  };
}

// ---------------------------------------------------------------------------------------------
// What the XSD does not say (sources: the fact sheet, section by section)

/** Our own short descriptions of the central elements. */
const OWN_DESCRIPTIONS = {
  broker:
    'The ActiveMQ broker (class XBeanBrokerService). Holds the broker-wide attributes (brokerName, dataDirectory, persistent, useJmx, ...) and child groups for transport and network connectors, the persistence adapter, the management context, system usage limits and policies.',
  transportConnector:
    'A listener that accepts client connections on one transport URI (tcp://, nio://, ssl://, stomp://, mqtt://, amqp://, ws://, ...). Its name must be unique among the connectors of the file.',
  networkConnector:
    'A network bridge from this broker to other brokers (class DiscoveryNetworkConnector), found through a discovery URI such as static:(tcp://host:61616,...), masterslave:(...) or multicast://default. duplex="true" carries both directions over one connection.',
  kahaDB:
    'The KahaDB file-based message store, the default persistence adapter. directory holds the journal and index; brokers that share one directory form a shared-store master/slave group through the store lock.',
  mKahaDB:
    'Multiple KahaDB stores in one broker: filteredPersistenceAdapters maps destinations to their own kahaDB instance, under one common directory.',
  jdbcPersistenceAdapter:
    'A message store in a relational database reached through the dataSource bean. Brokers sharing the data source form a JDBC master/slave group; the database lock (or a lease-database-locker) decides the master.',
  'shared-file-locker':
    'The default locker of file-based stores: an exclusive file lock in the store directory. The broker that holds it is the master; the others retry every lockAcquireSleepInterval ms.',
  'lease-database-locker':
    'A JDBC lease lock: the master renews a lease row every lockKeepAlivePeriod ms. lockAcquireSleepInterval must be greater than lockKeepAlivePeriod, and each broker needs a unique brokerName or leaseHolderId.',
  'database-locker':
    'The default locker of jdbcPersistenceAdapter: an exclusive lock on a row of the lock table, held for as long as the master runs.',
  'transact-database-locker':
    'A database locker for databases without row locks in SELECT ... FOR UPDATE (e.g. SQL Server): it holds the lock in an open transaction.',
  managementContext:
    'JMX settings of the broker. createConnector="true" opens a JMX RMI connector on connectorPort (default 1099); the default of createConnector is false since 5.16.0.',
  systemUsage:
    'Resource limits of the broker: memoryUsage, storeUsage (persistent store), tempUsage (non-persistent spool) and jobSchedulerUsage. Producers are throttled or blocked when a limit is reached.',
};

const LOCKABLE = {
  useLock: { default: true, $comment: `${FACTS} §2 (DOC pluggable-storage-lockers.md: Lockable defaults)` },
  lockKeepAlivePeriod: { default: 0, $comment: `${FACTS} §2 (DOC pluggable-storage-lockers.md: Lockable defaults)` },
};
const LOCKER = {
  lockAcquireSleepInterval: { default: 10000, $comment: `${FACTS} §2 (DOC pluggable-storage-lockers.md: Locker defaults)` },
  failIfLocked: { default: false, $comment: `${FACTS} §2 (DOC pluggable-storage-lockers.md: Locker defaults)` },
};

/** Additions to XSD attributes: element -> attribute -> keywords (default, description, enum, versions). */
const ATTRIBUTE_FACTS = {
  broker: {
    brokerName: {
      default: 'localhost',
      description:
        'The name of this broker; it must be unique in a network of brokers, match within a replicated LevelDB set, and be unique (or use leaseHolderId) with a lease-database-locker. Characters other than letters, digits, ".", "_", "-" and ":" are replaced by "_".',
      $comment: `${FACTS} §2 (SRC BrokerService.setBrokerName)`,
    },
  },
  kahaDB: {
    checkpointInterval: { default: 5000, $comment: `${FACTS} §2 (DOC kahadb.md)` },
    cleanupInterval: { default: 30000, $comment: `${FACTS} §2 (DOC kahadb.md)` },
    journalMaxFileLength: { default: '32mb', $comment: `${FACTS} §2 (DOC kahadb.md)` },
    indexCacheSize: { default: '10000', $comment: `${FACTS} §2 (DOC kahadb.md)` },
    indexWriteBatchSize: { default: '1000', $comment: `${FACTS} §2 (DOC kahadb.md)` },
    journalDiskSyncStrategy: {
      default: 'always',
      enum: ['always', 'periodic', 'never'],
      'x-enum-case-insensitive': true,
      description: 'When the journal is synced to disk: always (every write), periodic (every journalDiskSyncInterval ms) or never.',
      $comment: `default: ${FACTS} §2 (DOC kahadb.md); values: DOC kahadb.md, matched case-insensitively by the setter (JournalDiskSyncStrategy.valueOf of the upper-cased value)`,
    },
    journalDiskSyncInterval: { default: 1000, $comment: `${FACTS} §2 (DOC kahadb.md)` },
    concurrentStoreAndDispatchQueues: { default: true, $comment: `${FACTS} §2 (DOC kahadb.md)` },
    concurrentStoreAndDispatchTopics: { default: false, $comment: `${FACTS} §2 (DOC kahadb.md)` },
    directory: {
      description:
        'The store directory. Brokers whose kahaDB directory is the same shared path form a shared-store master/slave group. Without any persistenceAdapter the broker uses <dataDirectory>/<brokerName>/KahaDB.',
      $comment: `${FACTS} §2`,
    },
    ...LOCKABLE,
  },
  mKahaDB: { ...LOCKABLE },
  jdbcPersistenceAdapter: { ...LOCKABLE },
  'shared-file-locker': { ...LOCKER },
  'lease-database-locker': { ...LOCKER },
  'database-locker': { ...LOCKER },
  'transact-database-locker': { ...LOCKER },
  transportConnector: {
    updateClusterClients: { default: false, $comment: `${FACTS} §5` },
    rebalanceClusterClients: { default: false, $comment: `${FACTS} §5` },
    updateClusterClientsOnRemove: { default: false, $comment: `${FACTS} §5` },
    uri: {
      description:
        'The transport URI the connector listens on, e.g. tcp://0.0.0.0:61616?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600. An unknown scheme stops the broker at start; unknown query options of a server URI are silently ignored.',
      'x-uri-kind': 'server',
      $comment: `${FACTS} §3`,
    },
    discoveryUri: { 'x-uri-kind': 'discovery', $comment: `${FACTS} §3 (discovery agents)` },
  },
  networkConnector: {
    uri: {
      description:
        'The discovery URI of the brokers to bridge to: static:(tcp://host1:61616,tcp://host2:61616), masterslave:(tcp://master:61616,tcp://slave:61616) or multicast://default.',
      'x-uri-kind': 'network',
      $comment: `${FACTS} §3 (discovery agents)`,
    },
    discoveryURI: { 'x-uri-kind': 'network', $comment: `${FACTS} §3 (discovery agents)` },
    ...Object.fromEntries(
    Object.entries({
      name: 'NC',
      duplex: false,
      conduitSubscriptions: true,
      networkTTL: 1,
      messageTTL: 1,
      consumerTTL: 1,
      prefetchSize: '1000',
      decreaseNetworkConsumerPriority: false,
      alwaysSyncSend: true,
      suppressDuplicateTopicSubscriptions: true,
      suppressDuplicateQueueSubscriptions: false,
      bridgeTempDestinations: true,
      dynamicOnly: false,
      staticBridge: false,
      clientIdToken: '_',
      advisoryPrefetchSize: '0',
      advisoryAckPercentage: 75,
      gcSweepTime: 60000,
    }).map(([k, v]) => [k, { default: v, $comment: `${FACTS} §3 (SRC NetworkBridgeConfiguration @5.17.2)` }]),
    ),
  },
  managementContext: {
    connectorPort: { default: '1099', $comment: `${FACTS} §3 (SRC ManagementContext.java @5.17.2)` },
    connectorHost: { default: 'localhost', $comment: `${FACTS} §3 (SRC ManagementContext.java @5.17.2)` },
    connectorPath: { default: '/jmxrmi', $comment: `${FACTS} §3 (SRC ManagementContext.java @5.17.2)` },
    rmiServerPort: { default: '0', $comment: `${FACTS} §3 (SRC ManagementContext.java @5.17.2)` },
    jmxDomainName: { default: 'org.apache.activemq', $comment: `${FACTS} §3 (SRC ManagementContext.java @5.17.2)` },
    createConnector: {
      default: 'false',
      'x-version-defaults': [
        { before: '5.16', default: 'true' },
        { since: '5.16', default: 'false' },
      ],
      description:
        'Whether the broker opens a JMX RMI connector on connectorPort. Default: the system property org.apache.activemq.broker.jmx.createConnector, false since 5.16.0 (true in 5.12.0-5.15.x, always true before 5.12).',
      $comment: `${FACTS} §3 (SRC ManagementContext.java, commit 9d98ee253f)`,
    },
  },
};

/**
 * Attributes typed xs:string in the XSD that xbean converts with an ActiveMQ property editor
 * (from META-INF/services/org/apache/xbean/spring/http/activemq.apache.org/schema/core in
 * activemq-spring-5.17.2.jar, Debian 5.17.2+dfsg-2+deb12u1). B: org.apache.activemq.util.BooleanEditor
 * (true or false in any case, nothing else, no blanks); M: MemoryPropertyEditor (a long: digits
 * with an optional b / k / kb / m / mb / g / gb unit, any case, blanks allowed); MI:
 * MemoryIntPropertyEditor (the same into an int). Behaviour checked by calling the editors.
 */
const PROPERTY_EDITOR_SOURCE =
  'META-INF/services/org/apache/xbean/spring/http/activemq.apache.org/schema/core in activemq-spring-5.17.2.jar; behaviour checked by calling the editor classes of activemq-broker-5.17.2.jar';
const EDITOR_NAMES = { B: 'boolean', M: 'memory', MI: 'memory-int' };
const BROKER_EDITORS = {
  advisorySupport: 'B',
  deleteAllMessagesOnStartup: 'B',
  diskUsageCheckRegrowThreshold: 'M',
  passiveSlave: 'B',
  persistent: 'B',
  schedulerSupport: 'B',
  shutdownOnSlaveFailure: 'B',
  systemExitOnShutdown: 'B',
  useJmx: 'B',
  waitForSlave: 'B',
};
const PROPERTY_EDITORS = {
  broker: BROKER_EDITORS,
  brokerService: BROKER_EDITORS,
  jobSchedulerUsage: { limit: 'M', percentUsageMinDelta: 'M' },
  journalPersistenceAdapterFactory: { journalLogFileSize: 'MI' },
  kahaDB: { indexCacheSize: 'M', indexWriteBatchSize: 'M', journalMaxFileLength: 'MI', journalMaxWriteBatchSize: 'M' },
  ldapNetworkConnector: { prefetchSize: 'MI' },
  mKahaDB: { journalMaxFileLength: 'MI', journalWriteBatchSize: 'MI' },
  managementContext: { connectorPort: 'MI', createConnector: 'B', rmiServerPort: 'MI' },
  memoryUsage: { limit: 'M', percentUsageMinDelta: 'M' },
  multicastNetworkConnector: { prefetchSize: 'MI' },
  networkConnector: { prefetchSize: 'MI' },
  policyEntry: { memoryLimit: 'M' },
  storeUsage: { limit: 'M', percentUsageMinDelta: 'M', total: 'M' },
  tempUsage: { limit: 'M', percentUsageMinDelta: 'M', total: 'M' },
};

/** Attributes every LevelDB store has (LevelDBStore), with their XSD types and defaults. */
function levelDbStoreAttributes(source) {
  const a = (xsdType, def, extra = {}) => ({ xsdType, ...(def !== undefined ? { default: def } : {}), ...extra });
  return {
    directory: a('xs:string', 'LevelDB', { description: 'The store directory (LevelDBStore.DEFAULT_DIRECTORY is LevelDB).' }),
    logSize: a('xs:long', 104857600, { description: 'The maximum size of a log file before it is rotated, in bytes.' }),
    indexFactory: a('xs:string', 'org.fusesource.leveldbjni.JniDBFactory, org.iq80.leveldb.impl.Iq80DBFactory', {
      description: 'The LevelDB index implementations to try, in order.',
    }),
    verifyChecksums: a('xs:boolean', false),
    paranoidChecks: a('xs:boolean', false),
    monitorStats: a('xs:boolean', false, { $comment: `${FACTS} §1 (LevelDBStore properties)` }),
    indexMaxOpenFiles: a('xs:integer', 1000),
    indexBlockRestartInterval: a('xs:integer', 16),
    indexWriteBufferSize: a('xs:integer', 6291456),
    indexBlockSize: a('xs:integer', 4096),
    indexCacheSize: a('xs:long', 268435456),
    indexCompression: a('xs:string', 'snappy'),
    logCompression: a('xs:string', 'none'),
    flushDelay: a('xs:integer', 0, { $comment: `${FACTS} §1 (LevelDBStore properties)` }),
    asyncBufferSize: a('xs:integer', 4194304, { $comment: `${FACTS} §1 (LevelDBStore properties)` }),
    failoverProducersAuditDepth: a('xs:integer', undefined, { $comment: `${FACTS} §1; default: ActiveMQMessageAudit's` }),
    maxFailoverProducersToTrack: a('xs:integer', undefined, { $comment: `${FACTS} §1; default: ActiveMQMessageAudit's` }),
    // LockableServiceSupport / PersistenceAdapter
    brokerName: a('xs:string'),
    brokerService: a('xs:string'),
    lockKeepAlivePeriod: a('xs:long', 0),
    locker: a('xs:string'),
    scheduledThreadPoolExecutor: a('xs:string'),
    stopOnError: a('xs:boolean'),
    usageManager: a('xs:string'),
    useLock: a('xs:boolean', true),
    ...source,
  };
}

const SYNC_TOKENS = ['local_mem', 'local_disk', 'remote_mem', 'remote_disk', 'quorum_mem', 'quorum_disk'];

function removedStore(name, cls, since, description, attrs, complete, comment, kahaDB) {
  const properties = {};
  const sorted = Object.keys(attrs).sort((x, y) => (x.toLowerCase() < y.toLowerCase() ? -1 : x.toLowerCase() > y.toLowerCase() ? 1 : 0));
  for (const k of sorted) {
    const { xsdType, ...rest } = attrs[k];
    properties[k] = attribute(k, xsdType, rest);
  }
  properties.id = attribute('id', 'xs:ID');
  // the child groups its Lockable/PersistenceAdapter properties give, as kahaDB has them
  const children = {};
  for (const g of ['brokerService', 'directory', 'locker', 'scheduledThreadPoolExecutor', 'usageManager']) {
    if (kahaDB['x-children'][g]) children[g] = structuredClone(kahaDB['x-children'][g]);
  }
  return {
    type: 'object',
    title: name,
    description,
    'x-java-class': cls,
    'x-since': since,
    'x-unsupported-since': '5.14.2',
    'x-removed': '5.17',
    'x-attributes-complete': complete,
    $comment: comment,
    properties,
    patternProperties: { '^[A-Za-z_][\\w.\\-]*:': {} },
    additionalProperties: false,
    'x-anyAttributeOtherNs': true,
    'x-content': 'elements',
    'x-otherNamespaceChildren': true,
    'x-children': children,
  };
}

function leveldbElements(kahaDB) {
  const levelDB = removedStore(
    'levelDB',
    'org.apache.activemq.store.leveldb.LevelDBPersistenceAdapter',
    '5.8',
    'The LevelDB message store. Available in 5.8.0, unsupported since 5.14.2 and removed in 5.17.0: a 5.17+ broker refuses to start with it.',
    levelDbStoreAttributes({
      sync: { xsdType: 'xs:boolean', default: true, description: 'Sync every write to disk.' },
    }),
    false,
    `Not in the 5.17 XSD. Attributes: ${FACTS} §2 (DOC leveldb-store.md) plus the LevelDBStore and LockableServiceSupport properties of §1; the ≤5.16 XSD itself was not obtained, so the list may be incomplete.`,
    kahaDB,
  );
  const replicated = removedStore(
    'replicatedLevelDB',
    'org.apache.activemq.store.leveldb.ReplicatedLevelDBPersistenceAdapter',
    '5.9',
    'A LevelDB store replicated to the other brokers of its set, which elect a master through ZooKeeper (zkAddress, zkPath). Added in 5.9.0, unsupported since 5.14.2 and removed in 5.17.0: a 5.17+ broker refuses to start with it.',
    levelDbStoreAttributes({
      zkAddress: {
        xsdType: 'xs:string',
        default: '127.0.0.1:2181',
        description: 'The ZooKeeper connect string host1:port1,host2:port2[/chroot] (port default 2181). Must be the same on all nodes of a set.',
      },
      zkPassword: { xsdType: 'xs:string', description: 'ZooKeeper digest password. Must be the same on all nodes of a set.' },
      zkPath: {
        xsdType: 'xs:string',
        default: '/default',
        description: 'The ZooKeeper path of the election group. Sets may share it when their brokerNames differ.',
      },
      zkSessionTimeout: {
        xsdType: 'xs:string',
        default: '2s',
        description: 'The ZooKeeper session timeout, e.g. 2s.',
      },
      zkSessionTmeout: {
        xsdType: 'xs:string',
        'x-since': '5.9',
        'x-removed': '5.11',
        description: 'The misspelt name of zkSessionTimeout before 5.11.',
        $comment: `${FACTS} §1 (DOC: "misspelled zkSessionTmeout before 5.11")`,
      },
      replicas: {
        xsdType: 'xs:integer',
        default: 3,
        description: 'The size of the replication set. A master is elected once replicas/2+1 nodes are connected; a sync write waits for replicas/2 slave acks.',
      },
      bind: {
        xsdType: 'xs:string',
        default: 'tcp://0.0.0.0:61619',
        description: 'The address the master listens on for replication from its slaves; tcp://0.0.0.0:0 picks a free port.',
      },
      hostname: {
        xsdType: 'xs:string',
        description: 'The host name advertised to the slaves; auto-detected from the first non-loopback interface when absent (set it explicitly).',
      },
      connectUrl: { xsdType: 'xs:string', description: 'When set, advertised instead of tcp://hostname:port.' },
      weight: { xsdType: 'xs:integer', default: 1, description: 'Election tie-break: among equally up-to-date nodes the highest weight wins.' },
      sync: {
        xsdType: 'xs:string',
        default: 'quorum_mem',
        'x-tokens': SYNC_TOKENS,
        'x-token-separator': ',',
        description:
          'When a write counts as complete: a comma-separated list of local_mem, local_disk, remote_mem, remote_disk, quorum_mem, quorum_disk (trimmed, case-insensitive). An unknown token only logs "Unknown syncTo value".',
      },
      securityToken: { xsdType: 'xs:string', default: '', description: 'Shared secret of the replication protocol; must match on all nodes.' },
      container: { xsdType: 'xs:string', description: 'Written into the node data in ZooKeeper.' },
    }),
    true,
    `Not in the 5.17 XSD. Attributes and defaults: ${FACTS} §1 (SRC ReplicatedLevelDBPersistenceAdapter / ElectingLevelDBStore @5.16.7).`,
    kahaDB,
  );
  return { levelDB, replicatedLevelDB: replicated };
}

/** Transport URI facts (schemes, tcp server options), from the fact sheet §3. */
function uriFacts() {
  return {
    $comment: `${FACTS} §3 (SRC META-INF/services/org/apache/activemq/transport/*, DOC tcp-transport-reference.md)`,
    transportSchemes: {
      client: ['tcp', 'nio', 'ssl', 'nio+ssl', 'udp', 'multicast', 'discovery', 'failover', 'fanout', 'mock'],
      broker: ['vm', 'peer', 'auto', 'auto+nio', 'auto+ssl', 'auto+nio+ssl'],
      amqp: ['amqp', 'amqp+nio', 'amqp+ssl', 'amqp+nio+ssl', 'amqp+ws', 'amqp+wss'],
      stomp: ['stomp', 'stomp+nio', 'stomp+ssl', 'stomp+nio+ssl'],
      mqtt: ['mqtt', 'mqtt+nio', 'mqtt+ssl', 'mqtt+nio+ssl'],
      http: ['http', 'https', 'ws', 'wss'],
    },
    discoverySchemes: {
      client: ['static', 'masterslave', 'multicast', 'simple', 'zeroconf'],
      http: ['http'],
    },
    modulesMissingIn: { 'debian-5.17.2': ['amqp', 'http'] },
    tcpServerOptions: {
      maximumConnections: { type: 'integer', default: 2147483647, description: 'The maximum number of client connections (default Integer.MAX_VALUE).' },
      backlog: { type: 'integer', default: 5000 },
      closeAsync: { type: 'boolean', default: true },
      connectionTimeout: { type: 'integer', default: 30000 },
      daemon: { type: 'boolean' },
      dynamicManagement: { type: 'boolean' },
      ioBufferSize: { type: 'integer', default: 8192 },
      keepAlive: { type: 'boolean', default: false },
      logWriterName: { type: 'string' },
      minmumWireFormatVersion: { type: 'integer', description: 'Spelt this way (sic) in ActiveMQ.' },
      socketBufferSize: { type: 'integer', default: 65536 },
      soLinger: { type: 'integer' },
      soTimeout: { type: 'integer' },
      soWriteTimeout: { type: 'integer' },
      stackSize: { type: 'integer' },
      startLogging: { type: 'boolean' },
      tcpNoDelay: { type: 'boolean', default: false },
      threadName: { type: 'string' },
      trace: { type: 'boolean' },
      trafficClass: { type: 'string' },
      useInactivityMonitor: { type: 'boolean', default: true },
      useKeepAlive: { type: 'boolean', default: true },
      useLocalHost: { type: 'boolean', default: false },
      useQueueForAccept: { type: 'boolean', default: true },
      wireFormat: { type: 'string' },
      allowLinkStealing: {
        type: 'boolean',
        default: false,
        $comment: 'Not in the fact sheet: a TcpTransportServer property; listed so that it is not reported as unknown.',
      },
    },
    optionPrefixes: ['transport.', 'wireFormat.', 'jms.'],
  };
}

// ---------------------------------------------------------------------------------------------

const PERSISTENCE_GROUP_MARKER = 'kahaDB';

export function generate(xsdText, xsdName, version) {
  const doc = parseXsd(xsdText);
  const schemaNode = kid(doc, 'xs:schema');
  if (!schemaNode) throw new Error('not an XSD: no <xs:schema>');
  if (schemaNode.attrs.targetNamespace !== CORE_NS) throw new Error(`unexpected targetNamespace ${schemaNode.attrs.targetNamespace}`);
  const defs = {};
  for (const el of kids(schemaNode, 'xs:element')) defs[el.attrs.name] = elementSchema(el);
  const xsdElements = Object.keys(defs).length;
  const xsdAttributes = Object.values(defs).reduce((n, d) => n + Object.keys(d.properties).length, 0);

  // our descriptions and the facts the XSD lacks
  for (const [name, text] of Object.entries(OWN_DESCRIPTIONS)) {
    const d = defs[name];
    if (!d) continue;
    if (d.description && d.description !== text) d['x-xsd-description'] = d.description;
    d.description = text;
  }
  for (const [el, attrs] of Object.entries(ATTRIBUTE_FACTS)) {
    const d = defs[el];
    if (!d) continue;
    for (const [an, facts] of Object.entries(attrs)) {
      const p = d.properties[an];
      if (!p) continue; // not in this XSD version
      const { description, ...rest } = facts;
      if (description) {
        if (p.description && p.description !== description) p['x-xsd-description'] = p.description;
        p.description = description;
      }
      Object.assign(p, rest);
    }
  }

  for (const [el, attrs] of Object.entries(PROPERTY_EDITORS)) {
    const d = defs[el];
    if (!d) continue;
    for (const [an, ed] of Object.entries(attrs)) {
      const p = d.properties[an];
      if (!p || p['x-xsd-type'] !== 'xs:string') continue;
      p['x-property-editor'] = EDITOR_NAMES[ed];
      p.$comment = p.$comment ? `${p.$comment}; property editor: ${PROPERTY_EDITOR_SOURCE}` : `property editor: ${PROPERTY_EDITOR_SOURCE}`;
    }
  }

  // the stores that 5.17 removed, where the XSD does not have them (an older XSD does)
  if (defs.kahaDB) {
    for (const [name, def] of Object.entries(leveldbElements(defs.kahaDB))) {
      if (defs[name]) continue;
      defs[name] = def;
      // allowed wherever a persistence adapter (or any Lockable/Service of the same family) is
      for (const d of Object.values(defs)) {
        for (const g of Object.values(d['x-children'])) {
          if (g.elements && g.elements.includes(PERSISTENCE_GROUP_MARKER) && !g.elements.includes(name)) {
            g.elements.push(name);
            g.elements.sort();
          }
        }
      }
    }
  }

  const names = Object.keys(defs).sort((a, b) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  const sortedDefs = Object.fromEntries(names.map((n) => [n, defs[n]]));
  const attributes = Object.values(sortedDefs).reduce((n, d) => n + Object.keys(d.properties).length, 0);

  const activemq = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://amq-cluster.invalid/schemas/activemq.schema.json',
    title: `ActiveMQ Classic ${version} activemq.xml (namespace ${CORE_NS})`,
    description:
      'Every element of the ActiveMQ core namespace as an object schema: its properties are the XML attributes (type, default, enum, description, versions), x-children maps each child group (e.g. persistenceAdapter) to the elements it may hold. Generated by scripts/gen-activemq-schema.mjs; do not edit.',
    'x-xsd': {
      file: xsdName,
      version,
      sha256: crypto.createHash('sha256').update(xsdText).digest('hex'),
      namespace: CORE_NS,
      elements: xsdElements,
      attributes: xsdAttributes,
    },
    'x-elements': names.length,
    'x-attributes': attributes,
    'x-uri': uriFacts(),
    $ref: '#/$defs/broker',
    $defs: sortedDefs,
  };
  return { activemq, jetty: jettySchema() };
}

/** The web console's WebConsolePort bean in jetty.xml (fact sheet §4). */
function jettySchema() {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://amq-cluster.invalid/schemas/jetty.schema.json',
    title: 'ActiveMQ web console port (jetty.xml)',
    description:
      'The properties of the org.apache.activemq.web.WebConsolePort bean in jetty.xml. Its start() sets the jetty.host / jetty.port system properties unless they are already set (-Djetty.port= wins), and the Jetty ServerConnector reads them. Generated by scripts/gen-activemq-schema.mjs; do not edit.',
    $comment: `${FACTS} §4 (SRC assembly/src/release/conf/jetty.xml and activemq-web WebConsolePort.java, 5.9 to 6.1)`,
    type: 'object',
    'x-java-class': 'org.apache.activemq.web.WebConsolePort',
    'x-bean-id': 'jettyPort',
    'x-since': '5.9',
    properties: {
      host: {
        type: 'string',
        default: '0.0.0.0',
        description:
          'The address the web console listens on. Class default 0.0.0.0; the shipped jetty.xml sets 127.0.0.1 since 5.16.0 (AMQ-7007) and 0.0.0.0 in 5.14.0-5.15.x; 5.9.0 shipped no host property.',
        'x-shipped-values': [
          { version: '5.9.0', value: null },
          { since: '5.14.0', before: '5.16.0', value: '0.0.0.0' },
          { since: '5.16.0', value: '127.0.0.1' },
        ],
      },
      port: {
        type: 'integer',
        minimum: 0,
        maximum: 65535,
        default: 8161,
        description: 'The port the web console listens on (default 8161). The shipped jetty.xml has a commented-out HTTPS connector on 8162.',
      },
    },
    additionalProperties: true,
  };
}

// ---------------------------------------------------------------------------------------------

function stringify(obj) {
  return JSON.stringify(obj, null, 2) + '\n';
}

function main(argv) {
  let xsd;
  let version;
  let out = path.join(ROOT, 'schemas');
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') check = true;
    else if (a === '--version') version = argv[++i];
    else if (a === '--out') out = path.resolve(argv[++i]);
    else if (a === '-h' || a === '--help') {
      console.log('usage: node scripts/gen-activemq-schema.mjs [activemq-X.Y.Z.xsd] [--version X.Y.Z] [--out dir] [--check]');
      return 0;
    } else if (a.startsWith('-')) {
      console.error(`unknown option ${a}`);
      return 2;
    } else xsd = path.resolve(a);
  }
  xsd ??= path.resolve(ROOT, '..', 'shared', 'reference', 'activemq-5.17.2.xsd');
  if (!fs.existsSync(xsd)) {
    console.error(`XSD not found: ${xsd}`);
    return 2;
  }
  version ??= /(\d+\.\d+(?:\.\d+)?)\.xsd$/.exec(path.basename(xsd))?.[1];
  if (!version) {
    console.error('cannot tell the ActiveMQ version from the file name; pass --version X.Y.Z');
    return 2;
  }
  const { activemq, jetty } = generate(fs.readFileSync(xsd, 'utf8'), path.basename(xsd), version);
  const files = { 'activemq.schema.json': stringify(activemq), 'jetty.schema.json': stringify(jetty) };
  let differ = 0;
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(out, name);
    if (check) {
      const cur = fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
      if (cur !== text) {
        console.error(`${path.relative(process.cwd(), p)} is not what ${path.basename(xsd)} generates; run node scripts/gen-activemq-schema.mjs`);
        differ++;
      }
    } else {
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(p, text);
    }
  }
  if (!check) console.log(`${activemq['x-elements']} elements (${activemq['x-xsd'].elements} from the XSD), ${activemq['x-attributes']} attributes -> ${path.relative(process.cwd(), out)}`);
  return differ ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
