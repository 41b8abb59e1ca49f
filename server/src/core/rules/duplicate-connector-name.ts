import type { Rule } from './types';
import type { AttrValue } from '../parse/activemq';

/**
 * Two connectors with the same `name` in one activemq.xml: xbean registers each as a Spring bean
 * under that name, and ActiveMQ refuses to start ("Bean name 'openwire' is already used in this
 * <beans> element"). Transport and network connectors share the namespace.
 */
export const rule: Rule = {
  meta: {
    code: 'duplicate-connector-name',
    description: 'Two transport/network connectors in one activemq.xml share a name; ActiveMQ refuses to start.',
    defaultSeverity: 'error',
    fixable: false,
    scope: 'file',
  },
  check(ctx) {
    for (const b of [...ctx.model.brokers, ...ctx.model.templateBrokers]) {
      const seen = new Map<string, { attr: AttrValue; what: string }>();
      const all = [
        ...b.config.transportConnectors.map((c) => ({ attr: c.name, what: 'transportConnector' })),
        ...b.config.networkConnectors.map((c) => ({ attr: c.name, what: 'networkConnector' })),
      ].sort((x, y) => (x.attr?.span.start ?? 0) - (y.attr?.span.start ?? 0));
      for (const { attr, what } of all) {
        if (!attr || attr.placeholder) continue;
        const name = attr.value;
        const first = seen.get(name);
        if (!first) {
          seen.set(name, { attr, what });
          continue;
        }
        ctx.report({
          file: b.file,
          span: attr.span,
          message: `The name '${name}' is already used by a ${first.what} in this file; ActiveMQ refuses to start with "Bean name '${name}' is already used in this <beans> element". Give each connector a unique name.`,
          related: [{ file: b.file, span: first.attr.span, message: `first ${first.what} named '${name}'` }],
        });
      }
    }
  },
};
