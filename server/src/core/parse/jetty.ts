/**
 * jetty.xml: the web console's listen address, from the `org.apache.activemq.web.WebConsolePort`
 * bean's `host` and `port` properties. When the bean or a property is absent the class
 * defaults apply (port 8161, host 0.0.0.0); when only the shipped default differs by version
 * (5.16.0 moved the shipped host to 127.0.0.1) that is reported as the effective default.
 *
 * ActiveMQ 6.3 replaced that bean: `jetty-spring.xml` declares an
 * `org.apache.activemq.spring.jetty.JettyServerBean`, which reads `jetty-spring.properties`
 * from its `jettyConfDirectory` and applies Jetty XML files (`jetty-http.xml`, `jetty-ssl.xml`,
 * ...) from its `jettyXmlDirectory`; the connectors' host and port are `<Set name="host">` /
 * `<Set name="port">` in those files, usually `<Property name="jetty.http.port" .../>` filled
 * from the properties file. Both shapes are extracted here; model/webconsole.ts combines them.
 */
import type { Span } from '../types';
import { parseXml, ReleasableTree, type XmlDocument, type XmlElement } from './xml';
import { hasPlaceholder } from './activemq';

export interface JettyValue {
  value: string;
  span: Span;
  placeholder: boolean;
}

export interface JettyConfig {
  /** the parse tree (rebuilt from the text on demand after `tree.release()`) */
  readonly tree: ReleasableTree;
  /** span of the WebConsolePort bean's element name, when present */
  beanSpan?: Span;
  host?: JettyValue;
  port?: JettyValue;
  /** ActiveMQ 6.3+: the JettyServerBean of jetty-spring.xml */
  serverBean?: JettyServerBean;
  /** a Jetty XML file (`<Configure>`): its `ServerConnector`s */
  connectors?: JettyConnector[];
}

export const JETTY_SERVER_BEAN_CLASS = 'org.apache.activemq.spring.jetty.JettyServerBean';

export interface JettyServerBean {
  /** span of the bean element's name */
  span: Span;
  /** where jetty-spring.properties is read from (default `conf`, relative to the broker's base) */
  confDir?: JettyValue;
  /** where the Jetty XML files are read from (default `conf/jetty`) */
  xmlDir?: JettyValue;
}

/** `<Set name="x">`: a literal, or `<Property name="p" default="d"/>` filled from the properties. */
export interface JettySetting {
  literal?: JettyValue;
  property?: { name: string; default?: JettyValue; span: Span };
}

export interface JettyConnector {
  /** the `id` of the `<New>` element (`httpConnector`, `sslConnector`) */
  id?: string;
  span: Span;
  host?: JettySetting;
  port?: JettySetting;
}

export const WEB_CONSOLE_CLASS = 'org.apache.activemq.web.WebConsolePort';
export const DEFAULT_WEB_PORT = 8161;

/** The web console host a WebConsolePort bean without a host property binds: the class default. */
export const DEFAULT_WEB_HOST = '0.0.0.0';

/** What the jetty.xml shipped with a version sets as host (for generators and hovers). */
export function shippedWebHost(version: string | undefined): string | undefined {
  if (!version) return undefined;
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major > 5 || (major === 5 && minor >= 16)) return '127.0.0.1';
  if (major === 5 && minor >= 14) return '0.0.0.0';
  return undefined;
}

export function parseJetty(text: string): JettyConfig {
  return extractJetty(parseXml(text), text);
}

/** The web console settings of a parsed jetty.xml; with `text`, the tree can be released and rebuilt. */
export function extractJetty(xml: XmlDocument, text?: string): JettyConfig {
  const cfg: JettyConfig = { tree: new ReleasableTree(xml, text) };
  const stack: XmlElement[] = [...xml.roots];
  while (stack.length) {
    const el = stack.pop()!;
    const cls = el.attributes.find((a) => a.name === 'class')?.value.trim();
    if (el.localName === 'bean' && cls === JETTY_SERVER_BEAN_CLASS && !cfg.serverBean) {
      cfg.serverBean = { span: el.nameSpan };
      for (const p of el.children) {
        if (p.localName !== 'property') continue;
        const name = p.attributes.find((a) => a.name === 'name')?.value;
        const v = propertyValue(p);
        if (name === 'jettyConfDirectory' && v) cfg.serverBean.confDir = v;
        else if (name === 'jettyXmlDirectory' && v) cfg.serverBean.xmlDir = v;
      }
      continue;
    }
    if (el.localName === 'New' && cls === 'org.eclipse.jetty.server.ServerConnector') {
      const c: JettyConnector = { id: el.attributes.find((a) => a.name === 'id')?.value, span: el.nameSpan };
      for (const set of el.children) {
        if (set.localName !== 'Set') continue;
        const name = set.attributes.find((a) => a.name === 'name')?.value;
        if (name === 'host' || name === 'port') c[name] = jettySetting(set);
      }
      (cfg.connectors ??= []).push(c);
      continue;
    }
    if (el.localName === 'bean' && cls === WEB_CONSOLE_CLASS) {
      cfg.beanSpan = el.nameSpan;
      for (const p of el.children) {
        if (p.localName !== 'property') continue;
        const name = p.attributes.find((a) => a.name === 'name')?.value;
        if (name !== 'host' && name !== 'port') continue;
        const jv = propertyValue(p);
        if (jv) cfg[name] = jv;
      }
      break;
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]);
  }
  return cfg;
}

/** A Spring `<property>`'s value: its `value` attribute or a nested `<value>` element. */
function propertyValue(p: XmlElement): JettyValue | undefined {
  const v = p.attributes.find((a) => a.name === 'value');
  if (v) return { value: v.value.trim(), span: v.valueSpan, placeholder: hasPlaceholder(v.value) };
  const inner = p.children.find((c) => c.localName === 'value');
  if (inner && inner.textSpan) return { value: inner.text.trim(), span: inner.textSpan, placeholder: hasPlaceholder(inner.text) };
  return undefined;
}

/** A Jetty XML `<Set>`: its text, or the `<Property>` (or deprecated `<SystemProperty>`) inside it. */
function jettySetting(set: XmlElement): JettySetting | undefined {
  const prop = set.children.find((c) => c.localName === 'Property' || c.localName === 'SystemProperty');
  if (prop) {
    const name = prop.attributes.find((a) => a.name === 'name');
    if (!name) return undefined;
    const d = prop.attributes.find((a) => a.name === 'default');
    const property: JettySetting['property'] = { name: name.value.trim(), span: name.valueSpan };
    if (d) property.default = { value: d.value.trim(), span: d.valueSpan, placeholder: hasPlaceholder(d.value) };
    // a <SystemProperty> is read from the JVM, not from jetty-spring.properties: only its default is known
    if (prop.localName === 'SystemProperty') property.name = '\u0000system:' + property.name;
    return { property };
  }
  if (set.children.length > 0 || !set.textSpan) return undefined;
  return { literal: { value: set.text.trim(), span: set.textSpan, placeholder: hasPlaceholder(set.text) } };
}
