import type { Rule } from './types';
import { isDistributed, ownServer } from '../model/workspace';
import { zkAtLeast, describeZkVersion } from '../model/versions';

/**
 * A server of an ensemble with no client port: no `clientPort`, no `secureClientPort` and no
 * `;port` in its own server line. ZooKeeper 3.4 exits with "clientPort is not set"; 3.5+ logs the
 * same words at INFO and runs without taking clients, so every client times out.
 */
export const rule: Rule = {
  meta: {
    code: 'zk-client-port-missing',
    description: 'A ZooKeeper server of an ensemble has no client port (no clientPort and no `;port` in its server line), so it takes no clients (3.5+) or does not start (3.4).',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    for (const z of ctx.model.zkNodes) {
      if (!isDistributed(z)) continue;
      const cfg = z.config;
      if (cfg.byKey.has('clientPort') || cfg.byKey.has('secureClientPort') || cfg.byKey.has('dynamicConfigFile')) continue;
      const own = ownServer(z);
      if (!own) continue;
      if (own.clientPort !== undefined) continue;
      const v35 = zkAtLeast(z.version, 3, 5);
      // the client port its siblings give themselves: the one to suggest
      const siblingPorts = new Set<number>();
      for (const m of z.ensemble?.members ?? []) {
        if (m === z) continue;
        const o = ownServer(m);
        if (o?.clientPort !== undefined) siblingPorts.add(o.clientPort);
      }
      const port = siblingPorts.size === 1 ? [...siblingPorts][0] : siblingPorts.size === 0 ? 2181 : undefined;
      // the server list is shared: the line gets its client part in every member's copy at once
      const edits: { file: string; span: { start: number; end: number }; newText: string }[] = [];
      let complete = port !== undefined;
      for (const m of z.ensemble?.members ?? [z]) {
        const line = m.config.servers.find((x) => x.id === own.id);
        if (!line || line.clientPort !== undefined) continue;
        const last = line.addresses[line.addresses.length - 1];
        const end = last?.roleSpan?.end ?? last?.electionPortSpan?.end;
        if (end === undefined) complete = false;
        else edits.push({ file: m.file, span: { start: end, end }, newText: `;${port}` });
      }
      const fixes =
        complete && edits.length > 0 && v35 !== false
          ? [{ title: `Add ;${port} (the client port) to server.${own.idText}${edits.length > 1 ? ` in all ${edits.length} server lists` : ''}`, edits, isPreferred: siblingPorts.size === 1 }]
          : undefined;
      ctx.report({
        file: z.file,
        span: own.entry.keySpan.end > own.entry.keySpan.start ? { start: own.entry.valueSpan.start, end: own.entry.valueSpan.start + own.entry.value.length } : own.entry.keySpan,
        message:
          v35 === false
            ? `${z.name} sets no clientPort: ${describeZkVersion(z.version)} exits with "clientPort is not set".`
            : `server.${own.idText} is ${z.name}'s own line and has no ";<client port>" part, and no clientPort is set: ZooKeeper 3.5+ logs "clientPort is not set" and runs without taking clients${v35 === undefined ? ' (3.4 exits with that message)' : ''}. Write server.${own.idText}=...;2181 (3.5+ form) or set clientPort.`,
        // 3.4 exits; 3.5+ start and serve no client (a warning: the program accepts the file)
        severity: v35 === false ? 'error' : 'warning',
        related: [],
        fixes,
      });
    }
  },
};
