/** Helpers of the CLI tests: run the CLI as a process, write fixtures and files into temporary folders. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseFixture, type Fixture } from './fixture';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'amq-cluster-lint.js');
export const LSP_BIN = path.join(ROOT, 'bin', 'amq-cluster-lsp.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const made: string[] = [];

/** A new temporary folder, removed after the test run. */
export function tempDir(prefix = 'amq-cli-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

export function cleanTemp(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Writes files (relative path -> text or bytes) under `dir`. */
export function writeFiles(dir: string, files: Iterable<[string, string | Buffer]>): void {
  for (const [p, text] of files) {
    const abs = path.join(dir, p);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
}

export function loadFixture(file: string): Fixture {
  return parseFixture(file, fs.readFileSync(file, 'utf8'));
}

/** A fixture written into a new temporary folder. */
export function materialize(file: string): { dir: string; fx: Fixture } {
  const fx = loadFixture(file);
  const dir = tempDir();
  writeFiles(dir, fx.files);
  return { dir, fx };
}

/** Every file under `dir` (relative path -> text), dot files included. */
export function readTree(dir: string, base = dir, out = new Map<string, string>()): Map<string, string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) readTree(abs, base, out);
    else if (e.isFile()) out.set(path.relative(base, abs).split(path.sep).join('/'), fs.readFileSync(abs, 'utf8'));
  }
  return out;
}
