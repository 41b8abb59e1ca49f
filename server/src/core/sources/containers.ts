/**
 * What containers add to a cluster: a container is a node with a network namespace of its own
 * (its listeners clash only inside it), reached by its service or host name; what it publishes is
 * a listener on the machine that runs it. Shared by docker-compose and Kubernetes recognition.
 */
import type { Span } from '../types';
import type { Segment } from './docmap';

/** A value read from YAML, with its characters mapped into the file and what in it is unknown. */
export interface Val {
  text: string;
  /** value offsets -> source offsets */
  segments: Segment[];
  /** value offsets whose content is unknown (an unset `${VAR}`, a template expression) */
  masked: Span[];
  /** the whole source span of the scalar */
  span: Span;
}

export interface PublishedPort {
  /** host address the port is published on (undefined: every address of the host) */
  hostIp?: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
  /** where the host port is written (for a short-syntax `"2182:2181"`: the `2182`) */
  span: Span;
}

export interface Container {
  /** compose file or manifest */
  file: string;
  /** `compose` service, Kubernetes workload, or a `docker run` command of a script */
  kind: 'compose' | 'k8s' | 'run';
  /** service / workload name */
  name: string;
  nameSpan: Span;
  image?: Val;
  /** names other containers reach it by (service, hostname, container_name, aliases, pod DNS names) */
  names: string[];
  /** other names it can resolve (compose `extra_hosts`, `links`, `external_links`) */
  resolvable?: string[];
  /** the machine's network namespace when it shares the host's (`network_mode: host`, `hostNetwork: true`) */
  hostNetwork: boolean;
  /** host key of the machine that runs it (one per compose project folder; one per cluster for k8s) */
  machine: string;
  published: PublishedPort[];
  /** ports the image or the manifest says the container listens on (EXPOSE / containerPort) */
  containerPorts: number[];
  /** its environment variables: the value's text, undefined when it is not known */
  env?: ReadonlyMap<string, string | undefined>;
  /** health check or probe commands (for 4lw commands) */
  probes: { text: string; span: Span }[];
  /** the node root of the container's node, when it runs ActiveMQ or ZooKeeper */
  nodeRoot?: string;
  /** number of replicas (Kubernetes), 1 for compose */
  replicas?: { value: number; span: Span };
  /** Kubernetes workload details */
  k8s?: {
    kind: string;
    /** the governing (headless) Service of a StatefulSet */
    serviceName?: string;
    /** ConfigMaps its pods mount */
    configMaps: string[];
    /** command and args, joined, with the span of each word */
    command: { text: string; span: Span }[];
  };
}

/** The image name without registry, and its tag. `bitnami/zookeeper:3.8.1` -> {repo: 'bitnami/zookeeper', tag: '3.8.1'}. */
export function splitImage(image: string): { repo: string; tag: string } {
  let s = image.trim();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  const tag = colon > slash ? s.slice(colon + 1) : 'latest';
  let repo = colon > slash ? s.slice(0, colon) : s;
  // drop a registry host (`docker.io/`, `quay.io/`, `localhost:5000/`)
  const first = repo.split('/')[0];
  if (repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) repo = repo.slice(first.length + 1);
  if (repo.startsWith('library/')) repo = repo.slice(8);
  return { repo: repo.toLowerCase(), tag };
}

export type ZkDialect = 'official' | 'bitnami' | 'confluent';

/** Which ZooKeeper image an image name is, if any. */
export function zookeeperDialect(image: string | undefined, env: ReadonlyMap<string, unknown>): ZkDialect | undefined {
  if (image) {
    const { repo } = splitImage(image);
    if (repo === 'zookeeper' || repo === 'apache/zookeeper') return 'official';
    if (repo.endsWith('bitnami/zookeeper') || repo === 'bitnamilegacy/zookeeper') return 'bitnami';
    if (repo.endsWith('cp-zookeeper')) return 'confluent';
  }
  // a custom image built on one of them: recognised by its variables
  if (env.has('ZOOKEEPER_SERVER_ID') || env.has('ZOOKEEPER_CLIENT_PORT')) return 'confluent';
  if (env.has('ZOO_SERVER_ID') || env.has('ZOO_PORT_NUMBER')) return 'bitnami';
  if (env.has('ZOO_MY_ID') || env.has('ZOO_SERVERS')) return 'official';
  return undefined;
}

/** ActiveMQ Classic images seen in compose files and charts. */
export function isActiveMqImage(image: string | undefined): boolean {
  if (!image) return false;
  const { repo } = splitImage(image);
  return /(^|\/)(activemq|activemq-classic|docker-activemq|activemq-docker)$/.test(repo) && !/artemis/.test(repo);
}

/** The version an image tag names (`3.4.14`, `3.8-temurin`, `5.15.9-alpine`); 'latest' as is; undefined when it names none. */
export function imageVersion(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const { tag } = splitImage(image);
  if (tag === 'latest') return 'latest';
  const m = /^v?(\d+\.\d+(?:\.\d+)?)/.exec(tag);
  return m ? m[1] : undefined;
}

/** Newest releases, for `latest` and untagged images (as of this tool's release). */
export const LATEST = { zookeeper: '3.9', activemq: '6.1' } as const;


/** The environment of a container as texts (undefined where a value is not known). */
export function envTexts(env: ReadonlyMap<string, { val?: Val }>): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const [k, v] of env) out.set(k, v.val && v.val.masked.length === 0 ? v.val.text : undefined);
  return out;
}

/** The images the ActiveMQ project publishes (`apache/activemq-classic`, `apache/activemq`). */
export function isOfficialActiveMqImage(image: string | undefined): boolean {
  if (!image) return false;
  const { repo } = splitImage(image);
  return repo === 'apache/activemq-classic' || repo === 'apache/activemq';
}
