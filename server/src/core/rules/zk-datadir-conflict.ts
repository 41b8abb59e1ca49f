import type { Rule } from './types';
import type { Span } from '../types';
import type { ZkNode } from '../model/workspace';
import type { ZooEntry } from '../parse/zoocfg';

/** `/a//b/` -> `/a/b`; Windows paths (drive letter, UNC) compared without case. */
function normalizeDir(v: string): string | undefined {
  const t = v.trim();
  if (!t || t.includes('${')) return undefined;
  const unixAbs = t.startsWith('/');
  const winAbs = /^[A-Za-z]:[\\/]/.test(t) || /^(\\\\|\/\/)[^\\/]/.test(t);
  if (!unixAbs && !winAbs) return undefined;
  let p = t.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return winAbs ? p.toLowerCase() : p;
}

/** The path components of a dataDir value with their spans in the file. */
function components(e: ZooEntry): { text: string; span: Span }[] {
  const out: { text: string; span: Span }[] = [];
  const v = e.value;
  // the value is trimmed; its text starts at valueSpan.start (ZooKeeper's escapes aside)
  const raw = e.untrimmedValue;
  if (raw.trimEnd() !== v) return out;
  const start = e.valueSpan.start;
  let i = 0;
  while (i < v.length) {
    while (i < v.length && (v[i] === '/' || v[i] === '\\')) i++;
    const a = i;
    while (i < v.length && v[i] !== '/' && v[i] !== '\\') i++;
    if (i > a) out.push({ text: v.slice(a, i), span: { start: start + a, end: start + i } });
  }
  return out;
}

/**
 * Two ZooKeeper servers on one host must not share a dataDir, and a server's dataDir must not lie
 * in a sibling server's folder: ZooKeeper reads `<dataDir>/myid` to learn which server it is, so
 * such a server runs as the sibling (duplicate id, shared snapshots and transaction logs).
 */
export const rule: Rule = {
  meta: {
    code: 'zk-datadir-conflict',
    description: "Two ZooKeeper servers on one host share a dataDir, or a server's dataDir lies in a sibling server's folder (it reads the sibling's myid).",
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    const blamed = new Set<ZkNode>();
    // each server's normalised dataDir, worked out once for both checks
    const dirs = new Map<ZkNode, string | undefined>();
    const dirOf = (z: ZkNode): string | undefined => {
      if (dirs.has(z)) return dirs.get(z);
      const e = z.config.byKey.get('dataDir');
      const d = e ? normalizeDir(e.value) : undefined;
      dirs.set(z, d);
      return d;
    };
    // a dataDir inside a sibling's folder (copied from the sibling's zoo.cfg and not adapted)
    for (const e of ctx.model.ensembles) {
      if (e.members.length < 2) continue;
      const names = new Map<string, ZkNode[]>();
      for (const m of e.members) {
        let arr = names.get(m.name);
        if (!arr) names.set(m.name, (arr = []));
        arr.push(m);
      }
      for (const z of e.members) {
        if (names.get(z.name)!.length > 1) continue;
        const entry = z.config.byKey.get('dataDir');
        if (!entry || !dirOf(z)) continue;
        const comps = components(entry);
        if (comps.some((c) => c.text === z.name)) continue;
        const hits = comps.filter((c) => names.get(c.text)?.length === 1);
        if (hits.length !== 1) continue;
        const sibling = names.get(hits[0].text)![0];
        // on a machine of its own, or in a container (its own file system), the path is its own
        if (sibling.host !== z.host || z.filesystem || sibling.filesystem) continue;
        const sibDir = sibling.config.byKey.get('dataDir');
        blamed.add(z);
        ctx.report({
          file: z.file,
          span: hits[0].span,
          message: `${z.name}'s dataDir ${entry.value} lies in the folder of its sibling ${sibling.name} on the same host (${z.hostEvidence}): ${z.name} reads ${sibling.name}'s myid and runs as that server (a duplicate id), sharing its snapshots and logs. It was probably copied from ${sibling.name}'s zoo.cfg.`,
          related: sibDir ? [{ file: sibling.file, span: valueSpan(sibDir), message: `${sibling.name}'s dataDir` }] : [],
          fixes: [{ title: `Change ${hits[0].text} to ${z.name} in dataDir`, edits: [{ file: z.file, span: hits[0].span, newText: z.name }], isPreferred: true }],
        });
      }
    }
    // the same dataDir on one host
    const byDir = new Map<string, ZkNode[]>();
    for (const z of ctx.model.zkNodes) {
      const dir = dirOf(z);
      if (!dir) continue;
      // a container has a file system of its own, even when it shares the host's network
      const key = `${z.filesystem ? 'fs:' + z.filesystem : z.host}\u0000${dir}`;
      let arr = byDir.get(key);
      if (!arr) byDir.set(key, (arr = []));
      arr.push(z);
    }
    for (const same of byDir.values()) {
      if (same.length < 2) continue;
      // explained above: the copies are reported, the server whose folder it is did nothing wrong
      const rest = same.filter((z) => !blamed.has(z));
      if (rest.length < same.length && rest.length <= 1) continue;
      for (const z of rest) {
        const e = z.config.byKey.get('dataDir')!;
        const others = same.filter((o) => o !== z);
        ctx.report({
          file: z.file,
          span: valueSpan(e),
          message: `${z.name} and ${others.map((o) => o.name).join(', ')} run on one host (${z.hostEvidence}) with the same dataDir ${e.value}: they read the same myid, so they run as one server id, and they write the same snapshots and transaction logs. Give each server its own dataDir.`,
          related: others.map((o) => ({ file: o.file, span: valueSpan(o.config.byKey.get('dataDir')!), message: `${o.name}'s dataDir` })),
        });
      }
    }
  },
};

function valueSpan(e: ZooEntry): Span {
  return { start: e.valueSpan.start, end: e.valueSpan.start + e.value.length };
}
