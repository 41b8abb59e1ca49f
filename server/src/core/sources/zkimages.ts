/**
 * The zoo.cfg and myid that the common ZooKeeper images write from their environment, rebuilt as
 * documents whose characters map onto the variables' values (so a finding on `server.2=...`
 * lands inside `ZOO_SERVERS`, and one on myid inside `ZOO_MY_ID`). Read from each image's own
 * entrypoint (see docs/rules/container-port-conflict.md and docs/architecture.md for the sources):
 *
 * - official `zookeeper` (docker-library, 31z4/zookeeper-docker `docker-entrypoint.sh`):
 *   3.4 images write `clientPort=$ZOO_PORT` (default 2181), 3.5+ images no clientPort: the client
 *   port comes from `;2181` in each server line; `dataDir=/data`; tickTime 2000, initLimit 5,
 *   syncLimit 2; `ZOO_SERVERS` is space-separated `server.N=...` lines (3.5+ default
 *   `server.1=localhost:2888:3888;2181`); `ZOO_4LW_COMMANDS_WHITELIST`, `ZOO_CFG_EXTRA`; myid is
 *   `${ZOO_MY_ID:-1}`; nothing is written when a zoo.cfg is mounted.
 * - Bitnami `bitnami/zookeeper` (`libzookeeper.sh`, `zookeeper-env.sh`): `clientPort=$ZOO_PORT_NUMBER`
 *   (2181), `dataDir=/bitnami/zookeeper/data`, tickTime 2000, initLimit 10, syncLimit 5,
 *   `ZOO_SERVERS` split on `;`, `,` or spaces into `host:port:port[:role]` (numbered from 1) or
 *   `host:port:port[:role]::id`, each written `server.N=<entry>;$ZOO_PORT_NUMBER`; only with more
 *   than one entry; `ZOO_LISTEN_ALLIPS_ENABLED` -> quorumListenOnAllIPs; `ZOO_4LW_COMMANDS_WHITELIST`
 *   (default `srvr, mntr`); `ZOO_CFG_*` -> keys; myid is `$ZOO_SERVER_ID` (default 1).
 * - Confluent `cp-zookeeper` (`zookeeper.properties.template`, `configure`): `clientPort` from the
 *   required `ZOOKEEPER_CLIENT_PORT`, `dataDir=/var/lib/zookeeper/data`, `ZOOKEEPER_SERVERS` split on
 *   `;` into `host:port:port` (numbered from 1) or `id|host:port:port`; `ZOOKEEPER_<PROPERTY>` for a
 *   fixed list of properties; myid is `$ZOOKEEPER_SERVER_ID`. With `ZOOKEEPER_SERVERS` set, later
 *   images default `ZOOKEEPER_INIT_LIMIT`/`ZOOKEEPER_SYNC_LIMIT` to 10/5 while earlier ones require
 *   them (`dub ensure`); the tag where that changed is not known, so their values are unknown.
 */
import type { Span } from '../types';
import type { Segment } from './docmap';
import { DocBuilder, synthVal } from './builder';
import { LATEST, type Val, type ZkDialect } from './containers';
import { versionAtLeast } from '../model/versions';

export interface EnvVar {
  key: string;
  keySpan: Span;
  val?: Val;
}

export interface Built {
  text: string;
  segments: Segment[];
  masked: Span[];
  /** the ZooKeeper version the image runs, when the tag tells */
  version?: string;
}

function value(env: ReadonlyMap<string, EnvVar>, key: string): Val | undefined {
  const v = env.get(key)?.val;
  return v && v.text.trim() !== '' ? v : undefined;
}

/** Splits a value into tokens (with offsets) on the given separator characters. */
function tokens(v: Val, seps: RegExp): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  let i = 0;
  const t = v.text;
  while (i < t.length) {
    while (i < t.length && seps.test(t[i])) i++;
    const from = i;
    while (i < t.length && !seps.test(t[i])) i++;
    if (i > from) out.push({ from, to: i });
  }
  return out;
}

function line(b: DocBuilder, file: string, key: string, v: Val | undefined, fallback: string | undefined, at: Span): void {
  if (!v && fallback === undefined) return;
  b.synth(key + '=', v?.span ?? at);
  if (v) b.val(v);
  else b.synth(fallback!, at);
  b.nl(v?.span ?? at);
  void file;
}

const CONFLUENT_PROPS: [string, string][] = [
  ['ZOOKEEPER_TICK_TIME', 'tickTime'],
  ['ZOOKEEPER_INIT_LIMIT', 'initLimit'],
  ['ZOOKEEPER_SYNC_LIMIT', 'syncLimit'],
  ['ZOOKEEPER_MAX_CLIENT_CNXNS', 'maxClientCnxns'],
  ['ZOOKEEPER_CLIENT_PORT_ADDRESS', 'clientPortAddress'],
  ['ZOOKEEPER_MIN_SESSION_TIMEOUT', 'minSessionTimeout'],
  ['ZOOKEEPER_MAX_SESSION_TIMEOUT', 'maxSessionTimeout'],
  ['ZOOKEEPER_AUTOPURGE_SNAP_RETAIN_COUNT', 'autopurge.snapRetainCount'],
  ['ZOOKEEPER_AUTOPURGE_PURGE_INTERVAL', 'autopurge.purgeInterval'],
  ['ZOOKEEPER_SYNC_ENABLED', 'syncEnabled'],
  ['ZOOKEEPER_ELECTION_ALG', 'electionAlg'],
  ['ZOOKEEPER_QUORUM_LISTEN_ON_ALL_IPS', 'quorumListenOnAllIPs'],
  ['ZOOKEEPER_4LW_COMMANDS_WHITELIST', '4lw.commands.whitelist'],
  ['ZOOKEEPER_ADMIN_ENABLE_SERVER', 'admin.enableServer'],
  ['ZOOKEEPER_ADMIN_SERVER_PORT', 'admin.serverPort'],
];

/** The zoo.cfg an image writes from its environment; undefined when the image would write none we can tell. */
export function zooCfgFromEnv(file: string, dialect: ZkDialect, imageVer: string | undefined, env: ReadonlyMap<string, EnvVar>, imageSpan: Span): Built | undefined {
  const b = new DocBuilder(file);
  const syn = (text: string) => synthVal(text, imageSpan, file);
  if (dialect === 'official') {
    const version = imageVer === 'latest' ? LATEST.zookeeper : imageVer;
    const v35 = versionAtLeast(version, 3, 5);
    if (v35 === false) line(b, file, 'clientPort', value(env, 'ZOO_PORT'), '2181', imageSpan);
    line(b, file, 'dataDir', value(env, 'ZOO_DATA_DIR'), '/data', imageSpan);
    line(b, file, 'dataLogDir', value(env, 'ZOO_DATA_LOG_DIR'), '/datalog', imageSpan);
    line(b, file, 'tickTime', value(env, 'ZOO_TICK_TIME'), '2000', imageSpan);
    line(b, file, 'initLimit', value(env, 'ZOO_INIT_LIMIT'), '5', imageSpan);
    line(b, file, 'syncLimit', value(env, 'ZOO_SYNC_LIMIT'), '2', imageSpan);
    line(b, file, 'maxClientCnxns', value(env, 'ZOO_MAX_CLIENT_CNXNS'), '60', imageSpan);
    if (v35 !== false) line(b, file, 'standaloneEnabled', value(env, 'ZOO_STANDALONE_ENABLED'), 'true', imageSpan);
    if (v35 !== false && value(env, 'ZOO_ADMINSERVER_ENABLED')) line(b, file, 'admin.enableServer', value(env, 'ZOO_ADMINSERVER_ENABLED'), undefined, imageSpan);
    const servers = value(env, 'ZOO_SERVERS') ?? (v35 === true ? syn('server.1=localhost:2888:3888;2181') : undefined);
    let clientInServers = false;
    if (servers) {
      for (const t of tokens(servers, /\s/)) {
        b.val(servers, t.from, t.to).nl(servers.span);
        if (/;/.test(servers.text.slice(t.from, t.to))) clientInServers = true;
      }
    }
    if (v35 === undefined && !clientInServers) {
      // the image's version is unknown: 3.4 images listen on $ZOO_PORT (2181), 3.5+ only on the
      // servers' `;port`; assume the usual port, as an unknown value
      const start = b.text.length;
      b.synth('clientPort=2181', imageSpan);
      b.masked.push({ start: start + 'clientPort='.length, end: b.text.length });
      b.nl(imageSpan);
    }
    const wl = value(env, 'ZOO_4LW_COMMANDS_WHITELIST');
    if (wl) line(b, file, '4lw.commands.whitelist', wl, undefined, imageSpan);
    const extra = value(env, 'ZOO_CFG_EXTRA');
    if (extra) for (const t of tokens(extra, /\s/)) b.val(extra, t.from, t.to).nl(extra.span);
    return { text: b.text, segments: b.segments, masked: b.masked, version };
  }
  if (dialect === 'bitnami') {
    const version = imageVer === 'latest' ? LATEST.zookeeper : imageVer;
    const port = value(env, 'ZOO_PORT_NUMBER') ?? syn('2181');
    line(b, file, 'tickTime', value(env, 'ZOO_TICK_TIME'), '2000', imageSpan);
    line(b, file, 'initLimit', value(env, 'ZOO_INIT_LIMIT'), '10', imageSpan);
    line(b, file, 'syncLimit', value(env, 'ZOO_SYNC_LIMIT'), '5', imageSpan);
    line(b, file, 'dataDir', undefined, '/bitnami/zookeeper/data', imageSpan);
    line(b, file, 'clientPort', port, undefined, imageSpan);
    line(b, file, 'maxClientCnxns', value(env, 'ZOO_MAX_CLIENT_CNXNS'), '60', imageSpan);
    const allIps = value(env, 'ZOO_LISTEN_ALLIPS_ENABLED');
    line(b, file, 'quorumListenOnAllIPs', allIps ? syn(/^(yes|true|1)$/i.test(allIps.text.trim()) ? 'true' : 'false') : undefined, 'false', allIps?.span ?? imageSpan);
    line(b, file, '4lw.commands.whitelist', value(env, 'ZOO_4LW_COMMANDS_WHITELIST'), 'srvr, mntr', imageSpan);
    const admin = value(env, 'ZOO_ENABLE_ADMIN_SERVER');
    if (admin) {
      line(b, file, 'admin.enableServer', syn(/^(yes|true|1)$/i.test(admin.text.trim()) ? 'true' : 'false'), undefined, admin.span);
      line(b, file, 'admin.serverAddress', value(env, 'ZOO_ADMIN_SERVER_ADDRESS'), '127.0.0.1', imageSpan);
      line(b, file, 'admin.serverPort', value(env, 'ZOO_ADMIN_SERVER_PORT_NUMBER'), '8080', imageSpan);
    } else {
      // the default changed between image releases (yes, later no): unknown, so no AdminServer listener is assumed
      const start = b.text.length;
      b.synth('admin.enableServer=false', imageSpan).nl(imageSpan);
      b.masked.push({ start: start + 'admin.enableServer='.length, end: b.text.length - 1 });
    }
    const servers = value(env, 'ZOO_SERVERS');
    const list = servers ? tokens(servers, /[;, ]/) : [];
    if (servers && list.length > 1) {
      const withIds = servers.text.includes('::');
      list.forEach((t, i) => {
        const entry = servers.text.slice(t.from, t.to);
        const at = { start: t.from, end: t.to };
        const entrySpan = spanIn(servers, at);
        if (withIds) {
          const k = entry.indexOf('::');
          if (k < 0) return;
          b.synth('server.', entrySpan).val(servers, t.from + k + 2, t.to).synth('=', entrySpan).val(servers, t.from, t.from + k);
        } else {
          b.synth(`server.${i + 1}=`, entrySpan).val(servers, t.from, t.to);
        }
        b.synth(';', entrySpan).val(port).nl(entrySpan);
      });
    }
    for (const [k, v] of env) {
      if (!k.startsWith('ZOO_CFG_') || !v.val) continue;
      line(b, file, k.slice(8).replace(/_/g, '.'), v.val, undefined, v.keySpan);
    }
    return { text: b.text, segments: b.segments, masked: b.masked, version };
  }
  // confluent
  const port = value(env, 'ZOOKEEPER_CLIENT_PORT');
  if (port) line(b, file, 'clientPort', port, undefined, imageSpan);
  line(b, file, 'dataDir', undefined, '/var/lib/zookeeper/data', imageSpan);
  line(b, file, 'dataLogDir', undefined, '/var/lib/zookeeper/log', imageSpan);
  const servers = value(env, 'ZOOKEEPER_SERVERS');
  for (const [k, prop] of CONFLUENT_PROPS) {
    const v = value(env, k);
    if (v) line(b, file, prop, v, undefined, imageSpan);
    else if (servers && (k === 'ZOOKEEPER_INIT_LIMIT' || k === 'ZOOKEEPER_SYNC_LIMIT')) {
      // an ensemble without them: later images default them (10, 5), earlier ones refuse to start
      // ("dub ensure"); which tag changed it is not known, so the key is there with an unknown value
      const start = b.text.length;
      b.synth(`${prop}=${k === 'ZOOKEEPER_INIT_LIMIT' ? '10' : '5'}`, imageSpan);
      b.masked.push({ start: start + prop.length + 1, end: b.text.length });
      b.nl(imageSpan);
    }
  }
  if (servers) {
    tokens(servers, /;/).forEach((t, i) => {
      const entry = servers.text.slice(t.from, t.to);
      const entrySpan = spanIn(servers, { start: t.from, end: t.to });
      const bar = entry.indexOf('|');
      if (bar >= 0) b.synth('server.', entrySpan).val(servers, t.from, t.from + bar).synth('=', entrySpan).val(servers, t.from + bar + 1, t.to);
      else b.synth(`server.${i + 1}=`, entrySpan).val(servers, t.from, t.to);
      b.nl(entrySpan);
    });
  }
  return { text: b.text, segments: b.segments, masked: b.masked, version: undefined };
}

/** The source span of a part of a value (the whole scalar when the part is not verbatim). */
function spanIn(v: Val, part: Span): Span {
  for (const s of v.segments) {
    if (!s.verbatim) continue;
    if (part.start >= s.docStart && part.end <= s.docStart + s.length) return { start: s.srcStart + (part.start - s.docStart), end: s.srcStart + (part.end - s.docStart) };
  }
  return v.span;
}

/** The myid an image writes; undefined when it writes none we can tell. */
export function myidFromEnv(file: string, dialect: ZkDialect, env: ReadonlyMap<string, EnvVar>, at: Span): Built | undefined {
  const key = dialect === 'official' ? 'ZOO_MY_ID' : dialect === 'bitnami' ? 'ZOO_SERVER_ID' : 'ZOOKEEPER_SERVER_ID';
  const v = value(env, key);
  const b = new DocBuilder(file);
  if (v) b.val(v, 0, v.text.length);
  else if (dialect === 'confluent') return undefined;
  else b.synth('1', at); // `${ZOO_MY_ID:-1}`, `${ZOO_SERVER_ID:-1}`
  b.nl(v?.span ?? at);
  return { text: b.text, segments: b.segments, masked: b.masked };
}
