/**
 * `amq-cluster-lint [--format text|json|sarif] [--activemq-version X.Y] <folder>...`
 * Exit status: 1 if any error-level finding, 0 otherwise, 2 on a usage error.
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import type { AnalysisResult } from '../core/analyze';
import { AnalysisService } from '../core/service';
import type { AnalysisOptions, Snapshot } from '../core/types';
import { readWorkspace } from '../io/walk';
import { toolVersion } from '../io/project';
import { ChunkedWriter, toText, writeJson, writeSarif, writeText, type FolderResult } from './format';
import type { Skipped } from '../io/walk';
import { buildPlan, renderPlanMarkdown } from '../core/plan';
import { generateCluster, GeneratorError, type ClusterSpec } from '../core/generate/cluster';

const FORMATS = ['text', 'json', 'sarif', 'plan'] as const;
type Format = (typeof FORMATS)[number];

export const USAGE =
  'usage: amq-cluster-lint [--format text|json|sarif|plan] [--activemq-version X.Y] [--zookeeper-version X.Y] [--max-file-size MB] <folder>...\n' +
  '       amq-cluster-lint new --style replicated-leveldb|shared-kahadb|jdbc --nodes N --layout one-host|per-node --activemq-version X.Y.Z [--host H] [--broker-name NAME] [--install-root PATH] <folder>';

interface Args {
  format: Format;
  activemqVersion?: string;
  zookeeperVersion?: string;
  /** MB */
  maxFileSize?: number;
  folders: string[];
  help: boolean;
}

export class UsageError extends Error {}

/** Lints a snapshot through the analysis service (the editor's, in its one-shot mode). */
function lint(snapshot: Snapshot, options: AnalysisOptions): AnalysisResult {
  const service = new AnalysisService(options, { batch: true });
  service.setFiles(snapshot);
  const update = service.update();
  return { ...service.fullResult(), internalErrors: update.internalErrors };
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { format: 'text', folders: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const takeValue = (name: string): string => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (a === '--') {
      args.folders.push(...argv.slice(i + 1));
      break;
    } else if (a === '-h' || a === '--help') {
      args.help = true;
    } else if (a === '--format' || a.startsWith('--format=') || a === '-f') {
      const v = takeValue('--format');
      if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`unknown format '${v}' (expected text, json, sarif or plan)`);
      args.format = v as Format;
    } else if (a === '--activemq-version' || a.startsWith('--activemq-version=')) {
      const v = takeValue('--activemq-version');
      if (!/^\d+\.\d+(\.\d+)?$/.test(v)) throw new UsageError(`--activemq-version expects X.Y or X.Y.Z, got '${v}'`);
      args.activemqVersion = v;
    } else if (a === '--zookeeper-version' || a.startsWith('--zookeeper-version=')) {
      const v = takeValue('--zookeeper-version');
      if (!/^\d+\.\d+(\.\d+)?$/.test(v)) throw new UsageError(`--zookeeper-version expects X.Y or X.Y.Z, got '${v}'`);
      args.zookeeperVersion = v;
    } else if (a === '--max-file-size' || a.startsWith('--max-file-size=')) {
      const v = takeValue('--max-file-size');
      if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new UsageError(`--max-file-size expects a size in MB, got '${v}'`);
      args.maxFileSize = Number(v);
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option '${a}'`);
    } else {
      args.folders.push(a);
    }
  }
  return args;
}


export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (argv[0] === 'new') return newCluster(argv.slice(1), out, err);
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    err.write(`amq-cluster-lint: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    out.write(USAGE + '\n');
    return 0;
  }
  if (args.folders.length === 0) {
    err.write(`amq-cluster-lint: no folder given\n${USAGE}\n`);
    return 2;
  }
  for (const f of args.folders) {
    const st = await fs.stat(f).catch(() => undefined);
    if (!st || !st.isDirectory()) {
      err.write(`amq-cluster-lint: '${f}' is not a folder\n${USAGE}\n`);
      return 2;
    }
  }
  const results: FolderResult[] = [];
  for (const folder of args.folders) {
    const abs = path.resolve(folder);
    const { snapshot, skipped, links } = await readWorkspace(abs);
    reportSkipped(skipped, err);
    const blockedPaths = new Set([...skipped.map((s) => s.file), ...links.keys()]);
    const res = lint(snapshot, { activemqVersion: args.activemqVersion, zookeeperVersion: args.zookeeperVersion, blockedPaths, ...(args.maxFileSize ? { maxFileSize: Math.round(args.maxFileSize * 1024 * 1024) } : {}) });
    for (const ie of res.internalErrors) err.write(`amq-cluster-lint: internal error in rule ${ie.rule}: ${ie.message}\n`);
    results.push({ folder, abs, findings: res.findings, texts: snapshot, model: res.model });
  }
  if (args.format === 'plan') {
    for (const r of results) out.write(renderPlanMarkdown(buildPlan(r.model!, r.findings), `Cluster port plan: ${r.folder}`) + '\n');
  } else if (args.format === 'json') {
    writeJson(new ChunkedWriter(out), results);
  } else if (args.format === 'sarif') {
    writeSarif(new ChunkedWriter(out), results, toolVersion());
  } else {
    writeText(new ChunkedWriter(out), results);
    const count = new Map<string, number>();
    let total = 0;
    for (const r of results) for (const f of r.findings) {
      total++;
      count.set(f.severity, (count.get(f.severity) ?? 0) + 1);
    }
    if (total) {
      const n = (s: string) => count.get(s) ?? 0;
      err.write(`${total} problem${total === 1 ? '' : 's'} (${n('error')} errors, ${n('warning')} warnings, ${n('information') + n('hint')} infos)\n`);
    }
  }
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

/**
 * What the walk left out that a user should hear about: files too large, links out of the
 * workspace, FIFOs and devices, unreadable files and names. Folders left out by rule or pattern
 * and paths read once under another name are not news (a later --list-files lists every entry).
 */
const QUIET_SKIPS = new Set<Skipped['reason']>(['folder-rule', 'excluded', 'duplicate']);
export const MAX_SKIP_LINES = 50;

function reportSkipped(skipped: Skipped[], err: NodeJS.WritableStream): void {
  const loud = skipped.filter((s) => !QUIET_SKIPS.has(s.reason));
  for (const s of loud.slice(0, MAX_SKIP_LINES)) err.write(`amq-cluster-lint: skipped ${s.file || '.'}${s.folder ? '/' : ''}: ${s.detail}\n`);
  if (loud.length > MAX_SKIP_LINES) err.write(`amq-cluster-lint: skipped ${loud.length - MAX_SKIP_LINES} more files or folders\n`);
}

/** `amq-cluster-lint new ... <folder>`: writes a correct cluster, then lints it. */
async function newCluster(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const opts: Record<string, string> = {};
  const rest: string[] = [];
  const known = new Set(['style', 'nodes', 'layout', 'activemq-version', 'host', 'broker-name', 'install-root']);
  try {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a.startsWith('--')) {
        const eq = a.indexOf('=');
        const name = a.slice(2, eq >= 0 ? eq : undefined);
        if (!known.has(name)) throw new UsageError(`unknown option '--${name}' for new`);
        const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        opts[name] = v;
      } else rest.push(a);
    }
    if (rest.length !== 1) throw new UsageError('new needs exactly one target folder');
    for (const req of ['style', 'nodes', 'layout', 'activemq-version']) if (!opts[req]) throw new UsageError(`new needs --${req}`);
    if (!['replicated-leveldb', 'shared-kahadb', 'jdbc'].includes(opts.style)) throw new UsageError(`unknown style '${opts.style}'`);
    if (!['one-host', 'per-node'].includes(opts.layout)) throw new UsageError(`unknown layout '${opts.layout}'`);
  } catch (e) {
    err.write(`amq-cluster-lint: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const folder = rest[0];
  const spec: ClusterSpec = {
    style: opts.style as ClusterSpec['style'],
    nodes: Number(opts.nodes),
    layout: opts.layout as ClusterSpec['layout'],
    activemqVersion: opts['activemq-version'],
    host: opts.host,
    brokerName: opts['broker-name'],
    installRoot: opts['install-root'],
    folder: '.',
  };
  let generated;
  try {
    generated = generateCluster(spec);
  } catch (e) {
    if (e instanceof GeneratorError) {
      err.write(`amq-cluster-lint: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const abs = path.resolve(folder);
  for (const rel of generated.files.keys()) {
    const target = path.join(abs, rel);
    if (await fs.stat(target).catch(() => undefined)) {
      err.write(`amq-cluster-lint: ${path.join(folder, rel)} already exists; choose an empty folder\n`);
      return 2;
    }
  }
  for (const [rel, text] of generated.files) {
    const target = path.join(abs, rel);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, text);
  }
  out.write(`Wrote ${generated.files.size} files to ${folder}: ${generated.summary}.\nClients: ${generated.failoverUrl}\n`);
  const { snapshot } = await readWorkspace(abs);
  const res = lint(snapshot, { activemqVersion: spec.activemqVersion });
  out.write(toText([{ folder, abs, findings: res.findings, texts: snapshot }]));
  return res.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
