import type { Rule } from './types';
import type { Severity } from '../types';
import { CORE_NS, availability, elementDef, isRemovedStore, type ElementDef } from '../schema/activemq';
import { localNameSpan, viewFor, type NodeInfo } from '../schema/context';

/**
 * `<levelDB>` and `<replicatedLevelDB>` for the broker's target ActiveMQ version (the versions
 * come from the schema): removed in 5.17.0, so with 5.17+ the broker refuses to start (error);
 * 5.9-5.16 still run it, deprecated (unsupported since 5.14.2): an information-level deprecation
 * with the Deprecated tag; without a known version the finding is only informative.
 */
export const rule: Rule = {
  meta: {
    code: 'leveldb-unsupported',
    description: 'A LevelDB store (levelDB, replicatedLevelDB) for an ActiveMQ version that no longer has it (removed in 5.17.0; deprecated and unsupported since 5.14.2).',
    defaultSeverity: 'error',
    fixable: false,
    scope: 'file',
  },
  checkDocument(ctx, { file, xml, broker }) {
    if (!broker) return;
    for (const n of viewFor(xml, broker.version).nodes) {
      if (!isRemovedStore(n.el.localName) || !isStoreElement(n)) continue;
      const def = elementDef(n.el.localName)!;
      const { severity, message, deprecated } = judge(n, def, broker.version);
      if (!severity) continue;
      ctx.report({ file, span: localNameSpan(n.el.name, n.el.nameSpan), severity, message, ...(deprecated ? { tags: ['deprecated' as const] } : {}) });
    }
  },
};

/** In the core namespace, or without any namespace below a `<broker>` (a snippet without xmlns). */
function isStoreElement(n: NodeInfo): boolean {
  if (n.ns === CORE_NS) return true;
  if (n.ns !== '') return false;
  for (let p = n.parent; p; p = p.parent) if (p.el.localName === 'broker') return true;
  return false;
}

function judge(n: NodeInfo, def: ElementDef, version: string | undefined): { severity?: Severity; message: string; deprecated?: boolean } {
  const name = `<${n.el.name}>`;
  const since = def.since ?? '?';
  const unsupported = def.unsupportedSince ?? def.removed ?? '?';
  const removed = full(def.removed ?? '?');
  const alternatives =
    def.name === 'replicatedLevelDB'
      ? 'For master/slave use a kahaDB directory on shared storage or a jdbcPersistenceAdapter with a shared database.'
      : 'Use kahaDB instead.';
  const a = availability(def, version);
  if (a === 'unknown') {
    return {
      severity: 'information',
      message:
        `${name} is unsupported since ActiveMQ ${unsupported} and was removed in ${removed}; no ActiveMQ version is known for this broker, so it is not judged. ` +
        `Set amqCluster.activemqVersion (CLI: --activemq-version), or keep the apache-activemq-X.Y.Z folder or lib/activemq-broker-X.Y.Z.jar, to check it.`,
    };
  }
  if (a === 'removed') {
    return {
      severity: 'error',
      message:
        `${name} was removed in ActiveMQ ${removed} and the target version is ${version}: the broker refuses to start with ` +
        `cvc-complex-type.2.4.a: Invalid content was found starting with element '{"${CORE_NS}":${def.name}}' ` +
        `(with validation off: Unrecognized xbean element mapping: ${def.name} in namespace ${CORE_NS}). ${alternatives}`,
    };
  }
  if (a === 'not-yet') {
    return {
      severity: 'error',
      message: `${name} was added in ActiveMQ ${full(since)}; the target version ${version} does not have it and refuses to start. ${alternatives}`,
    };
  }
  // available: deprecated (the docs call it unsupported from unsupportedSince on); it still runs
  return {
    severity: 'information',
    deprecated: true,
    message: `${name} is deprecated: ActiveMQ ${version} still runs it, but LevelDB is unsupported since ${unsupported} and was removed in ${removed}, so this broker will not start after an upgrade to 5.17 or later. ${alternatives}`,
  };
}

/** `5.17` -> `5.17.0` (a release), other texts unchanged. */
function full(v: string): string {
  return /^\d+\.\d+$/.test(v) ? v + '.0' : v;
}
