/**
 * The web console of ActiveMQ 6.3+, where the `WebConsolePort` bean of `jetty.xml` is gone.
 *
 * activemq.xml imports `jetty-spring.xml`, which declares an
 * `org.apache.activemq.spring.jetty.JettyServerBean`. At start the bean reads
 * `jetty-spring.properties` from its `jettyConfDirectory` (shipped: `${activemq.conf}`), then
 * applies the Jetty XML files the properties list from its `jettyXmlDirectory` (shipped:
 * `${activemq.conf}/jetty`): `jettyXmlFiles` always, `jettyHttpXmlFiles` when `httpEnabled`
 * (default true), `jettyHttpsXmlFiles` when `httpsEnabled` (default false), with the properties
 * as Jetty `<Property>` values. The connectors of `jetty-http.xml` / `jetty-ssl.xml` take their
 * host and port from `<Set name="host|port">`, usually `<Property name="jetty.http.port"/>`;
 * the shipped properties set `jetty.http.port=8161` and the shipped files bind loopback. A
 * connector whose host is unset binds every interface.
 *
 * Sources read (apache/activemq, 6.3.0-SNAPSHOT line): `JettyServerBean.java`,
 * `assembly/src/release/conf/jetty-spring.xml`, `jetty-spring.properties`, `conf/jetty/jetty.xml`,
 * `assembly/.../JettyBindAddressTest.java` (the shipped files bind 127.0.0.1).
 */
import type { Span } from '../types';
import type { ParsedFiles } from './parsed';
import type { JettyConnector, JettySetting } from '../parse/jetty';
import type { PropertiesResult } from '../parse/zoocfg';
import { basename, joinPath } from './files';

export interface WebListenerSpec {
  label: string;
  host: string;
  port: number;
  file: string;
  span: Span;
  implicit: boolean;
}

export interface ModernWebConsole {
  listeners: WebListenerSpec[];
  /** the properties and Jetty XML documents the listeners come from */
  files: string[];
}

/** What the 6.3 distribution ships when a file is not in the repository. */
const SHIPPED = {
  httpFiles: ['jetty-http.xml'],
  httpsFiles: ['jetty-ssl.xml'],
  httpPort: 8161,
  /** the shipped connectors bind loopback (JettyBindAddressTest) */
  host: '127.0.0.1',
};

interface Prop {
  value: string;
  span: Span;
}

/** Properties as java.util.Properties keeps them: last line per key wins; values trimmed of leading blanks only. */
function propsOf(p: PropertiesResult | undefined): Map<string, Prop> | undefined {
  if (!p) return undefined;
  const m = new Map<string, Prop>();
  for (const l of p.lines) {
    const value = l.rawValue.replace(/\s+$/, '');
    m.set(l.rawKey, { value, span: { start: l.valueSpan.start, end: l.valueSpan.start + value.length } });
  }
  return m;
}

/**
 * The web listeners of a broker whose web console is a JettyServerBean: `bean` is the bean found
 * in an imported `jetty-spring.xml` (its file and dirs), or the one the import of a
 * `jetty-spring.xml` that the repository does not hold stands for (the shipped file).
 */
export function modernWebConsole(
  files: ParsedFiles,
  resolve: (value: string) => string | undefined,
  bean: { file: string; span: Span; confDir?: { value: string }; xmlDir?: { value: string } },
  root: string,
  /** for a node rendered from templates: its document that becomes this file */
  find?: (path: string) => string | undefined,
): ModernWebConsole {
  const doc = (path: string): string => find?.(path) ?? path;
  const out: ModernWebConsole = { listeners: [], files: [] };
  const dirOf = (v: { value: string } | undefined, dflt: string): string | undefined => (v ? resolve(v.value) : joinPath(root, dflt));
  const confDir = dirOf(bean.confDir, 'conf');
  const xmlDir = dirOf(bean.xmlDir, 'conf/jetty');
  if (confDir === undefined || xmlDir === undefined) return out;
  const propsFile = doc(joinPath(confDir, 'jetty-spring.properties'));
  const props = propsOf(files.jettyProps.get(propsFile));
  if (props) out.files.push(propsFile);
  const flag = (key: string, dflt: boolean): boolean | undefined => {
    const p = props?.get(key);
    if (!p) return dflt;
    if (p.value.includes('${')) return undefined;
    return p.value.trim().toLowerCase() === 'true';
  };
  const list = (key: string, shipped: string[]): string[] | undefined => {
    if (!props) return shipped;
    const p = props.get(key);
    // JettyServerBean loads no file for a missing or blank list
    if (!p || p.value.trim() === '') return [];
    if (p.value.includes('${')) return undefined;
    return p.value.split(',').map((s) => s.trim()).filter(Boolean);
  };
  const variants: { enabled: boolean | undefined; list: string[] | undefined; prefix: string; label: string; shippedPort?: number }[] = [
    { enabled: flag('httpEnabled', true), list: list('jettyHttpXmlFiles', SHIPPED.httpFiles), prefix: 'jetty.http', label: 'web console', shippedPort: SHIPPED.httpPort },
    { enabled: flag('httpsEnabled', false), list: list('jettyHttpsXmlFiles', SHIPPED.httpsFiles), prefix: 'jetty.ssl', label: 'web console (https)' },
  ];
  for (const v of variants) {
    if (v.enabled !== true || !v.list) continue;
    for (const name of v.list) {
      const xmlFile = doc(joinPath(xmlDir, name));
      const xml = files.jetty.get(xmlFile);
      if (xml) {
        for (const c of xml.connectors ?? []) {
          const l = connectorListener(c, props, xmlFile, propsFile, v.label);
          if (l) out.listeners.push(l);
        }
        if (xml.connectors?.length) out.files.push(xmlFile);
        continue;
      }
      // the file is not in the repository: the shipped one, whose connector reads <prefix>.host/port
      if (basename(name) !== `jetty-${v.prefix === 'jetty.http' ? 'http' : 'ssl'}.xml`) continue;
      const port = props?.get(`${v.prefix}.port`);
      const host = props?.get(`${v.prefix}.host`);
      if (host?.value.includes('${') || port?.value.includes('${')) continue;
      if (port) {
        if (!/^\d+$/.test(port.value.trim())) continue;
        out.listeners.push({ label: `${v.label} (${v.prefix}.port)`, host: host?.value.trim() || SHIPPED.host, port: Number(port.value.trim()), file: propsFile, span: port.span, implicit: false });
      } else if (!props && v.shippedPort !== undefined) {
        out.listeners.push({ label: `${v.label} (default)`, host: SHIPPED.host, port: v.shippedPort, file: bean.file, span: bean.span, implicit: true });
      }
    }
  }
  return out;
}

/** A connector's listen address: `<Set>` literals, or `<Property>` values from the properties, else their defaults. */
function connectorListener(c: JettyConnector, props: Map<string, Prop> | undefined, xmlFile: string, propsFile: string, label: string): WebListenerSpec | undefined {
  const resolve = (s: JettySetting | undefined): { value: string; file: string; span: Span } | null | undefined => {
    if (!s) return null;
    if (s.literal) return { value: s.literal.value, file: xmlFile, span: s.literal.span };
    if (!s.property) return undefined;
    const p = s.property.name.startsWith('\u0000') ? undefined : props?.get(s.property.name);
    if (p) return { value: p.value.trim(), file: propsFile, span: p.span };
    // a property the JVM may set (`<SystemProperty>`), or one the repository's properties do not hold
    if (s.property.name.startsWith('\u0000') && !s.property.default) return undefined;
    if (s.property.default) return { value: s.property.default.value, file: xmlFile, span: s.property.default.span };
    return null;
  };
  const port = resolve(c.port);
  const host = resolve(c.host);
  if (!port || host === undefined) return undefined;
  if (port.value.includes('${') || !/^\d+$/.test(port.value) || (host && host.value.includes('${'))) return undefined;
  const n = Number(port.value);
  if (n === 0) return undefined;
  // no host: Jetty binds every interface
  return { label: `${label}${c.id ? ` (${c.id})` : ''}`, host: host?.value || '0.0.0.0', port: n, file: port.file, span: port.span, implicit: false };
}
