import { lineIndexFor } from '../text';
import type { Rule, RuleContext } from './types';
import type { Fix, RelatedInfo, Severity, Span } from '../types';
import type { ZkNode } from '../model/workspace';
import type { ZooConfig, ZooEntry, ZooServer } from '../parse/zoocfg';
import { javaParseInteger } from '../parse/zoocfg';
import { normalizeAddress } from '../model/address';
import { detectEol } from '../text';
import { zkKeySpec, zkRequiredKeys, zkSuggestKeys, type ZkKeySpec } from '../schema/zookeeper';
import { suggest } from '../schema/suggest';
import { describeZkVersion, zkAtLeast } from '../model/versions';

/**
 * zoo.cfg as ZooKeeper's QuorumPeerConfig (3.8) reads it: every condition that makes it exit
 * while parsing is an error quoting its message; what it silently accepts but is almost always
 * a mistake (unknown or wrongly-cased keys, repeated keys, colliding server ids, a relative
 * dataDir, `|` addresses without the JVM flag) is a warning. Which keys exist and how their
 * values are read comes from schemas/zookeeper.schema.json. Where ZooKeeper 3.4 reads the file
 * differently (values trimmed, no `;client` part, clientPort required) the server's detected
 * version decides; with an unknown version such a check reports at information level at most.
 */
export const rule: Rule = {
  meta: {
    code: 'zk-config-invalid',
    description: 'A zoo.cfg setting that ZooKeeper rejects at start-up, or silently ignores or misreads (unknown key, repeated key, relative dataDir).',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'file',
  },
  check(ctx) {
    // templates too: their literal text gets the single-file checks
    for (const z of [...ctx.model.zkNodes, ...ctx.model.templateZkNodes]) {
      const text = ctx.text(z.file);
      if (text === undefined) continue;
      new Checker(ctx, z, text).run();
    }
  },
};

const HAS_PLACEHOLDER = /\$\{/;
const BOM_PREFIX = '\u00ef\u00bb\u00bf';
const TRUTHY = /^(yes|y|on|1|enabled?)$/i;
const FALSY = /^(no|n|off|0|disabled?)$/i;

/** Java int arithmetic (two's complement wrap-around). */
function int32(n: number): number {
  return n | 0;
}

/** java.io.File.getPath() on Unix: duplicate slashes collapsed, a trailing slash dropped. */
function javaFilePath(p: string): string {
  let s = p.replace(/\/{2,}/g, '/');
  if (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

/** Java String.split(sep) with limit 0 over text[a, b): parts with their offsets, trailing empty parts dropped. */
function splitWithSpans(text: string, a: number, b: number, sep: string): { text: string; span: Span }[] {
  const out: { text: string; span: Span }[] = [];
  let last = a;
  for (let i = text.indexOf(sep, a); i >= 0 && i < b; i = text.indexOf(sep, i + 1)) {
    out.push({ text: text.slice(last, i), span: { start: last, end: i } });
    last = i + 1;
  }
  out.push({ text: text.slice(last, b), span: { start: last, end: b } });
  if (out.length > 1) while (out.length > 0 && out[out.length - 1].text === '') out.pop();
  return out;
}

interface Effective {
  entry: ZooEntry;
  /** the key as ZooKeeper sees it (a UTF-8 BOM read as ISO-8859-1 sticks to the first key) */
  key: string;
  /** the entry's key is glued to the byte order mark */
  bom: boolean;
}

class Checker {
  private readonly cfg: ZooConfig;
  private readonly file: string;
  /** last entry per key as ZooKeeper sees the keys */
  private readonly byKey = new Map<string, Effective>();
  private readonly effective: Effective[] = [];
  /** keys whose entries got a finding that makes a generic one redundant */
  private readonly handledKeys = new Set<ZooEntry>();
  private readonly eol: string;
  /** ZooKeeper 3.5+ (true), 3.4 (false) or unknown (undefined) */
  private readonly zk35: boolean | undefined;

  constructor(
    private readonly ctx: RuleContext,
    private readonly z: ZkNode,
    private readonly text: string,
  ) {
    this.cfg = z.config;
    this.file = z.file;
    this.eol = detectEol(text);
    this.zk35 = zkAtLeast(z.version, 3, 5);
    const bomGlued = !!this.cfg.bom && this.cfg.problems.some((p) => p.kind === 'bom');
    this.cfg.entries.forEach((entry, i) => {
      const bom = bomGlued && i === 0;
      const eff: Effective = { entry, key: bom ? BOM_PREFIX + entry.key : entry.key, bom };
      this.effective.push(eff);
      this.byKey.set(eff.key, eff);
    });
  }

  run(): void {
    this.fileProblems();
    this.duplicates();
    this.values();
    this.required();
    this.ports();
    this.sessionTimeouts();
    this.sasl();
    // ZooKeeper 3.4 has no dynamic configuration: the key is only a JVM property there
    const dynamicFile = this.zk35 === false ? undefined : this.get('dynamicConfigFile');
    if (dynamicFile) {
      this.staticDynamicLines(dynamicFile);
    } else {
      this.serverLines();
      this.ensemble();
      // 3.4 has no ";client" part to compare with (serverLine34 reports the part itself)
      if (this.zk35 !== false) this.clientAddress();
      this.hierarchy();
      this.peerType();
    }
    this.keys();
  }

  // -------------------------------------------------------------------------------------------
  // helpers

  private report(span: Span, message: string, severity: Severity, fixes?: Fix[], related?: RelatedInfo[]): void {
    this.ctx.report({ file: this.file, span, message, severity, fixes, related });
  }

  private get(key: string): ZooEntry | undefined {
    return this.byKey.get(key)?.entry;
  }

  /** the trimmed value's span (the key's span when the value is empty) */
  private valueSpan(e: ZooEntry): Span {
    let { start, end } = e.valueSpan;
    while (end > start && this.text.charCodeAt(end - 1) <= 32) end--;
    return end > start ? { start, end } : e.keySpan;
  }

  private hasPlaceholder(e: ZooEntry | undefined): boolean {
    return !!e && HAS_PLACEHOLDER.test(e.untrimmedValue);
  }

  /** the int ZooKeeper reads for a key (Integer.parseInt of the trimmed value), undefined when absent, unreadable or a placeholder */
  private intOf(key: string): number | undefined {
    const e = this.get(key);
    if (!e || this.hasPlaceholder(e)) return undefined;
    const v = javaParseInteger(e.value, 32);
    return v === undefined ? undefined : Number(v);
  }

  /** ZooKeeper's strict boolean, undefined when absent, invalid or a placeholder */
  private boolOf(key: string, dflt: boolean): boolean | undefined {
    const e = this.get(key);
    if (!e) return dflt;
    if (this.hasPlaceholder(e)) return undefined;
    const v = e.value.toLowerCase();
    return v === 'true' ? true : v === 'false' ? false : undefined;
  }

  /** the whole line of an entry with its line break, for "remove this line" */
  private lineWithBreak(e: ZooEntry): Span {
    const start = this.text.lastIndexOf('\n', e.lineSpan.start - 1) + 1;
    let end = e.lineSpan.end;
    while (end < this.text.length && this.text[end] !== '\n' && this.text[end] !== '\r') end++;
    if (this.text[end] === '\r') end++;
    if (this.text[end] === '\n') end++;
    return { start, end };
  }

  private lineOf(offset: number): number {
    return lineIndexFor(this.text).position(offset).line + 1;
  }

  private renameFix(e: ZooEntry, to: string, preferred: boolean): Fix {
    return { title: `Change to ${to}`, edits: [{ file: this.file, span: e.keySpan, newText: to }], isPreferred: preferred };
  }

  private valueFix(e: ZooEntry, to: string, preferred: boolean): Fix {
    return { title: `Set ${e.key}=${to}`, edits: [{ file: this.file, span: this.valueSpan(e), newText: to }], isPreferred: preferred };
  }

  private bomFix(): Fix {
    return { title: 'Remove the byte order mark', edits: [{ file: this.file, span: { start: 0, end: 1 }, newText: '' }], isPreferred: true };
  }

  // -------------------------------------------------------------------------------------------
  // the file as java.util.Properties reads it

  private fileProblems(): void {
    for (const p of this.cfg.problems) {
      if (p.kind === 'malformed-unicode-escape') {
        this.report(p.span, `ZooKeeper cannot load this file: java.util.Properties fails with "Malformed \\uxxxx encoding." (a backslash followed by u must start four hex digits; write \\\\ for a literal backslash).`, 'error');
      } else if (p.kind === 'bom') {
        const first = this.effective[0];
        // an entry ZooKeeper needs is handled with the missing-key errors
        if (first && zkRequiredKeys().includes(first.entry.key)) continue;
        this.report(p.span, `${p.message}. Its setting is lost.`, 'warning', [this.bomFix()]);
        if (first) this.handledKeys.add(first.entry);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // keys

  private keys(): void {
    for (const eff of this.effective) {
      const e = eff.entry;
      if (eff.bom || this.handledKeys.has(e)) continue;
      const spec = zkKeySpec(e.key);
      if (spec?.kind === 'no-effect') {
        const key = spec.instead && !spec.instead.startsWith('-') ? spec.instead : undefined;
        this.report(e.keySpan, `${e.key} has no effect in zoo.cfg: ZooKeeper turns it into the JVM property zookeeper.${e.key}, which nothing reads. ${spec.description}`, 'warning', key ? [this.renameFix(e, key, true)] : undefined);
        continue;
      }
      if (spec) continue;
      if (e.key.startsWith('zookeeper.') && e.key.length > 10) {
        const bare = e.key.slice(10);
        this.report(e.keySpan, `ZooKeeper adds the "zookeeper." prefix to zoo.cfg keys itself, so this sets the JVM property zookeeper.${e.key}, which nothing reads. Write ${bare}.`, 'warning', zkKeySpec(bare) ? [this.renameFix(e, bare, true)] : undefined);
        continue;
      }
      const candidates = zkSuggestKeys(e.key);
      const onlyCase = candidates.length === 1 && candidates[0].toLowerCase() === e.key.toLowerCase();
      this.report(
        e.keySpan,
        `"${e.key}" is not a ZooKeeper setting: ZooKeeper silently turns it into the JVM property zookeeper.${e.key}, and nothing reads that (keys are case-sensitive).` +
          (candidates.length ? ` Did you mean ${candidates.slice(0, 3).join(', ')}?` : ''),
        'warning',
        candidates.slice(0, 3).map((c, i) => this.renameFix(e, c, onlyCase && i === 0)),
      );
    }
  }

  /** A key given twice: java.util.Properties keeps the last; server.1 and server.01 are one id. */
  private duplicates(): void {
    for (const eff of this.effective) {
      const last = this.byKey.get(eff.key);
      if (!last || last.entry === eff.entry) continue;
      const e = eff.entry;
      const shown = last.entry.value.length > 40 ? last.entry.value.slice(0, 37) + '...' : last.entry.value;
      this.report(
        e.keySpan,
        `${eff.key} is set again on line ${this.lineOf(last.entry.keySpan.start)}; ZooKeeper keeps only the last value (${shown === '' ? 'empty' : shown}) and ignores this line.`,
        'warning',
        [{ title: 'Remove this overridden line', edits: [{ file: this.file, span: this.lineWithBreak(e), newText: '' }] }],
        [{ file: this.file, span: last.entry.keySpan, message: `the ${eff.key} ZooKeeper uses` }],
      );
    }
    // lists only for the ids given twice (a file of 10^5 distinct ids makes no 10^5 lists)
    const firstOf = new Map<string, ZooServer>();
    let repeated: Map<string, ZooServer[]> | undefined;
    for (const s of this.cfg.servers) {
      if (s.idString === undefined) continue;
      const f = firstOf.get(s.idString);
      if (f === undefined) firstOf.set(s.idString, s);
      else {
        repeated ??= new Map();
        const arr = repeated.get(s.idString);
        if (arr) arr.push(s);
        else repeated.set(s.idString, [f, s]);
      }
    }
    // in the order of each id's first line, as before
    if (repeated) for (const id of firstOf.keys()) {
      const list = repeated.get(id);
      if (list === undefined) continue;
      list.sort((a, b) => a.entry.keySpan.start - b.entry.keySpan.start);
      for (const s of list.slice(1)) {
        if (this.ctx.atLimit(this.file)) {
          // counted only: the message and related list of a finding past the limit are never shown
          this.report(s.entry.keySpan, '', 'warning');
          continue;
        }
        const others = list.filter((o) => o !== s);
        this.report(
          s.entry.keySpan,
          `${s.entry.key} is server id ${id}, like ${others.map((o) => o.entry.key).join(', ')}: ZooKeeper reads the id as a number and keeps only one of these lines (which one depends on hash order). Give each server its own id.`,
          'warning',
          undefined,
          others.map((o) => ({ file: this.file, span: o.entry.keySpan, message: `${o.entry.key}, also server id ${id}` })),
        );
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // values, by the type the schema gives

  private values(): void {
    for (const [key, eff] of this.byKey) {
      const e = eff.entry;
      if (eff.bom || this.hasPlaceholder(e)) continue;
      const spec = zkKeySpec(key);
      if (!spec || spec.kind === 'no-effect') continue;
      const fatal = spec.kind === 'config';
      switch (spec.parse) {
        case 'int':
        case 'long':
          this.number(e, spec, fatal);
          break;
        case 'boolean':
          this.boolean(e, spec);
          break;
        case 'lenient-boolean':
          if (!/^(true|false)$/i.test(e.value)) {
            this.report(this.valueSpan(e), `${key} is read as a boolean where anything but "true" (in any case) counts as false; "${e.value}" turns it off.`, 'warning', this.boolFixes(e));
          }
          break;
        case 'yes-no':
          if (e.value !== 'yes' && e.value !== 'no') {
            this.report(this.valueSpan(e), `${key} is compared with "yes" and "no" exactly; "${e.value}" is neither, so the default (${String(spec.default)}) is not what you get for every component. Write yes or no.`, 'warning');
          }
          break;
        case 'peer-type': {
          const v = e.value.toLowerCase();
          if (v !== 'observer' && v !== 'participant') {
            this.report(this.valueSpan(e), `ZooKeeper exits with "Unrecognised peertype: ${e.value}": peerType is participant or observer.`, 'error');
          }
          break;
        }
        case 'hex-long': {
          const raw = e.untrimmedValue;
          if (!/^[+-]?[0-9a-fA-F]+$/.test(raw) || !this.fitsLong(raw, 16)) {
            this.report(this.valueSpan(e), `ZooKeeper exits with NumberFormatException (For input string: "${raw}" under radix 16): ${key} is a hexadecimal number, and the value is not trimmed.`, 'error');
          }
          break;
        }
        case 'path':
          if (key === 'dataDir' || key === 'dataLogDir') this.path(e);
          break;
        case 'string':
          if (spec.enum && spec.enum.length) this.stringEnum(e, spec);
          if (spec.knownValues) this.knownValue(e, spec);
          break;
        default:
          break;
      }
    }
    const retain = this.intOf('autopurge.snapRetainCount');
    const retainEntry = this.get('autopurge.snapRetainCount');
    if (retainEntry && retain !== undefined && retain < 3) {
      this.report(this.valueSpan(retainEntry), `ZooKeeper keeps at least 3 snapshots and warns "Invalid autopurge.snapRetainCount: ${retain}. Defaulting to 3".`, 'warning', [this.valueFix(retainEntry, '3', true)]);
    }
  }

  private fitsLong(s: string, radix: 10 | 16): boolean {
    try {
      const neg = s.startsWith('-');
      const digits = s.replace(/^[+-]/, '');
      const v = BigInt((radix === 16 ? '0x' : '') + digits) * (neg ? -1n : 1n);
      return v >= -(2n ** 63n) && v <= 2n ** 63n - 1n;
    } catch {
      return false;
    }
  }

  private number(e: ZooEntry, spec: ZkKeySpec, fatal: boolean): void {
    const bits = spec.parse === 'long' ? 64 : 32;
    const v = javaParseInteger(e.value, bits);
    if (v === undefined) {
      const digits = /^\s*([+-]?\d[\d,_ ]*\d|[+-]?\d)\s*[a-zA-Z]*$/.exec(e.value);
      const plain = digits ? digits[1].replace(/[,_ ]/g, '') : undefined;
      const fixes = plain !== undefined && javaParseInteger(plain, bits) !== undefined ? [this.valueFix(e, plain, false)] : undefined;
      const what = `${e.key} must be a whole number${bits === 32 ? ' (a Java int)' : ' (a Java long)'} without units or separators`;
      if (fatal) {
        this.report(this.valueSpan(e), `ZooKeeper exits with NumberFormatException (For input string: "${e.value}"): ${what}.`, 'error', fixes);
      } else {
        this.report(this.valueSpan(e), `${what}; ZooKeeper reads it as the JVM property zookeeper.${e.key} and "${e.value}" is not one (ignored or fatal, depending on the component).`, 'warning', fixes);
      }
      return;
    }
    const n = Number(v);
    if (spec.enum && !spec.enum.includes(n)) {
      if (e.key === 'electionAlg') {
        // 3.4 still runs the deprecated algorithms 0-2; current releases refuse them
        const old = this.zk35 !== true && n >= 0 && n <= 2;
        this.report(
          this.valueSpan(e),
          old
            ? `electionAlg=${n} selects an election algorithm that ZooKeeper 3.4 deprecated and later releases removed (3.8 exits with "Invalid electionAlg value. Only 3 is supported."); ${describeZkVersion(this.z.version)}.`
            : `ZooKeeper exits with "Invalid electionAlg value. Only 3 is supported.": the other election algorithms were removed.`,
          old ? 'warning' : 'error',
          [this.valueFix(e, '3', true)],
        );
      } else {
        this.report(this.valueSpan(e), `${e.key} must be one of ${spec.enum.join(', ')}.`, fatal ? 'error' : 'warning');
      }
    }
    if (spec.maximum === 65535 && !fatal && n !== 0 && (n < 0 || n > 65535)) {
      this.report(this.valueSpan(e), `${e.key}=${n} is not a port (0-65535); the server cannot open it.`, 'warning');
    }
  }

  private boolFixes(e: ZooEntry): Fix[] | undefined {
    if (TRUTHY.test(e.value)) return [this.valueFix(e, 'true', true)];
    if (FALSY.test(e.value)) return [this.valueFix(e, 'false', true)];
    return undefined;
  }

  /**
   * A boolean ZooKeeper reads strictly from 3.7 (standaloneEnabled and reconfigEnabled from 3.5):
   * fatal there, silently false before. Wrong in every version, so at least a warning.
   */
  private boolean(e: ZooEntry, spec: ZkKeySpec): void {
    if (/^(true|false)$/i.test(e.value)) return;
    const since = spec.strictBooleanSince ?? '3.7';
    const [maj, min] = since.split('.').map(Number);
    const strict = zkAtLeast(this.z.version, maj, min);
    if (strict === false) {
      this.report(this.valueSpan(e), `ZooKeeper before ${since} reads ${e.key} with Boolean.parseBoolean, so "${e.value}" silently means false (${describeZkVersion(this.z.version)}). Write true or false.`, 'warning', this.boolFixes(e));
      return;
    }
    const older = spec.strictBooleanSince ? '' : ' (3.7 and later; 3.5 and 3.6 silently read it as false)';
    this.report(
      this.valueSpan(e),
      `ZooKeeper exits with "Invalid option ${e.value} for ${e.key}. Choose 'true' or 'false.'"${older}.` + (strict ? '' : ` No ZooKeeper version is known for this server; before ${since} the value silently means false.`),
      strict ? 'error' : 'warning',
      this.boolFixes(e),
    );
  }

  /** Says why a version-dependent finding is only information. */
  private versionNote(): string {
    return this.zk35 === undefined ? ` (ZooKeeper 3.5 and later; ${describeZkVersion(this.z.version)}, so this is not judged: set amqCluster.zookeeperVersion or keep the zookeeper-X.Y.Z.jar to check it.)` : '';
  }

  private stringEnum(e: ZooEntry, spec: ZkKeySpec): void {
    const values = (spec.enum ?? []).map(String);
    const ok = spec.enumCaseInsensitive ? values.some((v) => v.toLowerCase() === e.value.toLowerCase()) : values.includes(e.value);
    if (ok || e.value === '') return;
    this.report(this.valueSpan(e), `${e.key} is one of ${values.join(', ')}; "${e.value}" is not.`, spec.kind === 'config' ? 'error' : 'warning');
  }

  /**
   * metricsProvider.className: ZooKeeper loads the class while parsing. A class of ZooKeeper's own
   * packages that ZooKeeper does not ship cannot be on the classpath; other classes may be.
   */
  private knownValue(e: ZooEntry, spec: ZkKeySpec): void {
    const known = spec.knownValues ?? [];
    if (known.includes(e.value) || !e.value.startsWith('org.apache.zookeeper.')) return;
    const near = suggest(e.value, known);
    this.report(
      this.valueSpan(e),
      `ZooKeeper exits with "metrics provider class was not found": ZooKeeper has no class ${e.value}.` + (near.length ? ` Did you mean ${near[0]}?` : ` Its providers are ${known.join(', ')}.`),
      'error',
      near.length ? [this.valueFix(e, near[0], true)] : undefined,
    );
  }

  /**
   * dataDir / dataLogDir: ZooKeeper warns about a relative path, and its check crashes on one
   * shorter than 2 characters. Drive-letter (`E:/x`) and UNC (`//server/share`) paths are absolute
   * on Windows; but java.util.Properties reads a single backslash as an escape, so `E:\x\y`
   * arrives as `E:xy`.
   */
  private path(e: ZooEntry): void {
    const span = this.valueSpan(e);
    const raw = this.text.slice(span.start, span.end);
    if (/\\/.test(raw) && !/^(?:[^\\]|\\\\)*$/.test(raw) && span.end > span.start && !/[\r\n]/.test(raw)) {
      const fixed = raw.replace(/\\\\|\\/g, '/');
      this.report(
        span,
        `java.util.Properties reads a backslash as an escape character, so ZooKeeper gets ${e.key}="${e.value}", not ${raw}. Write forward slashes (${fixed}), which Java accepts on Windows too, or double each backslash.`,
        'warning',
        [{ title: `Write ${fixed}`, edits: [{ file: this.file, span, newText: fixed }], isPreferred: true }],
      );
      return;
    }
    const p = javaFilePath(e.value);
    if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\')) return;
    if (p.length < 2) {
      this.report(
        span,
        `ZooKeeper cannot start with ${e.key}=${e.value}: its relative-path check reads the first two characters of the path and fails with "StringIndexOutOfBoundsException: begin 0, end 2, length ${p.length}". Use an absolute path.`,
        'error',
      );
      return;
    }
    if (p.startsWith('./')) return;
    this.report(
      span,
      `${e.key} is relative: ZooKeeper resolves it against the directory the server is started from, not the folder of zoo.cfg, and warns "${p} is relative. Prepend ./ to indicate that you're sure!". Use an absolute path.`,
      'warning',
    );
  }

  // -------------------------------------------------------------------------------------------
  // keys ZooKeeper needs

  private required(): void {
    for (const key of zkRequiredKeys()) {
      // present (an empty dataDir is reported by path())
      if (this.byKey.has(key)) continue;
      const near = this.effective.find((x) => x.entry.key.toLowerCase() === key.toLowerCase());
      if (near) {
        const e = near.entry;
        if (near.bom) {
          this.report(e.keySpan, `ZooKeeper exits with "${key} is not set": it reads zoo.cfg as ISO-8859-1, so the UTF-8 byte order mark at the start of the file becomes part of this key.`, 'error', [this.bomFix()]);
        } else {
          this.report(e.keySpan, `ZooKeeper exits with "${key} is not set": keys are case-sensitive, so "${e.key}" only sets the JVM property zookeeper.${e.key}.`, 'error', [this.renameFix(e, key, true)]);
        }
        this.handledKeys.add(e);
      } else {
        const anchor = this.cfg.entries[0]?.keySpan ?? { start: 0, end: 0 };
        this.report(anchor, `ZooKeeper exits with "${key} is not set": every zoo.cfg needs ${key}.`, 'error');
      }
    }
    if (this.zk35 === false && !this.hasPlaceholder(this.get('clientPort')) && (this.intOf('clientPort') ?? 0) === 0) {
      const cp = this.get('clientPort');
      const anchor = cp ? this.valueSpan(cp) : this.cfg.entries[0]?.keySpan ?? { start: 0, end: 0 };
      if (!cp || this.intOf('clientPort') === 0) {
        this.report(anchor, `ZooKeeper 3.4 exits with "clientPort is not set": it needs clientPort (${describeZkVersion(this.z.version)}; the ";port" part of a server line is 3.5+ syntax).`, 'error');
      }
    }
    const tick = this.get('tickTime');
    if (tick && this.intOf('tickTime') === 0) {
      this.report(this.valueSpan(tick), `ZooKeeper exits with "tickTime is not set": tickTime must not be 0 (leave it out for the default of 3000 ms).`, 'error');
    }
  }

  private ports(): void {
    for (const [key, addrKey] of [
      ['clientPort', 'clientPortAddress'],
      ['secureClientPort', 'secureClientPortAddress'],
    ] as const) {
      const pe = this.get(key);
      const ae = this.get(addrKey);
      if (this.hasPlaceholder(pe) || this.hasPlaceholder(ae)) continue;
      const port = this.intOf(key);
      if (pe && port !== undefined && port !== 0 && (port < 0 || port > 65535)) {
        this.report(this.valueSpan(pe), `ZooKeeper exits with "port out of range:${port}": a port is 0-65535.`, 'error');
      }
      if (ae && (!pe || port === 0)) {
        this.report(ae.keySpan, `ZooKeeper exits with "${addrKey} is set but ${key} is not set": ${addrKey} only says where ${key} listens.`, 'error', undefined, pe ? [{ file: this.file, span: this.valueSpan(pe), message: `${key}=0 counts as not set` }] : undefined);
      }
    }
  }

  private sessionTimeouts(): void {
    const tickE = this.get('tickTime');
    const minE = this.get('minSessionTimeout');
    const maxE = this.get('maxSessionTimeout');
    if ([tickE, minE, maxE].some((e) => this.hasPlaceholder(e))) return;
    const tick = tickE ? this.intOf('tickTime') : 3000;
    const minSet = minE ? this.intOf('minSessionTimeout') : -1;
    const maxSet = maxE ? this.intOf('maxSessionTimeout') : -1;
    if (tick === undefined || minSet === undefined || maxSet === undefined || tick === 0) return;
    const min = minSet === -1 ? int32(tick * 2) : minSet;
    const max = maxSet === -1 ? int32(tick * 20) : maxSet;
    if (min <= max) return;
    const how = (v: number, set: number, f: number) => (set === -1 ? `${v} (${f} × tickTime ${tick})` : String(v));
    const anchor = minE && minSet !== -1 ? minE : maxE && maxSet !== -1 ? maxE : tickE;
    if (!anchor) return;
    this.report(
      this.valueSpan(anchor),
      `ZooKeeper exits with "minSessionTimeout must not be larger than maxSessionTimeout": the minimum is ${how(min, minSet, 2)}, the maximum ${how(max, maxSet, 20)}.`,
      'error',
    );
  }

  private sasl(): void {
    const E = 'quorum.auth.enableSasl';
    const S = 'quorum.auth.serverRequireSasl';
    const L = 'quorum.auth.learnerRequireSasl';
    const enable = this.boolOf(E, false);
    const server = this.boolOf(S, false);
    const learner = this.boolOf(L, false);
    const se = this.get(S);
    const le = this.get(L);
    if (enable === false && server === true && se) {
      this.report(this.valueSpan(se), `ZooKeeper exits with "${E} is disabled, so cannot enable ${S}": set ${E}=true as well.`, 'error');
    }
    if (enable === false && learner === true && le) {
      this.report(this.valueSpan(le), `ZooKeeper exits with "${E} is disabled, so cannot enable ${L}": set ${E}=true as well.`, 'error');
    }
    if (learner === false && server === true && se) {
      this.report(this.valueSpan(se), `ZooKeeper exits with "${L} is disabled, so cannot enable ${S}": a server that requires SASL from learners must authenticate as a learner too (${L}=true).`, 'error');
    }
  }

  // -------------------------------------------------------------------------------------------
  // server.N, group, weight

  private staticDynamicLines(dyn: ZooEntry): void {
    for (const [key, eff] of this.byKey) {
      if (!(key.startsWith('server.') || key.startsWith('group') || key.startsWith('weight'))) continue;
      this.report(
        eff.entry.keySpan,
        `ZooKeeper exits with "parameter: ${key} must be in a separate dynamic config file": with dynamicConfigFile set, server, group and weight lines belong in that file.` + this.versionNote(),
        this.zk35 ? 'error' : 'information',
        undefined,
        [{ file: this.file, span: dyn.keySpan, message: 'dynamicConfigFile' }],
      );
    }
  }

  /** servers ZooKeeper keeps, by id (last line per id in file order) */
  private serversByIdMemo: Map<string, ZooServer> | undefined;

  private serversById(): Map<string, ZooServer> {
    if (this.serversByIdMemo) return this.serversByIdMemo;
    const m = (this.serversByIdMemo = new Map<string, ZooServer>());
    // parseZooCfg lists the servers in file order
    for (const s of this.cfg.servers) if (s.idString !== undefined && !HAS_PLACEHOLDER.test(s.entry.untrimmedValue)) m.set(s.idString, s);
    return m;
  }

  private serverLines(): void {
    const multiInCfg = this.get('multiAddress.enabled');
    for (const s of this.cfg.servers) {
      const e = s.entry;
      if (e.untrimmedValue.includes('${') || e.key.includes('${')) continue;
      const vspan = e.valueSpan;
      // trailing blanks of the value as written ([ \t\f]+ at its end)
      let t = vspan.end;
      for (let c = this.text.charCodeAt(t - 1); t > vspan.start && (c === 32 || c === 9 || c === 12); c = this.text.charCodeAt(--t - 1));
      const raw = t < vspan.end || s.multiAddress ? this.text.slice(vspan.start, vspan.end) : '';
      const trailingSpan = t < vspan.end && raw === e.untrimmedValue ? { start: t, end: vspan.end } : undefined;
      if (trailingSpan) {
        // ZooKeeper 3.4 trims every value (harmless there); 3.5+ reads server lines untrimmed
        if (this.zk35 !== false) {
          const why = s.error ? `"${s.error.message}"` : 'an error';
          this.report(
            trailingSpan,
            this.zk35
              ? `ZooKeeper reads server lines untrimmed, so this trailing whitespace becomes part of the last field and it exits with ${why}.`
              : `ZooKeeper 3.5 and later read server lines untrimmed, so this trailing whitespace becomes part of the last field and they exit with ${why}; 3.4 trims it. ${describeZkVersion(this.z.version)[0].toUpperCase()}${describeZkVersion(this.z.version).slice(1)}: set amqCluster.zookeeperVersion or keep the zookeeper-X.Y.Z.jar to judge it.`,
            this.zk35 ? 'error' : 'information',
            [{ title: 'Remove the trailing whitespace', edits: [{ file: this.file, span: trailingSpan, newText: '' }], isPreferred: true }],
          );
          continue;
        }
      }
      if (this.zk35 === false) {
        this.serverLine34(s, trailingSpan);
        continue;
      }
      if (s.error) {
        const accepted = s.error.kind === 'no-address';
        let message = accepted ? s.error.message + '.' : `ZooKeeper exits with "${s.error.message}".`;
        if (s.id === undefined) message = `ZooKeeper exits with NumberFormatException (For input string: "${s.idText}"): every key starting with "server." is a server line, server.<number>.`;
        this.report(s.error.span, message, accepted ? 'warning' : 'error');
        continue;
      }
      if (s.multiAddress) {
        const bar = raw.indexOf('|');
        const semi = raw.indexOf(';');
        const end = (semi >= 0 ? semi : raw.trimEnd().length) + e.valueSpan.start;
        const span = bar >= 0 ? { start: e.valueSpan.start + bar, end } : this.valueSpan(e);
        const note =
          multiInCfg && /^true$/i.test(multiInCfg.value)
            ? ' multiAddress.enabled=true in zoo.cfg does not switch it on: ZooKeeper 3.8 reads server lines with the JVM property only.'
            : '';
        this.report(
          span,
          `Several "|" addresses need ZooKeeper 3.6+ started with -Dzookeeper.multiAddress.enabled=true; without it, it exits with "Multiple address feature is disabled, but multiple addresses were specified for sid ${s.idString ?? s.idText}".${note}`,
          'warning',
          undefined,
          multiInCfg ? [{ file: this.file, span: multiInCfg.keySpan, message: 'multiAddress.enabled' }] : undefined,
        );
      }
    }
  }

  /**
   * A server line as ZooKeeper 3.4 reads it (QuorumPeerConfig.parseProperties, source 3.4.8 and
   * 3.4.13): the value trimmed, split at every ':', host:port[:port[:type]]; a ";client" part
   * ends up in the election port or the type and fails.
   */
  private serverLine34(s: ZooServer, trailing: Span | undefined): void {
    const e = s.entry;
    if (s.id === undefined) {
      this.report(s.idSpan.end > s.idSpan.start ? s.idSpan : e.keySpan, `ZooKeeper exits with NumberFormatException (For input string: "${s.idText}"): every key starting with "server." is a server line, server.<number>.`, 'error');
      return;
    }
    const raw = this.text.slice(e.valueSpan.start, e.valueSpan.end);
    const semi = raw.indexOf(';');
    if (semi >= 0) {
      const span = { start: e.valueSpan.start + semi, end: e.valueSpan.start + raw.trimEnd().length };
      const before = raw.slice(0, semi).split(':');
      const part = before.length >= 4 ? 'type' : 'election port';
      const cp = this.intOf('clientPort');
      const same = s.clientPort !== undefined && cp === s.clientPort;
      this.report(
        span,
        `ZooKeeper 3.4 has no ";client" part in server lines: it splits the value at ':' and the ${part} becomes "${raw.slice(raw.lastIndexOf(':', semi) + 1).trimEnd()}", so it exits (${part === 'type' ? 'Unrecognised peertype' : 'NumberFormatException'}). ${describeZkVersion(this.z.version)[0].toUpperCase()}${describeZkVersion(this.z.version).slice(1)}; 3.4 reads the client port from clientPort.`,
        'error',
        [{ title: `Remove "${raw.slice(semi, raw.trimEnd().length)}"${same ? ' (clientPort says the same)' : ''}`, edits: [{ file: this.file, span, newText: '' }], isPreferred: same }],
      );
      return;
    }
    // the 3.5 parse of the untrimmed value may fail only because of the trailing whitespace
    if (s.error && !(trailing && s.error.span.end > trailing.start && s.error.kind === 'address-unresolved')) {
      if (s.error.kind === 'same-ports' || s.error.kind === 'no-address') return; // 3.4 does not check these while parsing
      this.report(s.error.span, `ZooKeeper exits with "${s.error.message}".`, 'error');
    }
  }

  /** participants and observers, as QuorumPeerConfig.parseDynamicConfig counts them */
  private ensemble(): void {
    const servers = [...this.serversById().values()];
    if (this.cfg.servers.length === 0) {
      const sa = this.get('standaloneEnabled');
      if (sa && this.boolOf('standaloneEnabled', true) === false) {
        this.report(this.valueSpan(sa), `ZooKeeper exits with "standaloneEnabled = false then number of participants should be >0": add the server.N lines of the ensemble, or drop standaloneEnabled=false.`, 'error');
      }
      return;
    }
    if (servers.length === 0) return;
    // an unreadable standaloneEnabled is reported by itself; judge the rest with the default
    const standalone = this.boolOf('standaloneEnabled', true) ?? true;
    const participants = servers.filter((s) => s.role === 'participant');
    const observers = servers.filter((s) => s.role === 'observer');
    const obsSpan = (s: ZooServer) => s.addresses.find((a) => a.roleSpan)?.roleSpan ?? s.entry.keySpan;
    if (participants.length === 0) {
      if (!standalone) {
        this.report(this.valueSpan(this.get('standaloneEnabled')!), `ZooKeeper exits with "standaloneEnabled = false then number of participants should be >0": every server line is an observer.`, 'error');
      } else if (observers.length > 0) {
        this.report(obsSpan(observers[0]), `ZooKeeper exits with "Observers w/o participants is an invalid configuration": an ensemble needs voting servers.`, 'error', undefined, observers.slice(1).map((o) => ({ file: this.file, span: obsSpan(o), message: `server.${o.idText}` })));
      }
      return;
    }
    if (participants.length === 1 && standalone) {
      if (observers.length > 0) {
        this.report(
          obsSpan(observers[0]),
          `ZooKeeper exits with "Observers w/o quorum is an invalid configuration": with one voting server and standaloneEnabled=true it runs standalone, and observers need a quorum. Add voting servers or set standaloneEnabled=false.`,
          'error',
          undefined,
          [{ file: this.file, span: participants[0].entry.keySpan, message: 'the only voting server' }],
        );
      }
      return;
    }
    // distributed: initLimit and syncLimit are required
    const firstServer = [...this.cfg.servers].sort((a, b) => a.entry.keySpan.start - b.entry.keySpan.start)[0];
    for (const [key, sample] of [
      ['initLimit', '10'],
      ['syncLimit', '5'],
    ] as const) {
      const e = this.get(key);
      if (this.hasPlaceholder(e)) continue;
      const what = `an ensemble of ${participants.length} voting server${participants.length === 1 ? '' : 's'} needs ${key} (in ticks)`;
      if (e) {
        if (this.intOf(key) === 0) this.report(this.valueSpan(e), `ZooKeeper exits with "${key} is not set": ${what}, and 0 counts as not set.`, 'error');
        continue;
      }
      const near = this.effective.find((x) => x.entry.key.toLowerCase() === key.toLowerCase());
      if (near && !near.bom) {
        this.report(near.entry.keySpan, `ZooKeeper exits with "${key} is not set": keys are case-sensitive, so "${near.entry.key}" only sets the JVM property zookeeper.${near.entry.key}.`, 'error', [this.renameFix(near.entry, key, true)]);
        this.handledKeys.add(near.entry);
        continue;
      }
      const at = this.lineWithBreak(firstServer.entry).start;
      // with a dynamic configuration file the server lines are that file's: the key belongs in zoo.cfg, not before them
      this.report(firstServer.entry.keySpan, `ZooKeeper exits with "${key} is not set": ${what}.`, 'error', this.z.dynamicFile ? undefined : [
        { title: `Add ${key}=${sample}`, edits: [{ file: this.file, span: { start: at, end: at }, newText: `${key}=${sample}${this.eol}` }], isPreferred: true },
      ]);
    }
  }

  /** static clientPort against the client port of this server's own server.N line (QuorumPeerConfig.setupClientPort) */
  private clientAddress(): void {
    const z = this.z;
    if (z.serverId === undefined || z.serverIdInferred) return;
    const own = this.serversById().get(String(z.serverId));
    const cpE = this.get('clientPort');
    if (!own || own.clientPort === undefined || !cpE || this.hasPlaceholder(cpE)) return;
    const port = this.intOf('clientPort');
    if (port === undefined || port === 0 || port < 0 || port > 65535) return;
    const addrE = this.get('clientPortAddress');
    if (this.hasPlaceholder(addrE)) return;
    const staticHost = addrE?.value;
    const st = staticHost === undefined ? undefined : normalizeAddress(staticHost);
    const ownHost = own.clientHost ?? '0.0.0.0';
    const dyn = normalizeAddress(ownHost);
    let differs: boolean;
    if (!st || st.cls === 'wildcard') differs = port !== own.clientPort;
    else if (dyn.cls === 'wildcard') differs = true;
    else if ((st.cls === 'ip' || st.cls === 'loopback') && (dyn.cls === 'ip' || dyn.cls === 'loopback') && isIpLiteral(staticHost!) && isIpLiteral(ownHost)) differs = st.key !== dyn.key || port !== own.clientPort;
    else differs = port !== own.clientPort;
    if (!differs) return;
    const staticText = staticHost === undefined ? `0.0.0.0/0.0.0.0:${port}` : isIpLiteral(staticHost) ? `/${staticHost}:${port}` : `${staticHost}/…:${port}`;
    const dynText = isIpLiteral(ownHost) ? `/${ownHost.replace(/^\[|\]$/g, '')}:${own.clientPort}` : `${ownHost}/…:${own.clientPort}`;
    this.report(
      this.valueSpan(addrE && staticHost !== undefined && st?.cls !== 'wildcard' && port === own.clientPort ? addrE : cpE),
      `ZooKeeper exits with "client address for this server (id = ${z.serverId}) in static config file is ${staticText} is different from client address found in dynamic file: ${dynText}": clientPort${staticHost !== undefined ? '/clientPortAddress' : ''} and the ";" client part of server.${own.idText} must agree (or keep only one of them).`,
      'error',
      undefined,
      [{ file: this.file, span: own.clientPortSpan ?? own.entry.keySpan, message: `client port of server.${own.idText} (this server's myid)` }],
    );
  }

  /** group.N / weight.N as QuorumHierarchical reads them (values untrimmed) */
  private hierarchy(): void {
    const groups = this.cfg.groups.filter((g) => !HAS_PLACEHOLDER.test(g.untrimmedValue));
    const weights = this.cfg.weights.filter((w) => !HAS_PLACEHOLDER.test(w.untrimmedValue));
    if (groups.length + weights.length === 0) return;
    const idOfKey = (e: ZooEntry, prefix: string): boolean => {
      const k = e.untrimmedKey ?? e.key;
      const text = k.slice(k.indexOf('.') + 1);
      if (javaParseInteger(text, 64) !== undefined) return true;
      this.report(e.keySpan, `ZooKeeper exits with NumberFormatException (For input string: "${text}"): every key starting with "${prefix}" is read as ${prefix}.<number>.`, 'error');
      return false;
    };
    const weighted = new Set<string>();
    for (const w of weights) {
      if (!idOfKey(w, 'weight')) continue;
      const k = w.untrimmedKey ?? w.key;
      const id = javaParseInteger(k.slice(k.indexOf('.') + 1), 64)!.toString();
      if (javaParseInteger(w.untrimmedValue, 64) === undefined) {
        this.numberInValue(w, w.untrimmedValue, this.valueSpanUntrimmed(w), 'a weight');
        continue;
      }
      weighted.add(id);
    }
    const servers = this.serversById();
    const memberOf = new Map<string, { entry: ZooEntry; span: Span }>();
    const sortedGroups = [...groups].sort((a, b) => a.keySpan.start - b.keySpan.start);
    let badGroupKey = false;
    for (const g of sortedGroups) {
      if (!idOfKey(g, 'group')) badGroupKey = true;
      const span = this.valueSpanUntrimmed(g);
      const exact = this.text.slice(span.start, span.end) === g.untrimmedValue;
      const parts = exact ? splitWithSpans(this.text, span.start, span.end, ':') : g.untrimmedValue.split(':').map((t) => ({ text: t, span }));
      for (const p of parts) {
        const sid = javaParseInteger(p.text, 64);
        if (sid === undefined) {
          this.numberInValue(g, p.text, p.span.end > p.span.start ? p.span : g.keySpan, 'a server id');
          // once the whitespace is gone it is a member: no "not in a group" on top
          const fixed = javaParseInteger(p.text.trim(), 64);
          if (fixed !== undefined && !memberOf.has(fixed.toString())) memberOf.set(fixed.toString(), { entry: g, span: p.span });
          continue;
        }
        const id = sid.toString();
        const prev = memberOf.get(id);
        if (prev) {
          this.report(p.span, `ZooKeeper exits with "Server ${id}is in multiple groups": groups must not overlap.`, 'error', undefined, [{ file: this.file, span: prev.span, message: `server ${id} in ${prev.entry.key}` }]);
          continue;
        }
        memberOf.set(id, { entry: g, span: p.span });
        const s = servers.get(id);
        if ((!s || s.role !== 'participant') && !weighted.has(id)) {
          this.report(
            p.span,
            `${g.key} lists server ${id}, which is ${s ? 'an observer' : 'not in the server list'} and has no weight.${id}: ZooKeeper 3.8 fails with a NullPointerException while adding up the group weights.`,
            'error',
          );
        }
      }
    }
    if (groups.length === 0 || badGroupKey) return;
    for (const s of servers.values()) {
      if (s.role !== 'participant' || memberOf.has(s.idString!)) continue;
      this.report(s.entry.keySpan, `ZooKeeper exits with "Server ${s.idString}is not in a group": with group lines every voting server must be in exactly one group.`, 'error');
    }
  }

  /** the value span including trailing whitespace (group and weight values are not trimmed) */
  private valueSpanUntrimmed(e: ZooEntry): Span {
    return e.valueSpan.end > e.valueSpan.start ? e.valueSpan : e.keySpan;
  }

  private numberInValue(e: ZooEntry, part: string, span: Span, what: string): void {
    const trimmed = part.replace(/[ \t\f]+$/, '');
    const ws = trimmed !== part && javaParseInteger(trimmed, 64) !== undefined;
    const wsSpan = ws && span.end - span.start === part.length ? { start: span.start + trimmed.length, end: span.end } : span;
    // ZooKeeper 3.4 trims the whole value: whitespace at its end is harmless there
    const atEnd = ws && wsSpan.end >= e.valueSpan.end;
    if (atEnd && this.zk35 === false) return;
    const unknown = atEnd && this.zk35 === undefined;
    this.report(
      wsSpan,
      `ZooKeeper ${unknown ? '3.5 and later exit' : 'exits'} with NumberFormatException (For input string: "${part}"): ${ws ? `it reads ${e.key.replace(/\..*/, '')} values untrimmed, so the trailing whitespace is part of the number` : `${what} must be a whole number`}.${unknown ? ` 3.4 trims it; ${describeZkVersion(this.z.version)}.` : ''}`,
      unknown ? 'information' : 'error',
      ws && wsSpan !== span ? [{ title: 'Remove the trailing whitespace', edits: [{ file: this.file, span: wsSpan, newText: '' }], isPreferred: true }] : undefined,
    );
  }

  /** peerType against the role of this server's own line: ZooKeeper follows the server list and warns */
  private peerType(): void {
    const pe = this.get('peerType');
    const z = this.z;
    if (!pe || this.hasPlaceholder(pe) || z.serverId === undefined) return;
    const v = pe.value.toLowerCase();
    if (v !== 'observer' && v !== 'participant') return;
    const own = this.serversById().get(String(z.serverId));
    if (!own || own.role === v) return;
    this.report(
      this.valueSpan(pe),
      `server.${own.idText} (this server, by its myid) is listed as ${own.role}, so ZooKeeper ignores peerType=${pe.value} and warns "Peer type from servers list (${own.role.toUpperCase()}) doesn't match peerType (${v.toUpperCase()}). Defaulting to servers list."`,
      'information',
      [this.valueFix(pe, own.role, true)],
      [{ file: this.file, span: own.entry.keySpan, message: `server.${own.idText}` }],
    );
  }
}

function isIpLiteral(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || (h.includes(':') && /^[0-9a-fA-F:.]+$/.test(h));
}
