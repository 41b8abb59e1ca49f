/**
 * ZooKeeper dynamic configuration (3.5+): `dynamicConfigFile=` in zoo.cfg names a file that holds
 * the server lines (`server.N=`, `group.N=`, `weight.N=`). ZooKeeper reads the two files as one
 * configuration: QuorumPeerConfig.parse loads zoo.cfg, then the dynamic file, and sets the quorum
 * up from the latter.
 *
 * Here the zoo.cfg document becomes that one configuration: its own text with the
 * `dynamicConfigFile` line blanked, then the dynamic file's text. A DocMap maps every character
 * back: zoo.cfg's text verbatim onto zoo.cfg, the dynamic part verbatim onto the dynamic file, so a
 * finding on a server line lands in the dynamic file and a fix there edits it. Every rule sees a
 * node's servers where it already looks for them (`ZkNode.config.servers`), with no second kind of
 * server list to know about.
 *
 * Only a configuration ZooKeeper would accept is joined: zoo.cfg without server/group/weight lines
 * of its own ("must be in a separate dynamic config file") and a dynamic file of only those keys
 * ("Unrecognised parameter", "dynamic file shouldn't have version inside"). Otherwise ZooKeeper
 * exits, zk-config-invalid / zk-dynamic-config say why, and zoo.cfg stays on its own.
 */
import type { Span } from '../types';
import { basename, dirname, nodeRootOf } from '../model/files';
import { parseZooCfg, type ZooConfig } from '../parse/zoocfg';
import { DocMap, type Segment } from './docmap';
import type { DocSpec } from './recognize';

/** Keys a dynamic configuration file may hold (QuorumPeerConfig.parseDynamicConfig, not in backward-compatibility mode). */
export function isDynamicKey(key: string): boolean {
  return key.startsWith('server.') || key.startsWith('group') || key.startsWith('weight');
}

/** The dynamic file a zoo.cfg names: the zoodynamic document whose path ends like the value, nearest to zoo.cfg. */
export function resolveDynamicFile(value: string, source: string, dynamic: readonly string[], zkFolders: ReadonlySet<string>): string | undefined {
  const comps = value.trim().replace(/\\/g, '/').replace(/^[A-Za-z]:/, '').split('/').filter((c) => c && c !== '.');
  const base = comps.pop();
  if (!base) return undefined;
  const folder = nodeRootOf(source);
  let best: { path: string; score: number; near: number } | undefined;
  for (const p of dynamic) {
    if (basename(p) !== base) continue;
    // never a file inside another ZooKeeper node's folder
    const owner = ownerFolder(p, zkFolders);
    if (owner !== undefined && owner !== folder) continue;
    const dirs = dirname(p).split('/').filter(Boolean);
    let score = 0;
    while (score < dirs.length && score < comps.length && dirs[dirs.length - 1 - score] === comps[comps.length - 1 - score]) score++;
    // a match by file name alone only counts inside the node's own folder
    if (score === 0 && !(folder === '' || p.startsWith(folder + '/'))) continue;
    const near = commonPrefix(dirname(p), dirname(source));
    if (!best || score > best.score || (score === best.score && near > best.near)) best = { path: p, score, near };
  }
  return best?.path;
}

function ownerFolder(path: string, folders: ReadonlySet<string>): string | undefined {
  let dir = path;
  for (;;) {
    const i = dir.lastIndexOf('/');
    dir = i >= 0 ? dir.slice(0, i) : '';
    if (folders.has(dir)) return dir;
    if (dir === '') return undefined;
  }
}

function commonPrefix(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let k = 0;
  while (k < x.length && k < y.length && x[k] === y[k]) k++;
  return k;
}

/** Keys of a dynamic file that ZooKeeper rejects there (`version` included: it comes from the file name). */
export function rejectedDynamicKeys(cfg: ZooConfig): string[] {
  return cfg.entries.map((e) => e.key).filter((k) => !isDynamicKey(k));
}

/**
 * Joins every zoo.cfg document that names a dynamic file in the repository with that file.
 * `dynamicFile` is set on the zoo.cfg document whenever the file is found (joined or not).
 */
export function linkDynamicConfigs<T extends DocSpec>(docs: T[]): T[] {
  try {
    return link(docs);
  } catch {
    // parsing never fails: a zoo.cfg then stays on its own
    return docs;
  }
}

function link<T extends DocSpec>(docs: T[]): T[] {
  if (!docs.some((d) => d.kind === 'zoocfg' && d.text.includes('dynamicConfigFile'))) return docs;
  const dynamicDocs = new Map<string, T>();
  for (const d of docs) if (d.kind === 'zoodynamic' && !d.template && !d.node && d.id === d.source) dynamicDocs.set(d.id, d);
  const zkFolders = new Set<string>();
  for (const d of docs) if (d.kind === 'zoocfg' && !d.template && !d.node) zkFolders.add(nodeRootOf(d.source));
  const paths = [...dynamicDocs.keys()];
  return docs.map((d) => {
    if (d.kind !== 'zoocfg' || d.template || d.map || d.id !== d.source || !d.text.includes('dynamicConfigFile')) return d;
    const cfg = parseZooCfg(d.text);
    const entry = cfg.byKey.get('dynamicConfigFile');
    if (!entry || entry.value.includes('${') || entry.value.trim() === '') return d;
    const path = resolveDynamicFile(entry.value, d.source, paths, zkFolders);
    if (!path) return d;
    const dyn = dynamicDocs.get(path)!;
    const withRef = { ...d, dynamicFile: path };
    if (cfg.entries.some((e) => isDynamicKey(e.key))) return withRef;
    const dynCfg = parseZooCfg(dyn.text);
    if (rejectedDynamicKeys(dynCfg).length > 0 || dynCfg.servers.length === 0) return withRef;
    return { ...withRef, ...joined(d, entry.lineSpan, dyn) };
  });
}

/** zoo.cfg's text with its dynamicConfigFile line blanked, then the dynamic file's, and the map back. */
function joined(doc: DocSpec, line: Span, dyn: DocSpec): Pick<DocSpec, 'text' | 'map' | 'masked' | 'inputs'> {
  const st = doc.text;
  const endsWithBreak = /[\r\n]$/.test(st);
  const sep = endsWithBreak ? '\n' : '\n\n';
  const text = st.slice(0, line.start) + st.slice(line.start, line.end).replace(/[^\r\n]/g, ' ') + st.slice(line.end) + sep + dyn.text;
  const dynStart = st.length + sep.length;
  const segments: Segment[] = [];
  if (line.start > 0) segments.push({ docStart: 0, length: line.start, file: doc.source, srcStart: 0, verbatim: true });
  segments.push({ docStart: line.start, length: line.end - line.start, file: doc.source, srcStart: line.start, srcLength: line.end - line.start, verbatim: false });
  if (st.length > line.end) segments.push({ docStart: line.end, length: st.length - line.end, file: doc.source, srcStart: line.end, verbatim: true });
  segments.push({ docStart: st.length, length: sep.length, file: doc.source, srcStart: st.length, srcLength: 0, verbatim: false });
  if (dyn.text.length > 0) segments.push({ docStart: dynStart, length: dyn.text.length, file: dyn.source, srcStart: 0, verbatim: true });
  const masked: Span[] = [...(doc.masked ?? []), ...(dyn.masked ?? []).map((m) => ({ start: m.start + dynStart, end: m.end + dynStart }))];
  return { text, map: new DocMap(segments), ...(masked.length ? { masked } : {}), inputs: [dyn.source] };
}
