/** Small helpers shared by the rules, the plan and the editor assists (not a rule). */
import type { Listener, Node } from './model/workspace';
import type { RelatedInfo } from './types';

export function nodeLabel(n: Node): string {
  return n.name;
}

export function describeListener(l: Listener): string {
  const where = l.host === '0.0.0.0' ? '' : ` on ${l.host}`;
  return `${l.node.name}'s ${l.label} (${l.port}${where})`;
}

export function relatedListener(l: Listener, message?: string): RelatedInfo {
  return { file: l.file, span: l.span, message: message ?? describeListener(l) };
}

/** The smallest port above `from` that no listener on the host uses (any kind, any address). */
export function nextFreePort(from: number, used: Iterable<number>): number | undefined {
  const taken = new Set(used);
  for (let p = from + 1; p <= 65535; p++) if (!taken.has(p)) return p;
  return undefined;
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function quorumOf(n: number): number {
  return Math.floor(n / 2) + 1;
}
