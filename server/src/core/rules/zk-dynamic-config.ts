import type { Rule, RuleContext } from './types';
import type { Fix, RelatedInfo, Severity } from '../types';
import type { ZkNode } from '../model/workspace';
import type { ZooServer } from '../parse/zoocfg';
import { normalizeAddress } from '../model/address';
import { detectEol } from '../text';
import { isDynamicKey } from '../sources/zkdynamic';
import { zkAtLeast } from '../model/versions';

/**
 * ZooKeeper 3.5+ keeps the server list in a dynamic configuration: the file `dynamicConfigFile`
 * names, and the files ZooKeeper itself writes (`zoo.cfg.dynamic.next` when a leader proposes the
 * ensemble's configuration, `zoo.cfg.dynamic.<version>` once it is committed with
 * reconfigEnabled=true). Reported:
 *
 * - a dynamic file ZooKeeper rejects: a key other than server/group/weight ("Unrecognised
 *   parameter"), or `version` ("dynamic file shouldn't have version inside");
 * - a server line whose quorum address is 0.0.0.0 in a dynamic configuration: every member reads
 *   the same lines, and the others cannot reach that server at 0.0.0.0;
 * - the container idiom in a static zoo.cfg (a server's own line says 0.0.0.0, the other members
 *   name its host): accepted with a static configuration, but the leader hands its own line to
 *   the ensemble as part of the dynamic configuration (QuorumPeer/Leader, 3.5+).
 */
export const rule: Rule = {
  meta: {
    code: 'zk-dynamic-config',
    description: 'A ZooKeeper dynamic configuration file ZooKeeper rejects, or a 0.0.0.0 server address that ZooKeeper 3.5+ shares with the other members through the dynamic configuration.',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    rejectedFiles(ctx);
    wildcardInDynamic(ctx);
    wildcardNext(ctx);
    staticIdiom(ctx);
  },
};

function isWildcardLine(s: ZooServer): boolean {
  return s.addresses.length > 0 && s.addresses.every((a) => normalizeAddress(a.host).cls === 'wildcard');
}

/** The host the other members of the ensemble give server `id` (when they agree on one real name or address). */
function nameOthersUse(z: ZkNode, id: number): { host: string; related: RelatedInfo[] } | undefined {
  const hosts = new Set<string>();
  const related: RelatedInfo[] = [];
  for (const m of z.ensemble?.members ?? []) {
    if (m === z) continue;
    const s = m.config.servers.find((x) => x.id === id);
    if (!s || s.addresses.length === 0) continue;
    const a = s.addresses[0];
    const n = normalizeAddress(a.host);
    if (n.cls === 'wildcard' || n.cls === 'loopback') continue;
    hosts.add(a.host);
    related.push({ file: m.file, span: a.hostSpan, message: `${m.name} names server.${s.idText} ${a.host}` });
  }
  return hosts.size === 1 ? { host: [...hosts][0], related } : undefined;
}

/** Members run on separate machines when their server lines name real hosts. */
function namesRealHosts(servers: readonly ZooServer[]): boolean {
  return servers.some((s) => s.addresses.some((a) => {
    const c = normalizeAddress(a.host).cls;
    return c === 'ip' || c === 'name';
  }));
}

function joined(ctx: RuleContext, z: ZkNode): boolean {
  return !!z.dynamicFile && (ctx.model.files.docs.get(z.file)?.inputs ?? []).includes(z.dynamicFile);
}

function rejectedFiles(ctx: RuleContext): void {
  const done = new Set<string>();
  for (const z of ctx.model.zkNodes) {
    const path = z.dynamicFile;
    if (!path || done.has(path) || joined(ctx, z)) continue;
    done.add(path);
    const dyn = ctx.model.files.zoodynamic.get(path);
    if (!dyn) continue;
    for (const e of dyn.entries) {
      if (isDynamicKey(e.key)) continue;
      const version = e.key === 'version';
      ctx.report({
        file: path,
        span: e.keySpan,
        severity: 'error',
        message: version
          ? `ZooKeeper exits with "dynamic file shouldn't have version inside": ${z.name}'s zoo.cfg names this file as its dynamicConfigFile, and the version comes from the file name (zoo.cfg.dynamic.<hex version>).`
          : `ZooKeeper exits with "Unrecognised parameter: ${e.key}": ${z.name}'s zoo.cfg names this file as its dynamicConfigFile, which may hold only server.N, group.N and weight.N lines; ${e.key} belongs in zoo.cfg.`,
        related: [{ file: z.file, span: z.config.byKey.get('dynamicConfigFile')?.keySpan ?? { start: 0, end: 0 }, message: 'dynamicConfigFile' }],
        fixes: version ? [{ title: 'Remove the version line', edits: [{ file: path, span: lineWithBreak(ctx.text(path) ?? '', e.lineSpan), newText: '' }], isPreferred: true }] : undefined,
      });
    }
  }
}

function lineWithBreak(text: string, span: { start: number; end: number }): { start: number; end: number } {
  let end = span.end;
  if (text.startsWith('\r\n', end)) end += 2;
  else if (text[end] === '\n' || text[end] === '\r') end += 1;
  return { start: span.start, end };
}

const ADVICE = 'Name every server by a host the others can reach, in every line, and set quorumListenOnAllIPs=true where a server must bind all interfaces.';

/** The 0.0.0.0 server lines of each member's server list (as `serversOf` gives it; none: skipped), by server id in id order. */
function wildcardLinesById(members: readonly ZkNode[], serversOf: (m: ZkNode) => ZooServer[] | undefined): [number, { m: ZkNode; s: ZooServer }[]][] {
  const byId = new Map<number, { m: ZkNode; s: ZooServer }[]>();
  for (const m of members) {
    const servers = serversOf(m);
    if (!servers || !namesRealHosts(servers)) continue;
    for (const s of servers) {
      if (s.id === undefined || !isWildcardLine(s)) continue;
      const arr = byId.get(s.id) ?? [];
      arr.push({ m, s });
      byId.set(s.id, arr);
    }
  }
  return [...byId.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * The dynamic files the members read (joined into their configuration): a 0.0.0.0 server line,
 * reported once per ensemble and server, on the server's own copy when there is one.
 */
function wildcardInDynamic(ctx: RuleContext): void {
  for (const e of ctx.model.ensembles) {
    for (const [id, hits] of wildcardLinesById(e.members, (m) => (joined(ctx, m) ? m.config.servers : undefined))) {
      const main = hits.find((h) => h.m.serverId === id) ?? hits[0];
      const readers = e.members.filter((m) => m.serverId !== id && joined(ctx, m) && hits.some((h) => h.m === m));
      ctx.report({
        file: main.m.file,
        span: main.s.addresses[0].hostSpan,
        message: `The dynamic configuration gives server.${main.s.idText}'s quorum address as 0.0.0.0${readers.length ? `: ${readers.map((m) => m.name).join(', ')} read${readers.length === 1 ? 's' : ''} it and cannot reach server.${main.s.idText} there (0.0.0.0 is no other machine's address)` : ', and a reconfig hands this server list to every member'}. ${ADVICE}`,
        related: hits.filter((h) => h !== main).map((h) => ({ file: h.m.file, span: h.s.addresses[0].hostSpan, message: `the same line in ${h.m.name}'s dynamic file` })),
      });
    }
  }
}

/** `zoo.cfg.dynamic.next` written by ZooKeeper: the configuration its leader proposed, reported once per ensemble. */
function wildcardNext(ctx: RuleContext): void {
  for (const e of ctx.model.ensembles) {
    const withNext = e.members.filter((m) => m.nextDynamicFile);
    if (withNext.length === 0) continue;
    for (const [id, hits] of wildcardLinesById(withNext, (m) => ctx.model.files.zoodynamic.get(m.nextDynamicFile!)?.servers)) {
      // the file of the server the line is about, where there is one
      const main = hits.find((h) => h.m.serverId === id) ?? hits[0];
      const owner = e.members.find((m) => m.serverId === id);
      const others = owner ? nameOthersUse(owner, id) : undefined;
      const related: RelatedInfo[] = hits.filter((h) => h !== main).map((h) => ({ file: h.m.nextDynamicFile!, span: h.s.addresses[0].hostSpan, message: `the same line in ${h.m.name}'s ${basename(h.m.nextDynamicFile!)}` }));
      const ownLine = owner?.config.servers.find((x) => x.id === id);
      if (owner && ownLine && isWildcardLine(ownLine)) related.push({ file: owner.file, span: ownLine.addresses[0].hostSpan, message: `where it comes from: ${owner.name}'s own line in its zoo.cfg` });
      if (others) related.push(...others.related);
      ctx.report({
        file: main.m.nextDynamicFile!,
        span: main.s.addresses[0].hostSpan,
        message: `ZooKeeper wrote this file: the configuration the ensemble's leader proposed, in which server.${main.s.idText}'s quorum address is 0.0.0.0, the address ${owner ? `${owner.name}'s` : 'that server\'s'} own zoo.cfg gives itself. It is not read at start-up while zoo.cfg names no dynamicConfigFile, but with reconfigEnabled=true the ensemble commits it as its dynamic configuration, and after a restart every other member tries to reach server.${main.s.idText} at 0.0.0.0. ${others ? `Name it ${others.host} in its own zoo.cfg too, as the others do, and set quorumListenOnAllIPs=true there.` : ADVICE}`,
        related,
      });
    }
  }
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** zoo.cfg whose own server line says 0.0.0.0 while the other members name the server's host. */
function staticIdiom(ctx: RuleContext): void {
  for (const z of ctx.model.zkNodes) {
    if (z.dynamicFile || z.serverId === undefined) continue;
    // ZooKeeper 3.4 has no dynamic configuration: the idiom risks nothing there
    if (zkAtLeast(z.version, 3, 5) === false) continue;
    const own = z.config.servers.find((s) => s.id === z.serverId);
    if (!own || !isWildcardLine(own)) continue;
    const others = nameOthersUse(z, z.serverId);
    if (!others) continue;
    const reconfig = z.config.byKey.get('reconfigEnabled')?.value === 'true';
    const severity: Severity = reconfig ? 'warning' : 'information';
    const allIPs = z.config.byKey.get('quorumListenOnAllIPs');
    const text = ctx.text(z.file) ?? '';
    const eol = detectEol(text);
    const edits: Fix['edits'] = [{ file: z.file, span: own.addresses[0].hostSpan, newText: others.host }];
    if (!allIPs) edits.push({ file: z.file, span: { start: own.entry.lineSpan.start, end: own.entry.lineSpan.start }, newText: `quorumListenOnAllIPs=true${eol}` });
    else if (allIPs.value !== 'true') edits.push({ file: z.file, span: { start: allIPs.valueSpan.start, end: allIPs.valueSpan.start + allIPs.value.length }, newText: 'true' });
    ctx.report({
      file: z.file,
      span: own.addresses[0].hostSpan,
      severity,
      message: `server.${own.idText} is ${z.name}'s own line and says 0.0.0.0 where the other members name it ${others.host}. ZooKeeper accepts this with a static configuration (it binds the quorum ports on every interface), but from 3.5 on the leader hands its own line to the whole ensemble as the dynamic configuration (zoo.cfg.dynamic.next${reconfig ? ', committed as zoo.cfg.dynamic.<version> since reconfigEnabled=true' : ', committed once reconfigEnabled=true'}), where 0.0.0.0 is unreachable. Use ${others.host} here too and quorumListenOnAllIPs=true to keep binding every interface.`,
      related: others.related,
      fixes: [{ title: `Use ${others.host} and quorumListenOnAllIPs=true`, edits }],
    });
  }
}
