import type { Rule } from './types';
import { containerOf, nodeOf } from '../containers-support';
import { isOfficialActiveMqImage, type Container } from '../sources/containers';

/**
 * What `-Djetty.host` a container's JVM gets: 'none' when nothing sets it (the jetty.xml host
 * applies), else the host or 'unknown'. ActiveMQ's own images (apache/activemq-classic,
 * apache/activemq) put `-Djetty.host=0.0.0.0` in ACTIVEMQ_OPTS (AMQ-9306, the image's Dockerfile);
 * a container that sets ACTIVEMQ_OPTS itself replaces that.
 */
function webHostOverride(c: Container): 'none' | 'unknown' | string {
  const env = c.env;
  if (env?.has('ACTIVEMQ_OPTS')) {
    const opts = env.get('ACTIVEMQ_OPTS');
    if (opts === undefined) return 'unknown';
    const m = /(?:^|\s)-Djetty\.host=(\S+)/.exec(opts);
    // `$ACTIVEMQ_OPTS` inside the value keeps the image's own options
    if (m) return m[1];
    return /\$\{?ACTIVEMQ_OPTS\b/.test(opts) && isOfficialActiveMqImage(c.image?.text) ? '0.0.0.0' : 'none';
  }
  if (c.image && c.image.masked.length === 0 && isOfficialActiveMqImage(c.image.text)) return '0.0.0.0';
  return 'none';
}

/**
 * A container publishes a port that nothing inside listens on, or a port its process binds only
 * on loopback (the web console's default host since ActiveMQ 5.16): the published host port
 * accepts connections that reach nothing.
 */
export const rule: Rule = {
  meta: {
    code: 'container-port-unused',
    description: 'A container publishes a port that its ActiveMQ or ZooKeeper process does not listen on, or listens on only on loopback.',
    defaultSeverity: 'warning',
    fixable: false,
    scope: 'cross-node',
  },
  check(ctx) {
    void containerOf;
    for (const c of ctx.model.containers) {
      if (c.hostNetwork || c.published.length === 0) continue;
      const node = nodeOf(ctx.model, c);
      if (!node) continue;
      // only a node whose every listener is known: a placeholder port could be the published one
      const text = ctx.text(node.file) ?? '';
      if (node.type === 'broker' && (/uri="[^"]*\$\{/.test(text) || node.config.transportConnectors.some((t) => !t.parsed))) continue;
      const ports = new Map<number, typeof node.listeners>();
      for (const l of node.listeners) ports.set(l.port, [...(ports.get(l.port) ?? []), l]);
      // an <import> the workspace does not hold (the image's own jetty.xml, say) may start listeners
      const importsUnknown = node.type === 'broker' && !node.jettyFile && node.config.imports.length > 0;
      for (const p of c.published) {
        const ls = ports.get(p.containerPort);
        if (!ls) {
          if (importsUnknown) continue;
          if (node.type === 'zk' && (p.containerPort === 2888 || p.containerPort === 3888 || p.containerPort === 8080 || p.containerPort === 7000)) continue; // image defaults the config may not show
          const known = [...ports.keys()].sort((x, y) => x - y);
          ctx.report({
            file: c.file,
            span: p.span,
            message: `${c.name} publishes host port ${p.hostPort} to container port ${p.containerPort}, but nothing in the container listens there (${node.name} listens on ${known.join(', ') || 'no port'}); connections to ${p.hostPort} are refused.`,
            related: node.listeners.slice(0, 10).map((l) => ({ file: l.file, span: l.span, message: `${l.label}: ${l.port}` })),
          });
          continue;
        }
        // the web console's host is a system property the bean only sets when the JVM has none:
        // `-Djetty.host=` in ACTIVEMQ_OPTS (the project's own images set 0.0.0.0) decides
        const jetty = webHostOverride(c);
        const local = ls.filter((l) => l.address.cls === 'loopback' && !(l.kind === 'web' && jetty !== 'none' && !/^(127\.|localhost$|::1$|\[::1\]$)/.test(jetty)));
        if (local.length === ls.length) {
          const l = local[0];
          ctx.report({
            file: c.file,
            span: p.span,
            message: `${c.name} publishes ${p.hostPort}, but ${node.name}'s ${l.label} binds ${l.host}:${l.port}, loopback inside the container: nothing outside reaches it. Bind 0.0.0.0 there (the web console's default host is 127.0.0.1 since ActiveMQ 5.16).`,
            related: [{ file: l.file, span: l.span, message: `${l.label} on ${l.host}` }],
          });
        }
      }
    }
  },
};
