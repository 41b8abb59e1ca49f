/**
 * The rule registry, sorted by code. The codes are a public contract: the CLI's JSON/SARIF
 * output and the editor's diagnostics carry them. test/registry.test.ts checks that this list,
 * the files in this folder and docs/rules/*.md agree.
 */
import type { Rule } from './types';
import { rule as containerNameUnresolved } from './container-name-unresolved';
import { rule as k8sZookeeperReplicas } from './k8s-zookeeper-replicas';
import { rule as zkOwnAddressUnbindable } from './zk-own-address-unbindable';
import { rule as zkClientPortMissing } from './zk-client-port-missing';
import { rule as zk4lwNotWhitelisted } from './zk-4lw-not-whitelisted';
import { rule as containerPortUnused } from './container-port-unused';
import { rule as brokerNameMismatch } from './broker-name-mismatch';
import { rule as containerPortConflict } from './container-port-conflict';
import { rule as duplicateConnectorName } from './duplicate-connector-name';
import { rule as fileTooLarge } from './file-too-large';
import { rule as failoverUrlMismatch } from './failover-url-mismatch';
import { rule as invalidValue } from './invalid-value';
import { rule as leveldbLoopbackHostname } from './leveldb-loopback-hostname';
import { rule as leveldbUnsupported } from './leveldb-unsupported';
import { rule as portConflict } from './port-conflict';
import { rule as replicasNodeCount } from './replicas-node-count';
import { rule as sharedStoreMisconfig } from './shared-store-misconfig';
import { rule as unknownElementOrAttribute } from './unknown-element-or-attribute';
import { rule as xmlSyntax } from './xml-syntax';
import { rule as zkAddressMismatch } from './zk-address-mismatch';
import { rule as zkConfigInvalid } from './zk-config-invalid';
import { rule as zkDatadirConflict } from './zk-datadir-conflict';
import { rule as zkDynamicConfig } from './zk-dynamic-config';
import { rule as zkEnsembleMismatch } from './zk-ensemble-mismatch';
import { rule as zkEvenEnsemble } from './zk-even-ensemble';
import { rule as zkMyidMismatch } from './zk-myid-mismatch';
import { rule as zkMyidMissing } from './zk-myid-missing';

export const RULES: readonly Rule[] = [
  brokerNameMismatch,
  containerNameUnresolved,
  containerPortConflict,
  containerPortUnused,
  duplicateConnectorName,
  failoverUrlMismatch,
  fileTooLarge,
  invalidValue,
  k8sZookeeperReplicas,
  leveldbLoopbackHostname,
  leveldbUnsupported,
  portConflict,
  replicasNodeCount,
  sharedStoreMisconfig,
  unknownElementOrAttribute,
  xmlSyntax,
  zk4lwNotWhitelisted,
  zkAddressMismatch,
  zkClientPortMissing,
  zkConfigInvalid,
  zkDatadirConflict,
  zkDynamicConfig,
  zkEnsembleMismatch,
  zkEvenEnsemble,
  zkMyidMismatch,
  zkMyidMissing,
  zkOwnAddressUnbindable,
];

/** Codes reserved for the schema-driven rules; no other rule may use them. */
export const RESERVED_CODES: readonly string[] = [];

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((r) => r.meta.code === code);
}
