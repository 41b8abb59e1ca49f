import type { Rule } from './types';
import type { Container, PublishedPort } from '../sources/containers';
import { normalizeAddress } from '../model/address';

/** How many earlier publications a finding names. */
const MAX_RELATED = 10;

/** Two host addresses of one machine that a bind on both would fight over. */
function ipsOverlap(a: string | undefined, b: string | undefined): boolean {
  const x = normalizeAddress(a ?? '0.0.0.0');
  const y = normalizeAddress(b ?? '0.0.0.0');
  if (x.cls === 'wildcard' || y.cls === 'wildcard') return true;
  return x.key === y.key;
}

/**
 * Two containers of one compose project publish the same host port: Docker refuses to start the
 * second ("Bind for 0.0.0.0:2181 failed: port is already allocated"). A container on the host's
 * network (`network_mode: host`) binds its ports on the host directly and collides the same way.
 */
export const rule: Rule = {
  meta: {
    code: 'container-port-conflict',
    description: 'Two containers of one compose project publish the same host port (or one publishes a port a host-network container binds).',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    const byMachine = new Map<string, Container[]>();
    for (const c of ctx.model.containers) {
      if (c.kind !== 'compose') continue;
      const arr = byMachine.get(c.machine) ?? [];
      arr.push(c);
      byMachine.set(c.machine, arr);
    }
    for (const containers of byMachine.values()) {
      // one entry per published port, in file order; a service defined again by an override file is the same container
      const seen = new Map<string, { c: Container; p: PublishedPort }[]>();
      const used = new Set<number>();
      for (const c of containers) for (const p of c.published) used.add(p.hostPort);
      const hostNet = containers.filter((c) => c.hostNetwork);
      const ordered = [...containers].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.nameSpan.start - b.nameSpan.start));
      for (const c of ordered) {
        for (const p of c.published) {
          const key = `${p.protocol}/${p.hostPort}`;
          const earlier = (seen.get(key) ?? []).filter((e) => e.c.name !== c.name && ipsOverlap(e.p.hostIp, p.hostIp));
          const list = seen.get(key) ?? [];
          list.push({ c, p });
          seen.set(key, list);
          if (earlier.length === 0) continue;
          let free = p.hostPort + 1;
          while (used.has(free) && free < 65535) free++;
          const shown = earlier.slice(0, MAX_RELATED);
          const more = earlier.length - shown.length;
          ctx.report({
            file: c.file,
            span: p.span,
            message:
              `Host port ${p.hostPort} is also published by ${shown.map((e) => e.c.name).join(', ')}${more > 0 ? ` and ${more} more` : ''} on the same Docker host; ` +
              `the second container does not start ("Bind for ${p.hostIp ?? '0.0.0.0'}:${p.hostPort} failed: port is already allocated").`,
            related: shown.map((e) => ({ file: e.c.file, span: e.p.span, message: `${e.c.name} publishes ${p.hostPort}` })),
            fixes: free < 65535 ? [{ title: `Publish ${c.name} on host port ${free} (next free port)`, edits: [{ file: c.file, span: p.span, newText: String(free) }], isPreferred: true }] : undefined,
          });
          used.add(free);
        }
      }
      // containers on the host network bind their node's ports on the Docker host itself
      for (const h of hostNet) {
        const node = [...ctx.model.brokers, ...ctx.model.zkNodes].find((n) => n.root === h.nodeRoot);
        if (!node) continue;
        for (const l of node.listeners) {
          if (l.implicit) continue;
          const clash = (seen.get(`tcp/${l.port}`) ?? []).filter((e) => e.c !== h && ipsOverlap(e.p.hostIp, l.host));
          if (clash.length === 0) continue;
          const shown = clash.slice(0, MAX_RELATED);
          ctx.report({
            file: l.file,
            span: l.span,
            message: `${node.name} runs on the host network and binds ${l.port} (${l.label}), which ${shown.map((e) => e.c.name).join(', ')} also publish${shown.length === 1 ? 'es' : ''} on the same Docker host; whichever starts second fails.`,
            related: shown.map((e) => ({ file: e.c.file, span: e.p.span, message: `${e.c.name} publishes ${l.port}` })),
          });
        }
      }
    }
  },
};
