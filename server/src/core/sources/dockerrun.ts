/**
 * `docker run` (and `podman run`, `docker container run`) commands in shell scripts: each is a
 * container like a compose service, with the options that matter here read as Docker reads them
 * (`--name`, `-h`, `--network`/`--net`, `-p`, `-e`, `--env-file`, `-v`/`--volume`, `--mount`,
 * `--link`, `--add-host`, `--network-alias`). Anything we do not understand makes the command unknown
 * (no container at all), never a guess: an option we do not know may take a value, so the image
 * could not be told from the first argument.
 *
 * Words are split as a POSIX shell splits them (quotes, backslashes, line continuations); a word
 * with an expansion we cannot resolve (`$VAR`, `$(cmd)`) is an unknown value, except the working
 * directory (`$(pwd)`, `$PWD`, `${PWD}`, `` `pwd` ``), taken to be the script's folder as in the
 * usual `cd "$(dirname "$0")"` scripts.
 */
import type { Span } from '../types';
import type { Container, PublishedPort, Val } from './containers';
import { envTexts, isActiveMqImage, zookeeperDialect } from './containers';
import type { EnvVar } from './zkimages';
import type { ComposeService, Mount } from './compose';
import { joinRelative, parseDotEnv } from './compose';

interface Word {
  /** the word after quote removal; expansions kept as written */
  text: string;
  span: Span;
  /** source offset of each character of `text` (undefined where it does not map one to one) */
  offsets: (number | undefined)[];
  /** text offsets inside an expansion we cannot resolve */
  unknown: Span[];
}

/** Options that take no value (all of Docker's boolean flags that scripts use). */
const FLAGS = new Set([
  '-d', '--detach', '--rm', '-i', '--interactive', '-t', '--tty', '-it', '-ti', '-itd', '-dit', '-idt', '-dti', '-td', '-dt', '-id', '-di',
  '--privileged', '--init', '--read-only', '-P', '--publish-all', '--no-healthcheck', '--oom-kill-disable', '--sig-proxy', '-q', '--quiet',
]);

/** Options that take a value (`--opt value` or `--opt=value`). */
const VALUED = new Set([
  '--name', '-h', '--hostname', '--net', '--network', '-p', '--publish', '-e', '--env', '--env-file', '-v', '--volume', '--mount',
  '--link', '--add-host', '--network-alias', '--net-alias', '--restart', '-w', '--workdir', '-u', '--user', '--entrypoint', '-m', '--memory',
  '--memory-swap', '--memory-reservation', '--cpus', '--cpu-shares', '-c', '--cpuset-cpus', '--ulimit', '--log-driver', '--log-opt', '-l', '--label',
  '--label-file', '--ip', '--ip6', '--dns', '--dns-search', '--dns-option', '--expose', '--health-cmd', '--health-interval', '--health-timeout',
  '--health-retries', '--health-start-period', '--cap-add', '--cap-drop', '--security-opt', '--platform', '--pull', '--stop-signal', '--stop-timeout',
  '--tmpfs', '--shm-size', '--sysctl', '--device', '--group-add', '--pid', '--ipc', '--uts', '--userns', '--cgroupns', '--volumes-from', '--gpus',
  '--runtime', '--isolation', '--mac-address', '--domainname', '--cidfile', '--pod', '--replace', '--hostuser',
]);

const MAX_COMMANDS = 10000;
/** containers one script may start (bounded work for a generated script) */
const MAX_RUNS = 500;

/** The words of each command of a script (split on newlines, `;`, `&&`, `||`, `|`, `&`), with spans. */
export function shellCommands(text: string): Word[][] {
  const out: Word[][] = [];
  let cur: Word[] = [];
  let i = 0;
  const n = text.length;
  const end = () => {
    if (cur.length) out.push(cur);
    cur = [];
  };
  while (i < n && out.length < MAX_COMMANDS) {
    const ch = text[i];
    if (ch === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === '\n' || ch === '\r' || ch === ';' || ch === '|' || ch === '&' || ch === '(' || ch === ')') {
      end();
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    // a word
    const w: Word = { text: '', span: { start: i, end: i }, offsets: [], unknown: [] };
    const push = (c: string, at: number | undefined) => {
      w.text += c;
      w.offsets.push(at);
    };
    const expansion = (start: number): number => {
      // `$(...)` / `${...}` / `$NAME` / backquotes: copied as written, marked unknown (the caller may resolve pwd)
      const from = w.text.length;
      let j = start;
      if (text[j] === '`') {
        j++;
        while (j < n && text[j] !== '`') j++;
        j = Math.min(n, j + 1);
      } else if (text[j + 1] === '(' || text[j + 1] === '{') {
        const open = text[j + 1];
        const close = open === '(' ? ')' : '}';
        let depth = 0;
        j++;
        while (j < n) {
          if (text[j] === open) depth++;
          else if (text[j] === close && --depth === 0) break;
          j++;
        }
        j = Math.min(n, j + 1);
      } else {
        j++;
        while (j < n && /[A-Za-z0-9_]/.test(text[j])) j++;
        if (j === start + 1 && /[@*#?$!0-9-]/.test(text[j] ?? '')) j++;
      }
      for (let k = start; k < j; k++) push(text[k], k);
      w.unknown.push({ start: from, end: w.text.length });
      return j;
    };
    while (i < n) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '|' || c === '&' || c === '(' || c === ')') break;
      if (c === '\\') {
        if (text[i + 1] === '\n') {
          i += 2;
          continue;
        }
        if (i + 1 < n) push(text[i + 1], i + 1);
        i += 2;
        continue;
      }
      if (c === "'") {
        i++;
        while (i < n && text[i] !== "'") {
          push(text[i], i);
          i++;
        }
        i++;
        continue;
      }
      if (c === '"') {
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && /["\\$`\n]/.test(text[i + 1] ?? '')) {
            if (text[i + 1] !== '\n') push(text[i + 1], i + 1);
            i += 2;
            continue;
          }
          if (text[i] === '$' || text[i] === '`') {
            i = expansion(i);
            continue;
          }
          push(text[i], i);
          i++;
        }
        i++;
        continue;
      }
      if (c === '$' || c === '`') {
        i = expansion(i);
        continue;
      }
      push(c, i);
      i++;
    }
    w.span.end = Math.min(i, n);
    cur.push(w);
  }
  end();
  return out;
}

/** A part of a word as a Val (verbatim where the characters map one to one). */
function valOf(file: string, w: Word, from: number, to: number): Val {
  const segments: Val['segments'] = [];
  let k = from;
  while (k < to) {
    const at = w.offsets[k];
    let len = 1;
    if (at !== undefined) while (k + len < to && w.offsets[k + len] === at + len) len++;
    segments.push(at !== undefined ? { docStart: k - from, length: len, file, srcStart: at, verbatim: true } : { docStart: k - from, length: len, file, srcStart: w.span.start, verbatim: false, srcLength: w.span.end - w.span.start });
    k += len;
  }
  const masked = w.unknown.filter((u) => u.end > from && u.start < to).map((u) => ({ start: Math.max(u.start, from) - from, end: Math.min(u.end, to) - from }));
  const a = w.offsets[from];
  const b = w.offsets[to - 1];
  const span = a !== undefined && b !== undefined ? { start: a, end: b + 1 } : w.span;
  return { text: w.text.slice(from, to), segments, masked, span };
}

/** `$(pwd)`, `$PWD`, `${PWD}`, `` `pwd` `` at the start of a path. */
const PWD = /^(?:\$\(\s*pwd\s*\)|\$\{PWD\}|\$PWD(?![A-Za-z0-9_])|`pwd`)/;

/** A bind source of `-v`/`--mount` as a workspace path (relative to the script's folder); undefined outside or unknown. */
function bindSource(dir: string, src: string): string | undefined {
  const m = PWD.exec(src);
  if (m) {
    const rest = src.slice(m[0].length);
    if (rest.includes('$') || rest.includes('`')) return undefined;
    return joinRelative(dir, rest);
  }
  if (/^\.{1,2}(\/|$)/.test(src) && !src.includes('$')) return joinRelative(dir, src);
  return undefined;
}

export interface RunContext {
  readFile(path: string): string | undefined;
}

/** The containers `docker run` commands of a script start (one per command we fully understand). */
export function parseDockerRuns(path: string, text: string, ctx: RunContext): ComposeService[] {
  if (!/\b(docker|podman)\b/.test(text) || !/\brun\b/.test(text)) return [];
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const out: ComposeService[] = [];
  const used = new Set<string>();
  for (const words of shellCommands(text)) {
    let k = 0;
    while (k < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k].text) || words[k].text === 'sudo' || words[k].text === 'exec')) k++;
    if (k >= words.length || !/^(docker|podman)$/.test(words[k].text)) continue;
    k++;
    if (words[k]?.text === 'container') k++;
    if (words[k]?.text !== 'run') continue;
    k++;
    const s = readRun(path, dir, words, k, ctx);
    if (!s) continue;
    // two commands that start the same container name: alternatives (or a restart), not two containers
    if (used.has(s.container.name)) continue;
    used.add(s.container.name);
    out.push(s);
    if (out.length >= MAX_RUNS) break;
  }
  return out;
}

function readRun(file: string, dir: string, words: Word[], k: number, ctx: RunContext): ComposeService | undefined {
  let name: { text: string; span: Span } | undefined;
  const names: string[] = [];
  const resolvable: string[] = [];
  let network: string | undefined;
  const env = new Map<string, EnvVar>();
  const published: PublishedPort[] = [];
  const mounts: Mount[] = [];
  const containerPorts: number[] = [];
  const probes: { text: string; span: Span }[] = [];
  let image: Val | undefined;
  let imageSpan: Span | undefined;
  while (k < words.length) {
    const w = words[k];
    const t = w.text;
    if (!t.startsWith('-') || t === '-') {
      if (w.unknown.length && w.unknown[0].start === 0 && w.unknown[0].end === t.length) return undefined; // `docker run $OPTS image`: unknown
      image = valOf(file, w, 0, t.length);
      imageSpan = w.span;
      break;
    }
    if (t === '--') {
      k++;
      continue;
    }
    let opt = t;
    let valueWord: Word | undefined;
    let vFrom = 0;
    const eq = t.startsWith('--') ? t.indexOf('=') : -1;
    if (eq > 0) {
      opt = t.slice(0, eq);
      valueWord = w;
      vFrom = eq + 1;
    } else if (FLAGS.has(t) || /^--[\w-]+=(true|false)$/.test(t)) {
      k++;
      continue;
    } else if (/^-[a-zA-Z]$/.test(t) || t.startsWith('--')) {
      if (!VALUED.has(t)) return undefined;
      valueWord = words[k + 1];
      if (!valueWord) return undefined;
      k++;
    } else if (/^-[pevhwumlc]./.test(t)) {
      // `-p2181:2181`, `-eKEY=v`: the value attached to a short option
      opt = t.slice(0, 2);
      valueWord = w;
      vFrom = 2;
    } else if (/^-[a-zA-Z]+$/.test(t) && [...t.slice(1)].every((c) => FLAGS.has('-' + c))) {
      k++;
      continue;
    } else return undefined;
    if (!VALUED.has(opt)) return undefined;
    k++;
    const v = valOf(file, valueWord, vFrom, valueWord.text.length);
    const known = v.masked.length === 0;
    switch (opt) {
      case '--name':
        if (known) name = { text: v.text, span: v.span };
        break;
      case '-h':
      case '--hostname':
      case '--network-alias':
      case '--net-alias':
        if (known) names.push(v.text);
        break;
      case '--net':
      case '--network':
        network = known ? v.text : '?';
        break;
      case '--link':
        if (known) resolvable.push(...v.text.split(':'));
        break;
      case '--add-host':
        if (known) resolvable.push(v.text.split(/[:=]/)[0]);
        break;
      case '-e':
      case '--env': {
        const i = v.text.indexOf('=');
        const key = (i >= 0 ? v.text.slice(0, i) : v.text).trim();
        if (!key || /[$`]/.test(key)) break;
        const keySpan = { start: v.span.start, end: v.span.start + key.length };
        // `-e KEY` passes the caller's value: unknown
        env.set(key, i >= 0 ? { key, keySpan, val: valOf(file, valueWord, vFrom + i + 1, valueWord.text.length) } : { key, keySpan });
        break;
      }
      case '--env-file': {
        const p = known ? bindSource(dir, v.text.startsWith('.') || v.text.startsWith('/') || PWD.test(v.text) ? v.text : './' + v.text) : undefined;
        const content = p !== undefined ? ctx.readFile(p) : undefined;
        if (content === undefined) break;
        for (const [key, val] of parseDotEnv(content)) {
          if (env.has(key)) continue;
          env.set(key, { key, keySpan: v.span, val: { text: val, segments: val.length ? [{ docStart: 0, length: val.length, file, srcStart: v.span.start, verbatim: false, srcLength: v.span.end - v.span.start }] : [], masked: [], span: v.span } });
        }
        break;
      }
      case '-p':
      case '--publish': {
        const port = parsePublish(v);
        if (port) published.push(port);
        break;
      }
      case '--expose': {
        const p = Number(v.text.replace(/\/(tcp|udp)$/, ''));
        if (Number.isInteger(p)) containerPorts.push(p);
        break;
      }
      case '-v':
      case '--volume': {
        const parts = v.text.split(':');
        if (parts.length < 2 || /^[A-Za-z]$/.test(parts[0])) break; // a Windows drive letter: not read
        const source = bindSource(dir, parts[0]);
        mounts.push({ source, target: parts[1], span: v.span });
        break;
      }
      case '--mount': {
        const kv = new Map(v.text.split(',').map((x) => [x.split('=')[0].trim(), x.slice(x.indexOf('=') + 1)] as [string, string]));
        const target = kv.get('target') ?? kv.get('destination') ?? kv.get('dst');
        const src = kv.get('source') ?? kv.get('src');
        if (target && (kv.get('type') ?? 'volume') === 'bind' && src) mounts.push({ source: bindSource(dir, src), target, span: v.span });
        else if (target) mounts.push({ source: undefined, target, span: v.span });
        break;
      }
      case '--health-cmd':
        probes.push({ text: v.text, span: v.span });
        break;
    }
  }
  if (!image || !imageSpan) return undefined;
  const cname = name?.text ?? `${image.text.replace(/[:/@].*$/, '')}@${imageSpan.start}`;
  const nameSpan = name?.span ?? imageSpan;
  const all = new Set<string>([...(name ? [name.text] : []), ...names]);
  const hostNetwork = network === 'host';
  const container: Container = {
    file,
    kind: 'run',
    name: cname,
    nameSpan,
    image,
    names: [...all].filter(Boolean),
    resolvable: resolvable.filter(Boolean),
    hostNetwork,
    machine: 'dockerhost:' + file,
    published: hostNetwork ? [] : published,
    containerPorts,
    probes,
    env: envTexts(env),
  };
  const dialect = zookeeperDialect(image.masked.length ? undefined : image.text, env);
  return { container, env, mounts, dialect, activemq: isActiveMqImage(image.masked.length ? undefined : image.text) };
}

/** `-p [ip:]host:container[/proto]`; a bare container port publishes on a random host port (none we can tell). */
function parsePublish(v: Val): PublishedPort | undefined {
  if (v.masked.length) return undefined;
  const m = /^(?:(\[[^\]]+\]|[\d.]+):)?(\d+):(\d+)(?:\/(tcp|udp))?$/.exec(v.text.trim());
  if (!m) return undefined;
  const hostIp = m[1]?.replace(/^\[|\]$/g, '');
  const hostPort = Number(m[2]);
  const off = v.text.indexOf(m[2], m[1] ? m[1].length : 0);
  const seg = v.segments.find((s) => s.verbatim && off >= s.docStart && off < s.docStart + s.length);
  const span = seg ? { start: seg.srcStart + off - seg.docStart, end: seg.srcStart + off - seg.docStart + m[2].length } : v.span;
  return { hostIp, hostPort, containerPort: Number(m[3]), protocol: (m[4] as 'tcp' | 'udp') ?? 'tcp', span };
}
