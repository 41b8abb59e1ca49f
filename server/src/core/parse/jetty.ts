/**
 * jetty.xml: the web console's listen address, from the `org.apache.activemq.web.WebConsolePort`
 * bean's `host` and `port` properties. When the bean or a property is absent the class
 * defaults apply (port 8161, host 0.0.0.0); when only the shipped default differs by version
 * (5.16.0 moved the shipped host to 127.0.0.1) that is reported as the effective default.
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
    if (el.localName === 'bean' && el.attributes.some((a) => a.name === 'class' && a.value.trim() === WEB_CONSOLE_CLASS)) {
      cfg.beanSpan = el.nameSpan;
      for (const p of el.children) {
        if (p.localName !== 'property') continue;
        const name = p.attributes.find((a) => a.name === 'name')?.value;
        if (name !== 'host' && name !== 'port') continue;
        const v = p.attributes.find((a) => a.name === 'value');
        let jv: JettyValue | undefined;
        if (v) jv = { value: v.value.trim(), span: v.valueSpan, placeholder: hasPlaceholder(v.value) };
        else {
          const inner = p.children.find((c) => c.localName === 'value');
          if (inner && inner.textSpan) jv = { value: inner.text.trim(), span: inner.textSpan, placeholder: hasPlaceholder(inner.text) };
        }
        if (jv) cfg[name] = jv;
      }
      break;
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]);
  }
  return cfg;
}
