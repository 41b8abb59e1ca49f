/**
 * `amq-cluster-lint [options] <path>...` (see args.ts for the flags), `amq-cluster-lint new ...`.
 * Exit status: 1 when an error-level finding is reported (or more warnings than --max-warnings),
 * 0 otherwise, 2 on a usage or configuration error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { AnalysisService } from '../core/service';
import type { AnalysisOptions, Finding, Snapshot } from '../core/types';
import type { AnalysisResult } from '../core/analyze';
import { RULES } from '../core/rules';
import { fixWorkspace, type FixRun } from '../core/fixrun';
import { fingerprint } from '../core/fingerprint';
import { applyBaseline, buildBaseline, parseBaseline, serializeBaseline } from '../core/baseline';
import { CONFIG_FILE_NAME } from '../core/config';
import { readWorkspace, readFileContainedSync, containedRelative, isInside, type Skipped } from '../io/walk';
import { encodeText } from '../io/decode';
import { homepage, ruleDocText, ruleDocUrl, toolVersion } from '../io/project';
import { renderPlanMarkdown, buildPlan } from '../core/plan';
import { generateCluster, GeneratorError, type ClusterSpec } from '../core/generate/cluster';
import { NEW_USAGE, USAGE, UsageError, parseArgs, type Args } from './args';
import { loadWorkspace, type CliWorkspace } from './workspace';
import { ANSI, ChunkedWriter, PLAIN, writeGithub, writeJson, writeJsonArray, writeJunit, writeSarif, writeText, jsonFindings, type Colors, type RunOutput } from './format';

export { USAGE, UsageError, parseArgs };

type Out = NodeJS.WritableStream & { isTTY?: boolean };

/** Lints a snapshot through the analysis service (the editor's, in its one-shot mode). */
function lint(snapshot: Snapshot, options: AnalysisOptions): AnalysisResult {
  const service = new AnalysisService(options, { batch: true });
  service.setFiles(snapshot);
  const update = service.update();
  return { ...service.fullResult(), internalErrors: update.internalErrors };
}

export async function main(argv: string[], out: Out = process.stdout, err: Out = process.stderr, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  if (argv[0] === 'new') return newCluster(argv.slice(1), out, err);
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    err.write(`amq-cluster-lint: ${(e as Error).message}\n${USAGE.split('\n')[0]}\n(amq-cluster-lint --help lists every option)\n`);
    return 2;
  }
  if (args.help) {
    out.write(USAGE + '\n');
    return 0;
  }
  if (args.version) {
    out.write(toolVersion() + '\n');
    return 0;
  }
  if (args.listRules) return listRules(args, out);
  if (args.paths.length === 0) {
    err.write(`amq-cluster-lint: no path given (a folder, a file or a quoted glob; '.' for the current folder)\n${USAGE.split('\n')[0]}\n`);
    return 2;
  }
  let ws: CliWorkspace;
  try {
    ws = loadWorkspace(args, cwd);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err.write(`amq-cluster-lint: ${e.message}\n`);
    return 2;
  }
  for (const w of ws.warnings) err.write(`amq-cluster-lint: warning: ${w}\n`);
  reportSkipped(ws, err);

  const blockedPaths = new Set([...ws.skipped.map((s) => s.file), ...ws.links.keys()]);
  const options: AnalysisOptions = { ...ws.settings.options, blockedPaths };
  const service = new AnalysisService(options, { batch: true });
  service.setFiles(ws.snapshot);
  const update = service.update();
  for (const ie of update.internalErrors) err.write(`amq-cluster-lint: internal error in rule ${ie.rule}: ${ie.message}\n`);

  if (args.listFiles) return listFiles(args, ws, service.fullResult(), out);

  let fixRun: FixRun | undefined;
  let target: Out = out;
  let closeTarget: (() => void) | undefined;
  if (args.outputFile) {
    const file = path.resolve(cwd, args.outputFile);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const fd = fs.openSync(file, 'w');
      target = { write: (s: string) => (fs.writeSync(fd, s), true) } as unknown as Out;
      closeTarget = () => fs.closeSync(fd);
    } catch (e) {
      err.write(`amq-cluster-lint: --output-file: cannot write ${args.outputFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      return 2;
    }
  }
  try {
    if (args.fix || args.fixDryRun) {
      const skip = new Set([...ws.encodings].filter(([, e]) => e.invalid).map(([f]) => f));
      fixRun = fixWorkspace(service, { skip });
      if (args.fix) {
        const failed = writeFixes(ws, fixRun, err);
        if (failed) return 2;
      } else writeDiff(ws, fixRun, target);
    }
    const result = fixRun ? service.fullResult() : service.fullResult();
    const texts = new Map<string, string>();
    for (const p of service.paths()) texts.set(p, service.text(p)!);
    let findings = result.findings;

    if (args.baselineWrite) return writeBaseline(args.baselineWrite, ws, findings, texts, err, cwd);
    if (args.quiet) findings = findings.filter((f) => f.severity === 'error');
    let tolerated = 0;
    let gone = 0;
    if (args.baseline) {
      const file = path.resolve(cwd, args.baseline);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        err.write(`amq-cluster-lint: --baseline: cannot read ${args.baseline} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
        return 2;
      }
      const parsed = parseBaseline(text);
      if (!parsed.baseline) {
        err.write(`amq-cluster-lint: --baseline: ${args.baseline} ${parsed.error}\n`);
        return 2;
      }
      const dir = path.dirname(file);
      const outcome = applyBaseline(findings, (f) => fingerprint(f, baselinePath(ws, dir, f.file), texts.get(f.file)), parsed.baseline);
      findings = outcome.kept;
      tolerated = outcome.tolerated;
      gone = outcome.gone;
    }

    const colors = pickColors(args, target === out ? out : undefined, env);
    const run: RunOutput = {
      findings,
      texts,
      root: ws.root,
      display: ws.display,
      fingerprint: (f: Finding) => fingerprint(f, f.file, texts.get(f.file)),
      docUrl: (code: string) => ruleDocUrl(code),
      docText: ruleDocText,
      toolVersion: toolVersion(),
      homepage: homepage(),
      filesRead: [...service.paths()].sort(),
    };
    if (!args.fixDryRun) {
      const w = new ChunkedWriter(target);
      switch (args.format) {
        case 'json':
          writeJson(w, run);
          break;
        case 'sarif':
          writeSarif(w, run);
          break;
        case 'github':
          writeGithub(w, run);
          break;
        case 'junit':
          writeJunit(w, run);
          break;
        case 'plan':
          target.write(renderPlanMarkdown(buildPlan(result.model, result.findings), `Cluster port plan: ${args.paths.join(' ')}`) + '\n');
          break;
        default:
          writeText(w, run, colors);
      }
    }

    const count = { error: 0, warning: 0, information: 0, hint: 0 };
    for (const f of findings) count[f.severity]++;
    if (fixRun) {
      const files = fixRun.after.size;
      const verb = args.fix ? 'Fixed' : 'Would fix';
      err.write(`amq-cluster-lint: ${verb} ${fixRun.fixed} problem${fixRun.fixed === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}${fixRun.passes.length > 1 ? ` (${fixRun.passes.length} passes)` : ''}; ${findings.length} left${args.fix ? '' : ' after them'}.\n`);
    }
    if (args.format === 'text' || fixRun) {
      err.write(summaryLine(findings.length, count, ws, service.paths(), tolerated, gone) + '\n');
    }
    if (args.maxWarnings !== undefined && count.warning > args.maxWarnings) {
      err.write(`amq-cluster-lint: ${count.warning} warnings, more than --max-warnings ${args.maxWarnings}.\n`);
      return 1;
    }
    return count.error > 0 ? 1 : 0;
  } finally {
    closeTarget?.();
  }
}

function pickColors(args: Args, tty: Out | undefined, env: NodeJS.ProcessEnv): Colors {
  if (args.color === true) return ANSI;
  if (args.color === false) return PLAIN;
  if (!tty || !tty.isTTY) return PLAIN;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return PLAIN;
  if (env.TERM === 'dumb') return PLAIN;
  return ANSI;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `3 problems (2 errors, 1 warning, 0 infos); 14 files read, 2 left out (--list-files says which and why)` */
export function summaryLine(total: number, count: Record<Finding['severity'], number>, ws: CliWorkspace, paths: Iterable<string>, tolerated = 0, gone = 0): string {
  let read = 0;
  for (const _ of paths) read++;
  const left = ws.skipped.length;
  const problems = total === 0 ? 'No problems' : `${plural(total, 'problem')} (${plural(count.error, 'error')}, ${plural(count.warning, 'warning')}, ${plural(count.information + count.hint, 'info')})`;
  const base = tolerated || gone ? `; the baseline tolerated ${tolerated}${gone ? `, ${gone} recorded no longer occur` : ''}` : '';
  return `${problems}${base}; ${plural(read, 'file')} read, ${left} left out${left ? ' (--list-files says which and why)' : ''}`;
}

/** A finding's file named relative to the baseline file's folder (stable whatever the current folder). */
function baselinePath(ws: CliWorkspace, dir: string, rel: string): string {
  return path.relative(dir, ws.abs(rel)).split(path.sep).join('/');
}

function writeBaseline(file: string, ws: CliWorkspace, findings: readonly Finding[], texts: ReadonlyMap<string, string>, err: Out, cwd: string): number {
  const abs = path.resolve(cwd, file);
  const dir = path.dirname(abs);
  const b = buildBaseline(
    findings.map((f) => {
      const p = baselinePath(ws, dir, f.file);
      return { fingerprint: fingerprint(f, p, texts.get(f.file)), code: f.code, file: p, message: f.message };
    }),
  );
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(abs, serializeBaseline(b));
  } catch (e) {
    err.write(`amq-cluster-lint: --baseline-write: cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
    return 2;
  }
  err.write(`amq-cluster-lint: recorded ${plural(findings.length, 'finding')} in ${file}; run with --baseline ${file} to fail only on new ones.\n`);
  return 0;
}

/**
 * Writes what --fix changed: each file only if it still holds the text that was linted, back in its
 * own encoding (BOM, UTF-16); created files only where nothing exists yet, inside the workspace.
 * Returns true when a file could not be written.
 */
function writeFixes(ws: CliWorkspace, run: FixRun, err: Out): boolean {
  let failed = false;
  for (const [rel, text] of [...run.after].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const before = run.before.get(rel);
    const shown = ws.display(rel);
    try {
      if (before === undefined) {
        const norm = containedRelative(rel);
        if (norm === undefined) throw new Error('not a path inside the workspace');
        const abs = ws.abs(norm);
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        const realDir = fs.realpathSync.native(path.dirname(abs));
        if (!isInside(fs.realpathSync.native(ws.root), realDir)) throw new Error('its folder leads outside the workspace');
        fs.writeFileSync(abs, text, { flag: 'wx' });
        continue;
      }
      const now = readFileContainedSync(ws.root, rel);
      if (!now.ok) throw new Error(now.detail);
      if (now.text !== ws.snapshot.get(rel)) throw new Error('it changed since it was read; not written');
      const enc = ws.encodings.get(rel) ?? { bom: false, encoding: 'utf-8' as const };
      fs.writeFileSync(now.realPath, encodeText(text, enc));
    } catch (e) {
      failed = true;
      err.write(`amq-cluster-lint: --fix: cannot write ${shown}: ${(e as Error).message}\n`);
    }
  }
  return failed;
}

/** --fix-dry-run: the changes as one unified diff (a/ and b/ paths relative to the current folder). */
function writeDiff(ws: CliWorkspace, run: FixRun, out: Out): void {
  const w = new ChunkedWriter(out);
  for (const [rel, text] of [...run.after].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const before = run.before.get(rel);
    const shown = ws.display(rel);
    const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${shown}`, `b/${shown}`, before ?? '', text, undefined, undefined, { context: 3 });
    w.write(patch.replace(/^=+\n/, ''));
  }
  w.flush();
}

const QUIET_SKIPS = new Set<Skipped['reason']>(['folder-rule', 'excluded', 'duplicate']);
export const MAX_SKIP_LINES = 50;

/**
 * What the walk left out that a user should hear about on every run: files too large, links out
 * of the workspace, FIFOs and devices, unreadable files and names. Folders left out by rule or
 * pattern and paths read once under another name are counted in the summary; --list-files lists them.
 */
function reportSkipped(ws: CliWorkspace, err: Out): void {
  const loud = ws.skipped.filter((s) => !QUIET_SKIPS.has(s.reason));
  for (const s of loud.slice(0, MAX_SKIP_LINES)) err.write(`amq-cluster-lint: skipped ${s.file ? ws.display(s.file) : '.'}${s.folder ? '/' : ''}: ${s.detail}\n`);
  if (loud.length > MAX_SKIP_LINES) err.write(`amq-cluster-lint: skipped ${loud.length - MAX_SKIP_LINES} more files or folders\n`);
}

const REASON_TEXT: Record<Skipped['reason'], string> = {
  'too-large': 'too large to read',
  'folder-rule': 'folder rule',
  excluded: 'excluded',
  'symlink-outside': 'link out of the workspace',
  'symlink-broken': 'broken link',
  'symlink-loop': 'link loop',
  duplicate: 'read under another path',
  'not-regular': 'not a regular file',
  'unreadable-name': 'unreadable name',
  unreadable: 'unreadable',
};

interface ListedFile {
  file: string;
  documents: { kind: string; node?: string; template?: boolean; id?: string }[];
  note?: string;
}

/** --list-files: every file read with what it holds (kind, node), every file or folder left out with why. */
function listFiles(args: Args, ws: CliWorkspace, result: AnalysisResult, out: Out): number {
  const files = result.model.files;
  const byFile = new Map<string, ListedFile>();
  for (const rel of [...ws.snapshot.keys()].sort()) byFile.set(rel, { file: ws.display(rel), documents: [] });
  // a node's other files (jetty.xml, myid) carry no name of their own: the name of their node folder's config
  const nameOfRoot = new Map<string, string>();
  for (const d of files.docs.values()) if (d.root !== undefined && d.name) nameOfRoot.set(d.root, d.name);
  const myidNode = new Map<string, string>();
  for (const z of result.model.zkNodes) if (z.myidFile) myidNode.set(z.myidFile, z.name);
  for (const d of files.docs.values()) {
    const entry = byFile.get(d.source);
    const node = d.name ?? d.node?.name ?? myidNode.get(d.id) ?? (d.root !== undefined ? nameOfRoot.get(d.root) : undefined) ?? (d.kind === 'myid' || d.kind === 'jetty' ? nameOfRoot.get(files.rootOf(d.id)) : undefined);
    if (entry) entry.documents.push({ kind: d.kind, ...(node ? { node } : {}), ...(d.template ? { template: true } : {}), ...(d.id !== d.source ? { id: d.id } : {}) });
    for (const input of d.inputs ?? []) {
      const e = byFile.get(input);
      if (e && input !== d.source && !e.note) e.note = `read for ${d.kind} ${ws.display(d.source)}`;
    }
  }
  for (const [rel, size] of files.oversize) {
    const e = byFile.get(rel);
    if (e) e.note = `not analysed: ${size} characters, above the ${Math.round((files.maxFileSize / 1024 / 1024) * 100) / 100} MB limit`;
  }
  const read = [...byFile.values()];
  const left = ws.skipped.map((s) => ({ file: s.file ? ws.display(s.file) : '.', folder: s.folder, reason: s.reason, detail: s.detail }));
  if (args.format === 'json') {
    const w = new ChunkedWriter(out);
    w.write('{\n  "root": ' + JSON.stringify(ws.display('')) + ',\n  "config": ' + JSON.stringify(ws.configFile ? ws.configFile : null) + ',\n  "read": ');
    writeJsonArray(w, read, '  ');
    w.write(',\n  "leftOut": ');
    writeJsonArray(w, left, '  ');
    w.write('\n}\n');
    w.flush();
    return 0;
  }
  const w = new ChunkedWriter(out);
  w.write(`Workspace root: ${ws.root}\nConfiguration: ${ws.configFile ?? `none (no ${CONFIG_FILE_NAME} found)`}\n`);
  w.write(`Read (${read.length}):\n`);
  const width = Math.min(70, Math.max(0, ...read.map((r) => r.file.length)));
  for (const r of read) {
    const what = r.documents.length
      ? r.documents.map((d) => `${d.kind}${d.template ? ' template' : ''}${d.node ? ` (node ${d.node})` : ''}${d.id ? ` [${d.id.includes('#') ? d.id.slice(d.id.indexOf('#')) : d.id}]` : ''}`).join('; ')
      : r.note
        ? ''
        : 'nothing recognised in it';
    w.write(`  ${r.file.padEnd(width)}  ${[what, r.note].filter(Boolean).join('; ')}\n`);
  }
  w.write(`Left out (${left.length}):\n`);
  for (const l of left) w.write(`  ${(l.file + (l.folder ? '/' : '')).padEnd(width)}  ${REASON_TEXT[l.reason as Skipped['reason']] ?? l.reason}: ${l.detail}\n`);
  w.flush();
  return 0;
}

function listRules(args: Args, out: Out): number {
  const rows = RULES.map((r) => ({ code: r.meta.code, defaultSeverity: r.meta.defaultSeverity, fixable: r.meta.fixable, scope: r.meta.scope, docs: ruleDocUrl(r.meta.code), description: r.meta.description }));
  if (args.format === 'json') {
    out.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const cw = Math.max(4, ...rows.map((r) => r.code.length));
  out.write(`${'code'.padEnd(cw)}  ${'default'.padEnd(11)}  fixable  documentation\n`);
  for (const r of rows) out.write(`${r.code.padEnd(cw)}  ${r.defaultSeverity.padEnd(11)}  ${(r.fixable ? 'yes' : 'no').padEnd(7)}  ${r.docs}\n`);
  return 0;
}

/** `amq-cluster-lint new ... <folder>`: writes a correct cluster, then lints it. */
async function newCluster(argv: string[], out: Out, err: Out): Promise<number> {
  if (argv.some((a) => a === '-h' || a === '--help')) {
    out.write(NEW_USAGE + '\n');
    return 0;
  }
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
    err.write(`amq-cluster-lint: ${(e as Error).message}\n${NEW_USAGE}\n`);
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
    if (fs.existsSync(target)) {
      err.write(`amq-cluster-lint: ${path.join(folder, rel)} already exists; choose an empty folder\n`);
      return 2;
    }
  }
  for (const [rel, text] of generated.files) {
    const target = path.join(abs, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  out.write(`Wrote ${generated.files.size} files to ${folder}: ${generated.summary}.\nClients: ${generated.failoverUrl}\n`);
  const { snapshot } = await readWorkspace(abs);
  const res = lint(snapshot, { activemqVersion: spec.activemqVersion });
  const shown = (rel: string) => (folder === '.' ? rel : `${folder.replace(/\\/g, '/').replace(/\/+$/, '')}/${rel}`);
  const w = new ChunkedWriter(out);
  writeText(w, { findings: res.findings, texts: snapshot, display: shown } as unknown as RunOutput);
  return res.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export { jsonFindings };
