/**
 * Which ZooKeeper (and ActiveMQ) version a node runs, from what the repository shows: a setting,
 * else evidence in or above the node folder (jar names, distribution folder names, image tags in a
 * Dockerfile or compose file), else unknown. Pure.
 */
import type { AnalysisOptions } from '../types';
import { basename, dirname } from './files';

/** A ZooKeeper version as far as it is known. */
export interface ZkVersion {
  /** the version, e.g. `3.4.8` or `3.5` (a release line) */
  text?: string;
  /** only a lower bound is known (e.g. `3.5` from a server line with a `;client` part) */
  floor?: string;
  /** how it was decided, for messages */
  evidence: string;
}

export const UNKNOWN_ZK: ZkVersion = { evidence: 'no ZooKeeper version is known' };

// ---------------------------------------------------------------------------------------------
// marker files (model/files.ts classify() calls isVersionMarkerFile)

const ZK_JAR = /^zookeeper(?:-jute)?-(\d+\.\d+(?:\.\d+)?)(?:-[\w.]+)?\.jar$/;
const DOCKERFILE = /^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.(?:Dockerfile|dockerfile)$/;
const COMPOSE = /^(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$/;

/** A Chef cookbook's attribute file (`<cookbook>/attributes/default.rb`). */
const CHEF_ATTRIBUTES = /(?:^|\/)attributes\/[^/]+\.rb$/;

/** Files that only tell a version: ZooKeeper jars, Dockerfiles, compose files, Chef attribute files. */
export function isVersionMarkerFile(path: string): boolean {
  const name = basename(path);
  return ZK_JAR.test(name) || DOCKERFILE.test(name) || COMPOSE.test(name) || CHEF_ATTRIBUTES.test(path);
}

/** Marker files whose text is needed (image tags, attribute values); jars are known by their name. */
export function markerNeedsText(path: string): boolean {
  const name = basename(path);
  return DOCKERFILE.test(name) || COMPOSE.test(name) || CHEF_ATTRIBUTES.test(path);
}

/**
 * A provisioning script that names the release it installs (`wget .../apache-activemq-5.15.9-bin.tar.gz`,
 * `ZK_VERSION=3.4.14`): its text is kept as version evidence for the nodes at or below its folder.
 */
export function scriptTellsVersion(text: string): boolean {
  return ARCHIVE.amq.test(text) || ARCHIVE.zk.test(text) || VERSION_VAR.amq.test(text) || VERSION_VAR.zk.test(text);
}

// ---------------------------------------------------------------------------------------------
// version arithmetic

export function parseVersionText(v: string | undefined): [number, number, number?] | undefined {
  const m = v ? /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v) : null;
  return m ? [Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])] : undefined;
}

/** Is a version text ("X.Y[.Z]...") at least major.minor? undefined when it names no version. */
export function versionAtLeast(version: string | undefined, major: number, minor: number): boolean | undefined {
  const p = parseVersionText(version);
  if (!p) return undefined;
  return p[0] > major || (p[0] === major && p[1] >= minor);
}

/**
 * Is the version at least major.minor[.patch]? undefined when it cannot be told (unknown, a floor
 * below the bound, or a release line without the patch level the bound needs).
 */
export function zkAtLeast(v: ZkVersion | undefined, major: number, minor: number, patch?: number): boolean | undefined {
  if (!v) return undefined;
  const want = [major, minor, patch ?? 0];
  if (v.text) {
    const p = parseVersionText(v.text);
    if (!p) return undefined;
    if (p[0] !== want[0]) return p[0] > want[0];
    if (p[1] !== want[1]) return p[1] > want[1];
    if (patch === undefined) return true;
    if (p[2] === undefined) return undefined;
    return p[2] >= patch;
  }
  if (v.floor) {
    const f = parseVersionText(v.floor);
    if (!f) return undefined;
    const fv = [f[0], f[1], f[2] ?? 0];
    for (let i = 0; i < 3; i++) if (fv[i] !== want[i]) return fv[i] > want[i] ? true : undefined;
    return true;
  }
  return undefined;
}

/** `3.4.8 (its folder zookeeper-3.4.8)` for messages. */
export function describeZkVersion(v: ZkVersion | undefined): string {
  if (!v || (!v.text && !v.floor)) return 'an unknown ZooKeeper version';
  return v.text ? `ZooKeeper ${v.text} (${v.evidence})` : `ZooKeeper ${v.floor} or later (${v.evidence})`;
}

// ---------------------------------------------------------------------------------------------
// detection

const ZK_FOLDER = /^(?:apache-)?zookeeper-(\d+\.\d+(?:\.\d+)?)(?:-bin)?$/;
/** Images whose tag is the ZooKeeper version (the Docker official image and Bitnami's). */
const ZK_IMAGE = /^(?:(?:[\w.-]+(?::\d+)?\/)?(?:library\/|bitnami\/))?zookeeper:(\d+\.\d+(?:\.\d+)?)\b/;
const AMQ_IMAGE = /^(?:[\w.-]+(?::\d+)?\/)*activemq(?:-classic)?:(\d+\.\d+(?:\.\d+)?)\b/;

/** Image references in a Dockerfile (FROM) or a compose file (image:). */
function imagesOf(path: string, text: string): string[] {
  const out: string[] = [];
  const re = DOCKERFILE.test(basename(path)) ? /^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*["']?([^\s"']+)/gim : /^[ \t-]*image[ \t]*:[ \t]*["']?([^\s"'#]+)/gim;
  for (const m of text.matchAll(re)) out.push(m[1]);
  return out;
}

/** A downloaded release archive of each product, with its version. */
const ARCHIVE = {
  zk: /\b(?:apache-)?zookeeper-(\d+\.\d+\.\d+)(?:-bin)?\.tar\.gz\b/,
  amq: /\bapache-activemq-(\d+\.\d+\.\d+)(?:-bin)?\.(?:tar\.gz|zip)\b/,
};
/** A version variable (`ENV ACTIVEMQ_VERSION 5.15.9`, `ZK_VERSION=3.4.14`, `export ACTIVEMQ_VERSION="5.16.3"`). */
const VERSION_VAR = {
  zk: /\b(?:ZK|ZOOKEEPER)_VERSION[ \t]*[= \t][ \t]*["']?(\d+\.\d+\.\d+)\b/,
  amq: /\b(?:AMQ|ACTIVEMQ)_VERSION[ \t]*[= \t][ \t]*["']?(\d+\.\d+\.\d+)\b/,
};

function allMatches(re: RegExp, text: string): string[] {
  return [...text.matchAll(new RegExp(re.source, 'g'))].map((m) => m[1]);
}

/** Versions a Dockerfile or a provisioning script states besides an image (a version variable, a downloaded archive). */
function versionsInScript(product: 'zk' | 'amq', text: string): string[] {
  return [...allMatches(VERSION_VAR[product], text), ...allMatches(ARCHIVE[product], text)];
}

/**
 * The version a Chef attribute file sets for the product (`default['activemq']['version'] = "5.13.4"`,
 * `default[:zookeeper][:version] = '3.4.6'`): the attribute path names the product and ends in `version`.
 */
function versionsInChefAttributes(product: 'zk' | 'amq', text: string): string[] {
  const out: string[] = [];
  const re = /^[ \t]*(?:node\.)?(?:default|normal|override|set)((?:\[[ \t]*(?:'[\w.-]+'|"[\w.-]+"|:[\w]+)[ \t]*\])+)[ \t]*=[ \t]*(?:'(\d+\.\d+\.\d+)'|"(\d+\.\d+\.\d+)")[ \t]*(?:#.*)?$/gm;
  for (const m of text.matchAll(re)) {
    const keys = [...m[1].matchAll(/(?:'([\w.-]+)'|"([\w.-]+)"|:([\w]+))/g)].map((k) => (k[1] ?? k[2] ?? k[3]).toLowerCase());
    if (keys[keys.length - 1] !== 'version') continue;
    const names = product === 'amq' ? ['activemq', 'amq'] : ['zookeeper', 'zk'];
    if (!keys.slice(0, -1).some((k) => names.includes(k))) continue;
    out.push(m[2] ?? m[3]);
  }
  return out;
}

export interface MarkerView {
  /** every marker path (jar names, Dockerfiles, compose files) */
  markers: readonly string[];
  /** text of the marker files that need it */
  markerTexts: ReadonlyMap<string, string>;
}

function single(versions: string[]): string | undefined {
  const set = new Set(versions);
  return set.size === 1 ? versions[0] : undefined;
}

/** The folder and its ancestors, deepest first ('' is the workspace root). */
function foldersUp(folder: string): string[] {
  const out: string[] = [];
  let d = folder;
  for (;;) {
    out.push(d);
    if (d === '') break;
    d = dirname(d);
  }
  return out;
}

/**
 * The versions the files of `folder` state for the product: image tags of its Dockerfiles and
 * compose files, version variables and downloaded archives of its Dockerfiles and scripts, and the
 * attributes of a Chef cookbook rooted there (`folder/attributes/*.rb`).
 */
function provisionedVersionsIn(folder: string, view: MarkerView, product: 'zk' | 'amq'): { versions: string[]; file?: string } {
  const prefix = folder === '' ? '' : folder + '/';
  const pattern = product === 'zk' ? ZK_IMAGE : AMQ_IMAGE;
  let versions: string[] = [];
  let file: string | undefined;
  for (const [p, text] of view.markerTexts) {
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length);
    const found: string[] = [];
    if (!rest.includes('/')) {
      if (DOCKERFILE.test(rest) || COMPOSE.test(rest)) {
        for (const img of imagesOf(p, text)) {
          const m = pattern.exec(img);
          if (m) found.push(m[1]);
        }
      }
      if (!COMPOSE.test(rest)) found.push(...versionsInScript(product, text));
    } else if (CHEF_ATTRIBUTES.test(rest) && rest.startsWith('attributes/')) {
      found.push(...versionsInChefAttributes(product, text));
    }
    if (found.length) {
      versions = versions.concat(found);
      file ??= p;
    }
  }
  return { versions, file };
}

/** The ZooKeeper version of the node in folder `root` whose zoo.cfg is `file`. */
export function detectZkVersion(root: string, file: string, view: MarkerView, options: AnalysisOptions): ZkVersion {
  if (options.zookeeperVersion) return { text: options.zookeeperVersion, evidence: 'the zookeeperVersion setting' };
  // a distribution folder in the node's path
  for (const d of foldersUp(dirname(file))) {
    const m = ZK_FOLDER.exec(basename(d));
    if (m) return { text: m[1], evidence: `its folder ${basename(d)}` };
  }
  // jars inside the node folder
  const prefix = root === '' ? '' : root + '/';
  const jars: string[] = [];
  let jarName = '';
  for (const p of view.markers) {
    if (!p.startsWith(prefix) || /(^|\/)(lib\/optional|apache-activemq[^/]*)\//.test(p.slice(prefix.length))) continue;
    const m = ZK_JAR.exec(basename(p));
    if (m) {
      jars.push(m[1]);
      jarName ||= basename(p);
    }
  }
  const jar = single(jars);
  if (jar) return { text: jar, evidence: `its ${jarName}` };
  // what provisions it: an image tag, a version variable or a downloaded archive in the nearest
  // Dockerfile, compose file or script, or a Chef cookbook attribute, next to or above the node
  for (const d of foldersUp(root)) {
    const { versions, file: source } = provisionedVersionsIn(d, view, 'zk');
    if (versions.length === 0) continue;
    const v = single(versions);
    if (v) return { text: v, evidence: `${source}` };
    return UNKNOWN_ZK; // several versions named: cannot tell which is this node's
  }
  return UNKNOWN_ZK;
}

/** An ActiveMQ version from what provisions the node (image tag, version variable, downloaded archive, Chef attribute) nearest to it. */
export function detectActiveMqImageVersion(root: string, view: MarkerView): string | undefined {
  for (const d of foldersUp(root)) {
    const { versions } = provisionedVersionsIn(d, view, 'amq');
    if (versions.length) return single(versions);
  }
  return undefined;
}
