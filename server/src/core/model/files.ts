/** Which files the core understands, by path alone. */
import { isVersionMarkerFile } from './versions';

/**
 * - `zoodynamic`: a ZooKeeper dynamic configuration file (`zoo.cfg.dynamic.<n>`: server lines only)
 * - `marker`: a file whose name tells a version (a jar), read for its name only
 * - `script`: a shell script, Dockerfile or Makefile, read for the tokens it substitutes with sed
 * - `jettyprops`: ActiveMQ 6.3+ `jetty-spring.properties` (the web console's host, port, XML files)
 */
export type FileKind = 'activemq' | 'jetty' | 'jettyprops' | 'zoocfg' | 'zoodynamic' | 'myid' | 'client' | 'marker' | 'script';

export function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(0, i) : '';
}

export function joinPath(...parts: string[]): string {
  // the usual parts hold no '.', no '//' and no leading or trailing '/': they join as they are
  let plain = true;
  for (let i = 0; i < parts.length && plain; i++) {
    const p = parts[i];
    if (p !== '' && (p.indexOf('.') >= 0 || p.indexOf('//') >= 0 || p.charCodeAt(0) === 47 || p.charCodeAt(p.length - 1) === 47)) plain = false;
  }
  if (plain) {
    let r = '';
    for (let i = 0; i < parts.length; i++) if (parts[i] !== '') r = r === '' ? parts[i] : r + '/' + parts[i];
    return r;
  }
  const out: string[] = [];
  for (const part of parts) {
    for (const seg of part.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') out.pop();
      else out.push(seg);
    }
  }
  return out.join('/');
}

const CLIENT_NAME = /^application(-[\w.-]+)?\.(ya?ml|properties)$/;
const VERSION_MARKER = /^activemq-(broker|client|all|spring)-\d+\.\d+(\.\d+)?\.jar$/;

export function classify(path: string): FileKind | undefined {
  const name = basename(path);
  switch (name) {
    case 'activemq.xml':
      return 'activemq';
    case 'jetty.xml':
      return 'jetty';
    case 'zoo.cfg':
      return 'zoocfg';
    case 'myid':
      return 'myid';
  }
  if (CLIENT_NAME.test(name) || name.endsWith('.java')) return 'client';
  if (VERSION_MARKER.test(name) || isVersionMarkerFile(path)) return 'marker';
  return undefined;
}

/**
 * The folder a config file's node lives in: the parent of `conf/` when the file sits in a
 * `conf` folder, otherwise the file's own folder.
 */
export function nodeRootOf(path: string): string {
  const dir = dirname(path);
  if (basename(dir) === 'conf') return dirname(dir);
  return dir;
}

/** Quick pre-filter for Java sources: only files that mention a failover URL are parsed. */
export function javaMentionsUrl(text: string): boolean {
  return text.includes('failover:');
}
