/** Helpers for the container rules (not a rule). */
import type { Node, WorkspaceModel, ZkNode } from './model/workspace';
import type { Container } from './sources/containers';

/** The container that runs a node, if any. */
export function containerOf(model: WorkspaceModel, node: Node): Container | undefined {
  return model.containers.find((c) => c.nodeRoot !== undefined && c.nodeRoot === node.root);
}

/** The node a container runs, if any. */
export function nodeOf(model: WorkspaceModel, c: Container): Node | undefined {
  if (c.nodeRoot === undefined) return undefined;
  return [...model.brokers, ...model.zkNodes].find((n) => n.root === c.nodeRoot);
}

/** The ZooKeeper version a server runs as text (`3.8.0`, or `3.5` for a 3.5+ floor), as far as the model knows. */
export function zkVersionOf(model: WorkspaceModel, z: ZkNode): string | undefined {
  void model;
  return z.version.text ?? z.version.floor;
}
