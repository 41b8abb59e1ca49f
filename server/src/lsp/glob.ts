/** Minimal glob matching for the `exclude` setting: `**`, `*`, `?`, `{a,b}`; paths are workspace-relative. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += '(?:' + glob.slice(i + 1, end).split(',').map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|') + ')';
        i = end;
      }
    } else re += c.replace(/[.+^$()|[\]\\}]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

export function compileGlobs(globs: string[]): (rel: string) => boolean {
  const res = globs.filter((g) => g.trim()).map((g) => globToRegExp(g.trim().replace(/^\.\//, '').replace(/^\//, '')));
  if (res.length === 0) return () => false;
  return (rel) => res.some((r) => r.test(rel) || rel.split('/').some((_, i, parts) => r.test(parts.slice(0, i + 1).join('/'))));
}
