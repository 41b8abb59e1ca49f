import type { Rule } from './types';
import type { Listener } from '../model/workspace';
import { listenersCollide } from '../model/workspace';
import { describeListener, nextFreePort, relatedListener } from '../support';

/**
 * Two listeners on one host bind the same port. Members of one master/slave group are exempt
 * (only the master opens its connectors); a member repeating a port its offset-ported siblings
 * keep distinct gets an information-level hint instead.
 */
export const rule: Rule = {
  meta: {
    code: 'port-conflict',
    description: 'Two nodes (or two listeners of one node) on the same host bind the same port.',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    for (const listeners of ctx.model.hosts.values()) {
      const byPort = new Map<number, Listener[]>();
      for (const l of listeners) {
        let arr = byPort.get(l.port);
        if (!arr) byPort.set(l.port, (arr = []));
        arr.push(l);
      }
      const usedPorts = listeners.map((l) => l.port);
      for (const same of byPort.values()) {
        if (same.length < 2) continue;
        for (const l of same) {
          const clashes: Listener[] = [];
          const groupRepeats: Listener[] = [];
          for (const o of same) {
            if (o === l || !listenersCollide(l, o)) continue;
            if (o.node !== l.node && o.node.type === 'broker' && l.node.type === 'broker' && o.node.group && o.node.group === l.node.group) {
              groupRepeats.push(o);
            } else {
              clashes.push(o);
            }
          }
          if (clashes.length > 0) {
            const implicit = l.implicit || clashes.every((o) => o.implicit);
            const others = clashes.map(describeListener).join(', ');
            const free = nextFreePort(l.port, usedPorts);
            // fix-all moves the later listener(s) of a clash, never the first one
            const isLater = clashes.some((o) => o.file < l.file || (o.file === l.file && o.span.start < l.span.start));
            // a server.N port is the ensemble's shared configuration: moving it in one file would
            // split the server list, so that conflict gets no quick fix
            const movable = l.kind !== 'zk-quorum' && l.kind !== 'zk-election';
            const fixes =
              movable && !l.implicit && free !== undefined
                ? [{ title: `Change ${l.node.name}'s ${l.label} to ${free} (next free port on this host)`, edits: [{ file: l.file, span: l.span, newText: String(free) }], isPreferred: isLater }]
                : undefined;
            ctx.report({
              file: l.file,
              span: l.span,
              severity: implicit ? 'information' : undefined,
              message: implicit
                ? `${describeListener(l)} uses the same default port as ${others} on the same host (${l.node.hostEvidence}); only the first process gets it. Set the port explicitly on each node.`
                : `Port ${l.port} (${l.label} of ${l.node.name}) is also bound by ${others} on the same host (${l.node.hostEvidence}); whichever starts second fails with "Address already in use".`,
              related: clashes.map((o) => relatedListener(o)),
              fixes,
            });
          }
          if (groupRepeats.length > 0 && !l.implicit) {
            // hint only when the group's other members keep this listener on distinct ports
            const group = l.node.type === 'broker' ? l.node.group : undefined;
            const siblings = listeners.filter((o) => o.kind === l.kind && o.label === l.label && o.node.type === 'broker' && o.node.group === group && !o.implicit);
            const distinct = new Set(siblings.map((o) => o.port)).size;
            const earlier = groupRepeats.filter((o) => o.file < l.file || (o.file === l.file && o.span.start < l.span.start));
            if (distinct > 1 && earlier.length > 0) {
              const free = nextFreePort(l.port, usedPorts);
              ctx.report({
                file: l.file,
                span: l.span,
                severity: 'information',
                message: `${describeListener(l)} repeats ${earlier.map(describeListener).join(', ')} in the same master/slave group. Only the master listens, so this is no bind conflict, but the other members use distinct ports and clients cannot tell these nodes apart.`,
                related: earlier.map((o) => relatedListener(o)),
                fixes: free !== undefined ? [{ title: `Change ${l.node.name}'s ${l.label} to ${free}`, edits: [{ file: l.file, span: l.span, newText: String(free) }], isPreferred: true }] : undefined,
              });
            }
          }
        }
      }
    }
  },
};
