import type { Rule } from './types';
import { ownServer } from '../model/workspace';
import { normalizeAddress } from '../model/address';
import { containerOf } from '../containers-support';

/**
 * A ZooKeeper server binds its quorum and election ports on the address of its own server line.
 * In a container (its own network namespace) that address must be one of the container's own: the
 * Docker host's address or another container's name cannot be bound ("Cannot assign requested
 * address"), unless `quorumListenOnAllIPs=true` makes it bind every address. (The old image-docs
 * idiom of writing `0.0.0.0` for the own entry binds: what it risks on 3.5+ is zk-dynamic-config's.)
 */
export const rule: Rule = {
  meta: {
    code: 'zk-own-address-unbindable',
    description: "A containerised ZooKeeper server's own server line names an address its container cannot bind without quorumListenOnAllIPs=true.",
    defaultSeverity: 'error',
    fixable: false,
    scope: 'cross-node',
  },
  check(ctx) {
    for (const z of ctx.model.zkNodes) {
      const c = containerOf(ctx.model, z);
      if (!c || c.hostNetwork) continue;
      if (z.config.byKey.get('quorumListenOnAllIPs')?.value.trim().toLowerCase() === 'true') continue;
      const own = ownServer(z);
      const a = own?.addresses[0];
      if (!own || !a || !a.host || a.host.includes('${')) continue;
      const addr = normalizeAddress(a.host);
      const where = { file: z.file, span: a.hostSpan };
      // 0.0.0.0 binds; what it risks from 3.5 on is zk-dynamic-config's
      if (addr.cls === 'wildcard') continue;
      if (addr.cls === 'loopback') continue;
      if (addr.cls === 'name') {
        const lower = a.host.toLowerCase();
        if (c.names.some((n) => n.toLowerCase() === lower || lower.startsWith(n.toLowerCase() + '.'))) continue;
        const other = ctx.model.containers.find((o) => o !== c && o.file === c.file && o.names.some((n) => n.toLowerCase() === lower));
        if (!other) continue; // a name we cannot resolve: unknown
        ctx.report({
          ...where,
          message: `server.${own.idText} is ${c.name}'s own entry but names ${a.host}, the container ${other.name}: ${c.name} cannot bind ${other.name}'s address and its quorum and election ports fail ("Cannot assign requested address"). Name ${c.names[0]} here, or check ${c.name}'s id.`,
          related: [{ file: other.file, span: other.nameSpan, message: `${other.name} is another container` }],
        });
        continue;
      }
      // an IP address: the container's own is assigned by Docker; a published quorum port says this is the host's
      const published = c.published.find((p) => p.hostPort === a.quorumPort || p.hostPort === a.electionPort);
      if (!published) continue;
      ctx.report({
        ...where,
        message:
          `server.${own.idText} is ${c.name}'s own entry and names ${a.host}, the address its ports are published on: that is the Docker host's address, which the container cannot bind ` +
          `("Cannot assign requested address" for the quorum and election ports). Set quorumListenOnAllIPs=true (Bitnami: ZOO_LISTEN_ALLIPS_ENABLED=yes) so it binds all of its addresses.`,
        related: [{ file: c.file, span: published.span, message: `${c.name} publishes ${published.hostPort}` }],
      });
    }
  },
};
