import type { Rule } from './types';
import type { ZkNode } from '../model/workspace';
import type { Container } from '../sources/containers';
import { nodeOf } from '../containers-support';

/** `<statefulset>-<ordinal>.<service>` (optionally followed by `.<namespace>...`). */
function podOrdinal(host: string, sts: string, service: string | undefined): number | undefined {
  const m = new RegExp(`^${sts.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)(\\.|$)`).exec(host);
  if (!m) return undefined;
  const rest = host.slice(m[0].length - (m[2] === '.' ? 1 : 0));
  if (service && rest && !rest.startsWith(`.${service}`)) return undefined;
  return Number(m[1]);
}

/**
 * A ZooKeeper StatefulSet whose server list does not fit its replicas: every pod `<name>-<i>` is
 * one server, so the list must name exactly the pods `0 .. replicas-1` (the Kubernetes ZooKeeper
 * tutorial's `start-zookeeper --servers=N` likewise). More servers than pods leaves the ensemble
 * waiting for members that never start (a 3-pod set with a 5-server list has no quorum with one
 * pod down); fewer leaves pods that are no server ("My id N not in the peer list").
 */
export const rule: Rule = {
  meta: {
    code: 'k8s-zookeeper-replicas',
    description: "A ZooKeeper StatefulSet's replicas do not fit its server list (count, pod ordinals, or start-zookeeper --servers).",
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    for (const c of ctx.model.containers) {
      if (c.kind !== 'k8s' || c.k8s?.kind !== 'StatefulSet' || !c.replicas) continue;
      const replicas = c.replicas.value;
      const k8s = c.k8s;
      const stsName = c.name.split('/')[0];
      // start-zookeeper --servers=N (the Kubernetes tutorial's image)
      for (const w of k8s.command) {
        for (const m of w.text.matchAll(/--servers[= ](\d+)/g)) {
          const n = Number(m[1]);
          if (n === replicas) continue;
          // the digits as written in the YAML scalar (plain, quoted, or folded over lines)
          const raw = ctx.model.files.sourceTexts.get(c.file)?.slice(w.span.start, w.span.end) ?? "";
          const inRaw = [...raw.matchAll(/--servers[= ](\d+)/g)].find((r) => r[1] === m[1]);
          const exact = inRaw !== undefined && inRaw.index !== undefined;
          const at = exact ? w.span.start + inRaw!.index! + inRaw![0].length - m[1].length : 0;
          const span = exact ? { start: at, end: at + m[1].length } : w.span;
          ctx.report({
            file: c.file,
            span,
            message: `start-zookeeper --servers=${n}, but StatefulSet ${stsName} runs ${replicas} pod${replicas === 1 ? '' : 's'}: ${n > replicas ? `the ensemble waits for ${n - replicas} server(s) that never start` : `pods ${stsName}-${n}..${stsName}-${replicas - 1} are in no server list`}.`,
            related: [{ file: c.file, span: c.replicas.span, message: `replicas: ${replicas}` }],
            fixes: exact ? [{ title: `Set --servers=${replicas}`, edits: [{ file: c.file, span, newText: String(replicas) }], isPreferred: true }] : undefined,
          });
        }
      }
      const z = serverNode(ctx.model, c);
      if (!z) continue;
      const participants = z.config.servers.filter((s) => s.role === 'participant' && s.id !== undefined);
      const named = participants.map((s) => ({ s, ord: s.addresses[0] ? podOrdinal(s.addresses[0].host, stsName, k8s.serviceName) : undefined }));
      // only a list that names this StatefulSet's pods is about its replicas
      if (!named.some((x) => x.ord !== undefined)) continue;
      for (const x of named) {
        if (x.ord === undefined || x.ord < replicas) continue;
        ctx.report({
          file: z.file,
          span: x.s.addresses[0].hostSpan,
          message: `server.${x.s.idText} names pod ${stsName}-${x.ord}, but StatefulSet ${stsName} has ${replicas} replica${replicas === 1 ? '' : 's'} (${stsName}-0..${stsName}-${replicas - 1}): that server never starts.`,
          related: [{ file: c.file, span: c.replicas.span, message: `replicas: ${replicas}` }],
        });
      }
      if (participants.length !== replicas) {
        ctx.report({
          file: c.file,
          span: c.replicas.span,
          message: `StatefulSet ${stsName} runs ${replicas} ZooKeeper pod${replicas === 1 ? '' : 's'}, but its server list has ${participants.length} voting server${participants.length === 1 ? '' : 's'}: ${participants.length > replicas ? `a quorum of ${Math.floor(participants.length / 2) + 1} needs servers that never start` : 'some pods are in no server list ("My id N not in the peer list")'}.`,
          related: participants.slice(0, 10).map((s) => ({ file: z.file, span: s.entry.keySpan, message: `server.${s.idText}` })),
          fixes: [{ title: `Set replicas to ${participants.length}`, edits: [{ file: c.file, span: c.replicas.span, newText: String(participants.length) }], isPreferred: false }],
        });
      }
    }
  },
};

/** The ZooKeeper config of a StatefulSet: its own (from its environment) or a ConfigMap it mounts. */
function serverNode(model: Parameters<NonNullable<Rule['check']>>[0]['model'], c: Container): ZkNode | undefined {
  const own = nodeOf(model, c);
  if (own?.type === 'zk') return own;
  for (const cm of c.k8s?.configMaps ?? []) {
    const z = model.zkNodes.find((n) => n.root.endsWith(`#${cm}`) && model.files.docs.get(n.file)?.source.match(/\.ya?ml$/));
    if (z) return z;
  }
  return undefined;
}
