/**
 * Tokens that a script or Dockerfile of the repository replaces with `sed` before ActiveMQ or
 * ZooKeeper reads the file, e.g. an image entrypoint that runs
 *
 *     sed -i "s/USE_JMX/${USE_JMX}/" /opt/activemq/conf/activemq.xml
 *
 * `useJmx="USE_JMX"` in that activemq.xml is then a value nobody can know from the repository,
 * not an invalid boolean. Only literal patterns are taken (letters, digits, `_ . - @ { } $`), at
 * least three characters long; a regular expression is left alone (it could match anything).
 */

export interface SedSubstitution {
  /** the literal token `sed` replaces ('' for an envsubst) */
  token: string;
  /** base names of the files the command edits, when it names them ('' = any file) */
  targets: string[];
  /**
   * `envsubst` instead of `sed`: it replaces `$NAME` and `${NAME}`, all of them (true) or those
   * its SHELL-FORMAT argument lists
   */
  shellVars?: true | string[];
}

/** Script-like sources worth scanning: shell scripts, Dockerfiles, Makefiles, entrypoints. */
export function isScriptName(name: string): boolean {
  return (
    /\.(sh|bash|ksh|zsh)$/.test(name) ||
    /^(Dockerfile|Containerfile)(\..+)?$/.test(name) ||
    /\.(dockerfile|containerfile)$/i.test(name) ||
    /^(GNUmakefile|Makefile|makefile)$/.test(name) ||
    /^(docker-)?entrypoint(\..+)?$/.test(name)
  );
}

const LITERAL = /^[A-Za-z0-9_.@{}$#%-]{3,200}$/;

/** The literal `s/TOKEN/.../` substitutions of `sed` commands in a script. */
export function sedSubstitutions(text: string): SedSubstitution[] {
  if (!text.includes('sed')) return [];
  const out: SedSubstitution[] = [];
  // one logical line at a time (backslash continuations joined)
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n|\r/);
  for (const line of lines) {
    if (line.length > 20000) continue;
    const at = line.search(/(^|[\s;|&(`])sed\s/);
    if (at < 0) continue;
    const cmd = line.slice(at);
    const tokens: string[] = [];
    // s<d>pattern<d>replacement<d>flags, with any one-character delimiter
    const re = /(?:^|[\s'"=;])s([^\w\s\\])((?:\\.|(?!\1).)*)\1/g;
    for (let m = re.exec(cmd); m; m = re.exec(cmd)) {
      const pattern = unquote(m[2]);
      if (LITERAL.test(pattern) && !/^[.${}]+$/.test(pattern)) tokens.push(pattern);
    }
    if (tokens.length === 0) continue;
    const targets: string[] = [];
    for (const w of cmd.split(/[\s;|&)]+/)) {
      const word = w.replace(/^["']|["']$/g, '');
      const base = word.slice(word.lastIndexOf('/') + 1);
      if (/\.(xml|cfg|properties|conf|ya?ml|env)$/.test(base) || base === 'myid') targets.push(base);
    }
    for (const token of tokens) out.push({ token, targets });
  }
  return out;
}

/**
 * `envsubst` commands that render a configuration file (`envsubst < zoo.cfg.tmpl > /conf/zoo.cfg`,
 * `cat activemq.xml | envsubst '$BROKER_NAME' > ...`): the variables they replace are unknown values
 * in that file. A command whose files cannot be told is left alone (it would mask every file).
 */
export function envsubstUses(text: string): SedSubstitution[] {
  if (!text.includes('envsubst')) return [];
  const out: SedSubstitution[] = [];
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n|\r/);
  for (const line of lines) {
    if (line.length > 20000) continue;
    const at = line.search(/(^|[\s;|&(`])envsubst(\s|$|[;|&)`])/);
    if (at < 0) continue;
    // SHELL-FORMAT: a quoted argument naming the variables
    const fmt = /envsubst\s+(?:-\w+\s+)*(['"])([^'"]*\$[^'"]*)\1/.exec(line.slice(at));
    const vars = fmt ? [...fmt[2].matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((m) => m[1]) : undefined;
    const targets: string[] = [];
    for (const w of line.split(/[\s;|&()<>]+/)) {
      const word = w.replace(/^["']|["']$/g, '');
      const base = word.slice(word.lastIndexOf('/') + 1);
      if (/\.(xml|cfg|properties|conf|ya?ml|env|tmpl|tpl|template|in)$/.test(base) || base === 'myid') targets.push(base);
    }
    if (targets.length === 0) continue;
    out.push({ token: '', targets, shellVars: vars ?? true });
  }
  return out;
}

/** The variables envsubst replaces in a file of this base name: all (true), a list, or none (undefined). */
export function shellVarsFor(subs: readonly SedSubstitution[], base: string, inner?: string): true | string[] | undefined {
  let out: true | string[] | undefined;
  for (const s of subs) {
    if (!s.shellVars) continue;
    if (!s.targets.some((t) => targetMatches(t, base) || (inner !== undefined && targetMatches(t, inner)) || targetMatches(t.replace(/\.(tmpl|tpl|template|in)$/, ''), base))) continue;
    if (s.shellVars === true || out === true) out = true;
    else out = [...(out ?? []), ...s.shellVars];
  }
  return out;
}

/** `\.` -> `.`: sed escapes of literal characters. */
function unquote(p: string): string {
  return p.replace(/["']/g, '').replace(/\\([./|#@?{}-])/g, '$1');
}

/** The tokens that apply to a file of this base name. */
export function tokensFor(subs: readonly SedSubstitution[], base: string, inner?: string): string[] {
  const out: string[] = [];
  for (const s of subs) {
    if (s.shellVars) continue;
    if (s.targets.length === 0 || s.targets.some((t) => targetMatches(t, base) || (inner !== undefined && targetMatches(t, inner)))) out.push(s.token);
  }
  return out;
}

/** A target word names the file, or is a glob such as `*.yaml` that matches it. */
function targetMatches(target: string, base: string): boolean {
  if (!target.includes('*')) return target === base;
  const parts = target.split('*');
  return base.startsWith(parts[0]) && base.endsWith(parts[parts.length - 1]) && base.length >= parts[0].length + parts[parts.length - 1].length;
}
