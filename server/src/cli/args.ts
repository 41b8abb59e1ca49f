/** The CLI's command line: flags in the ESLint tradition, checked before anything is read. */
import { RULES } from '../core/rules';
import type { Severity } from '../core/types';

export const FORMATS = ['text', 'json', 'sarif', 'plan', 'github', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export const USAGE = `usage: amq-cluster-lint [options] <path>...
       amq-cluster-lint new --help

Lints ActiveMQ and ZooKeeper cluster configuration. Every path (folder, file or quoted glob such as
'deploy/**/zoo.cfg') is part of one workspace, checked as a whole.

Output:
  -f, --format FORMAT        text (default), json, sarif, github, junit, plan
  -o, --output-file FILE     write the report to FILE instead of standard output
      --color, --no-color    colour the text report (default: on a terminal, unless NO_COLOR is set)
      --quiet                report errors only
      --max-warnings N       exit 1 when there are more than N warnings
      --list-files           list every file read (kind, node) and every file left out (why), then exit
Rules and settings:
      --config FILE          use this configuration file (default: .amq-cluster.json, looked for in the
                             linted folder and its parents up to the repository root)
      --no-config            use no configuration file
      --rule CODE:SEVERITY   set a rule's severity (error, warning, information, hint, off); repeatable
      --activemq-version X.Y    ActiveMQ version of every broker (default: detected per node)
      --zookeeper-version X.Y   ZooKeeper version of every server (default: detected per server)
      --max-file-size MB     files above this size are reported, not analysed (default 8)
Fixes and baselines:
      --fix                  apply every unambiguous fix, write the files, report what is left
      --fix-dry-run          print the fixes as a unified diff; write nothing
      --baseline FILE        tolerate the findings recorded in FILE; report and fail on new ones only
      --baseline-write FILE  record today's findings in FILE, then exit 0
Information:
      --list-rules           list the rules (code, default severity, fixable, documentation)
  -v, --version              print the version
  -h, --help                 print this help

Exit status: 0 no errors (and no more warnings than --max-warnings), 1 errors or too many warnings,
2 a usage or configuration error.`;

export const NEW_USAGE = `usage: amq-cluster-lint new --style replicated-leveldb|shared-kahadb|jdbc --nodes N --layout one-host|per-node
                            --activemq-version X.Y.Z [--host H] [--broker-name NAME] [--install-root PATH] <folder>

Writes a correct cluster (brokers, ZooKeeper servers where the style needs them, a client
failover URL and a README) into an empty folder, then lints it.
  --style            replicated-leveldb (ActiveMQ 5.9 to 5.16), shared-kahadb, jdbc (lease locker)
  --layout           one-host (port offsets on one machine) or per-node (one machine per node)
  --host             the host name or address the nodes run on (one-host)
  --broker-name      the brokers' name (default: one no broker of the folder uses)
  --install-root     where ActiveMQ is installed on the machines`;

export interface Args {
  format: Format;
  outputFile?: string;
  /** undefined: colour on a terminal */
  color?: boolean;
  quiet: boolean;
  maxWarnings?: number;
  listFiles: boolean;
  config?: string;
  noConfig: boolean;
  rules: [string, Severity | 'off'][];
  activemqVersion?: string;
  zookeeperVersion?: string;
  /** MB */
  maxFileSize?: number;
  fix: boolean;
  fixDryRun: boolean;
  baseline?: string;
  baselineWrite?: string;
  listRules: boolean;
  version: boolean;
  help: boolean;
  paths: string[];
}

export class UsageError extends Error {}

const SEVERITY_WORDS: Record<string, Severity | 'off'> = {
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  information: 'information',
  info: 'information',
  hint: 'hint',
  off: 'off',
};

const VERSION = /^\d+\.\d+(\.\d+)?$/;

export function parseArgs(argv: string[]): Args {
  const args: Args = { format: 'text', quiet: false, listFiles: false, noConfig: false, rules: [], fix: false, fixDryRun: false, listRules: false, version: false, help: false, paths: [] };
  const codes = new Set(RULES.map((r) => r.meta.code));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq >= 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    const flag = (): void => {
      if (eq >= 0) throw new UsageError(`${name} takes no value`);
    };
    switch (name) {
      case '--':
        args.paths.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      case '-h':
      case '--help':
        flag();
        args.help = true;
        break;
      case '-v':
      case '--version':
        flag();
        args.version = true;
        break;
      case '--list-rules':
        flag();
        args.listRules = true;
        break;
      case '--list-files':
        flag();
        args.listFiles = true;
        break;
      case '-f':
      case '--format': {
        const v = value();
        if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`unknown format '${v}' (expected ${FORMATS.join(', ')})`);
        args.format = v as Format;
        break;
      }
      case '-o':
      case '--output-file':
        args.outputFile = value();
        if (!args.outputFile) throw new UsageError('--output-file needs a file name');
        break;
      case '--color':
        flag();
        args.color = true;
        break;
      case '--no-color':
        flag();
        args.color = false;
        break;
      case '--quiet':
        flag();
        args.quiet = true;
        break;
      case '--max-warnings': {
        const v = value();
        if (!/^-?\d+$/.test(v) || Number(v) < -1) throw new UsageError(`--max-warnings expects a number of warnings (-1: no limit), got '${v}'`);
        args.maxWarnings = Number(v) < 0 ? undefined : Number(v);
        break;
      }
      case '--config':
        args.config = value();
        break;
      case '--no-config':
        flag();
        args.noConfig = true;
        break;
      case '--rule': {
        const v = value();
        const m = /^([a-z0-9-]+)\s*[:=]\s*([a-z]+)$/i.exec(v.trim());
        if (!m) throw new UsageError(`--rule expects CODE:SEVERITY (e.g. port-conflict:warning), got '${v}'`);
        const sev = SEVERITY_WORDS[m[2].toLowerCase()];
        if (!sev) throw new UsageError(`--rule ${m[1]}: unknown severity '${m[2]}' (expected error, warning, information, hint or off)`);
        if (!codes.has(m[1])) throw new UsageError(`--rule: no rule is named '${m[1]}' (see --list-rules)`);
        args.rules.push([m[1], sev]);
        break;
      }
      case '--activemq-version': {
        const v = value();
        if (!VERSION.test(v)) throw new UsageError(`--activemq-version expects X.Y or X.Y.Z, got '${v}'`);
        args.activemqVersion = v;
        break;
      }
      case '--zookeeper-version': {
        const v = value();
        if (!VERSION.test(v)) throw new UsageError(`--zookeeper-version expects X.Y or X.Y.Z, got '${v}'`);
        args.zookeeperVersion = v;
        break;
      }
      case '--max-file-size': {
        const v = value();
        if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new UsageError(`--max-file-size expects a size in MB, got '${v}'`);
        args.maxFileSize = Number(v);
        break;
      }
      case '--fix':
        flag();
        args.fix = true;
        break;
      case '--fix-dry-run':
        flag();
        args.fixDryRun = true;
        break;
      case '--baseline':
        args.baseline = value();
        break;
      case '--baseline-write':
        args.baselineWrite = value();
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
        args.paths.push(a);
    }
  }
  if (args.fix && args.fixDryRun) throw new UsageError('--fix and --fix-dry-run exclude each other');
  if (args.config !== undefined && args.noConfig) throw new UsageError('--config and --no-config exclude each other');
  return args;
}
