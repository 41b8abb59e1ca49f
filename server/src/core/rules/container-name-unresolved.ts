import type { Rule } from './types';
import { containerOf } from '../containers-support';

/** A single-label name (no dots): what only the compose network's DNS can resolve. */
function isServiceLike(host: string): boolean {
  return /^[A-Za-z][\w-]*$/.test(host) && host.toLowerCase() !== 'localhost';
}

/**
 * A broker running in a compose service names a host by a bare name (`zookeeper:2181` in
 * `zkAddress`, `tcp://broker2:61616` in a network connector) that no service of its compose file
 * is called (service name, hostname, container name, network alias, extra_hosts, links): Docker's
 * embedded DNS does not resolve it, and the broker never reaches that ZooKeeper or peer.
 */
export const rule: Rule = {
  meta: {
    code: 'container-name-unresolved',
    description: 'A broker in a compose service names a host (zkAddress, network connector) that no service of its compose file provides.',
    defaultSeverity: 'warning',
    fixable: false,
    scope: 'cross-node',
  },
  check(ctx) {
    for (const b of ctx.model.brokers) {
      const c = containerOf(ctx.model, b);
      if (!c || c.kind !== 'compose' || c.hostNetwork) continue;
      const project = ctx.model.containers.filter((o) => o.kind === 'compose' && o.machine === c.machine);
      const names = new Set<string>();
      for (const o of project) for (const n of [...o.names, ...(o.resolvable ?? [])]) names.add(n.toLowerCase());
      for (const n of c.resolvable ?? []) names.add(n.toLowerCase());
      const known = project.map((o) => o.name).join(', ');
      const check = (host: string | undefined, span: { start: number; end: number } | undefined, what: string) => {
        if (!host || !span || host.includes('${') || !isServiceLike(host) || names.has(host.toLowerCase())) return;
        ctx.report({
          file: b.file,
          span,
          message: `${what} names ${host}, but no service of ${c.file} is called ${host} (services: ${known}); inside ${c.name}'s compose network the name does not resolve.`,
          related: [{ file: c.file, span: c.nameSpan, message: `${b.name} runs in service ${c.name}` }],
        });
      };
      for (const pa of b.config.persistenceAdapters) {
        if (pa.kind !== 'replicatedLevelDB' || !pa.zkAddress || pa.attrs.get('zkAddress')?.placeholder) continue;
        for (const e of pa.zkAddress) if (!e.placeholder) check(e.host, e.hostSpan, 'zkAddress');
      }
      for (const nc of b.config.networkConnectors) {
        if (!nc.parsed || nc.parsed.hasPlaceholder) continue;
        for (const e of nc.parsed.endpoints) check(e.host, e.hostSpan, 'The network connector');
      }
    }
  },
};
