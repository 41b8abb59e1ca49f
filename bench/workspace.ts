/**
 * Deterministic synthetic workspaces for the benchmark and the fuzzer: realistic clusters of
 * 3 brokers + 3 ZooKeeper servers (replicated LevelDB), mixed layouts (one host with offset ports,
 * one machine per node), with a few planted faults, from a seed.
 */
import { generateCluster } from '../server/src/core/generate/cluster';

/** mulberry32: a small deterministic PRNG */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Synthetic {
  files: Map<string, string>;
  nodes: number;
  clusters: number;
  faults: string[];
}

export function syntheticWorkspace(nodes: number, seed = 42): Synthetic {
  const rand = rng(seed);
  const clusters = Math.max(1, Math.round(nodes / 6));
  const files = new Map<string, string>();
  const faults: string[] = [];
  for (let c = 0; c < clusters; c++) {
    const oneHost = rand() < 0.5;
    const g = generateCluster({
      style: 'replicated-leveldb',
      nodes: 3,
      layout: oneHost ? 'one-host' : 'per-node',
      host: oneHost ? `c${c}-host` : `c${c}-`,
      activemqVersion: '5.16.7',
      brokerName: `cluster${c}`,
      folder: `site${c % 10}/cluster${c}`,
    });
    for (const [p, t] of g.files) if (!p.endsWith('README.md')) files.set(p, t);
    // a few realistic faults
    const r = rand();
    const prefix = `site${c % 10}/cluster${c}`;
    if (r < 0.04) {
      const p = `${prefix}/broker2/conf/activemq.xml`;
      files.set(p, files.get(p)!.replace(`brokerName="cluster${c}"`, `brokerName="cluster${c}x"`));
      faults.push(`${p}: brokerName typo`);
    } else if (r < 0.08) {
      files.delete(`${prefix}/zk3/data/myid`);
      faults.push(`${prefix}/zk3: missing myid`);
    } else if (r < 0.12 && oneHost) {
      const p = `${prefix}/zk3/conf/zoo.cfg`;
      files.set(p, files.get(p)!.replace('clientPort=2183', 'clientPort=2182'));
      faults.push(`${p}: clientPort repeated`);
    }
  }
  return { files, nodes: clusters * 6, clusters, faults };
}
