import { rng } from '../../bench/workspace';
import * as assert from 'node:assert';
import {
  MAX_DIAGNOSTICS,
  parseXml,
  valueOffset,
  type XmlAttribute,
  type XmlDiagnostic,
  type XmlDiagnosticKind,
  type XmlDocument,
  type XmlElement,
} from '../../server/src/core/parse/xml';

// ---------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------

/** Offset of the `nth` occurrence of `needle` in `text` (fails the test when absent). */
function at(text: string, needle: string, nth = 0): number {
  let p = -1;
  for (let k = 0; k <= nth; k++) {
    p = text.indexOf(needle, p + 1);
    assert.ok(p >= 0, `'${needle}' (#${nth}) not found`);
  }
  return p;
}

function span(text: string, needle: string, nth = 0): { start: number; end: number } {
  const s = at(text, needle, nth);
  return { start: s, end: s + needle.length };
}

function kinds(doc: XmlDocument): XmlDiagnosticKind[] {
  return doc.diagnostics.map((d) => d.kind);
}

function only(doc: XmlDocument, kind: XmlDiagnosticKind): XmlDiagnostic {
  assert.deepStrictEqual(kinds(doc), [kind], JSON.stringify(doc.diagnostics, null, 1));
  return doc.diagnostics[0];
}

/** All elements in document order, without recursion. */
function allElements(doc: XmlDocument): XmlElement[] {
  const out: XmlElement[] = [];
  const todo: XmlElement[] = [];
  for (let k = doc.roots.length - 1; k >= 0; k--) todo.push(doc.roots[k]);
  while (todo.length > 0) {
    const el = todo.pop() as XmlElement;
    out.push(el);
    for (let k = el.children.length - 1; k >= 0; k--) todo.push(el.children[k]);
  }
  return out;
}

function find(doc: XmlDocument, name: string, nth = 0): XmlElement {
  const els = allElements(doc).filter((e) => e.name === name);
  assert.ok(els.length > nth, `element <${name}> #${nth} not found`);
  return els[nth];
}

function attr(el: XmlElement, name: string): XmlAttribute {
  const a = el.attributes.find((x) => x.name === name);
  assert.ok(a, `attribute ${name} not found on <${el.name}>`);
  return a;
}

/** Applies non-overlapping edits (inserts at the same offset keep their order). */
function applyEdits(text: string, edits: { span: { start: number; end: number }; newText: string }[]): string {
  const sorted = edits.map((e, k) => ({ e, k })).sort((a, b) => b.e.span.start - a.e.span.start || b.k - a.k);
  let out = text;
  for (const { e } of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

function applyAllFixes(text: string, doc: XmlDocument): string {
  const edits = [];
  for (const d of doc.diagnostics) if (d.fix) edits.push(...d.fix.edits);
  return applyEdits(text, edits);
}

/** Structural invariants that must hold for any input. */
function checkInvariants(text: string, doc: XmlDocument): void {
  const n = text.length;
  const inRange = (s: { start: number; end: number }, what: string) => {
    assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end), what);
    assert.ok(0 <= s.start && s.start <= s.end && s.end <= n, `${what} ${JSON.stringify(s)} (n=${n})`);
  };
  for (const el of allElements(doc)) {
    inRange(el.nameSpan, 'nameSpan');
    assert.strictEqual(text.slice(el.nameSpan.start, el.nameSpan.end), el.name);
    assert.ok(el.start <= el.startTagEnd && el.startTagEnd <= el.end && el.end <= n, `element <${el.name}> bounds`);
    for (const a of el.attributes) {
      inRange(a.nameSpan, 'attr nameSpan');
      inRange(a.valueSpan, 'attr valueSpan');
      assert.strictEqual(text.slice(a.nameSpan.start, a.nameSpan.end), a.name);
      assert.strictEqual(text.slice(a.valueSpan.start, a.valueSpan.end), a.raw);
      for (let k = 0; k <= a.value.length; k += Math.max(1, a.value.length >> 3)) {
        const o = valueOffset(a, k);
        assert.ok(a.valueSpan.start <= o && o <= a.valueSpan.end);
      }
    }
    if (el.textSpan) inRange(el.textSpan, 'textSpan');
  }
  assert.ok(doc.diagnostics.length <= MAX_DIAGNOSTICS + 1);
  for (const d of doc.diagnostics) {
    inRange(d.span, `diagnostic ${d.kind}`);
    assert.ok(d.message.length > 0);
    for (const e of d.fix?.edits ?? []) inRange(e.span, 'fix edit');
  }
}

/** A realistic activemq.xml, close to the one shipped with ActiveMQ Classic. */
function activemqXml(brokerName = 'localhost', port = 61616): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!--
    Licensed to the Apache Software Foundation (ASF) under one or more
    contributor license agreements.  See the NOTICE file distributed with
    this work for additional information regarding copyright ownership.
-->
<!-- START SNIPPET: example -->
<beans
  xmlns="http://www.springframework.org/schema/beans"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">

    <!-- Allows us to use system properties as variables in this configuration file -->
    <bean class="org.springframework.beans.factory.config.PropertyPlaceholderConfigurer">
        <property name="locations">
            <value>file:\${activemq.conf}/credentials.properties</value>
        </property>
    </bean>

   <!-- Allows accessing the server log -->
    <bean id="logQuery" class="io.fabric8.insight.log.log4j.Log4jLogQuery"
          lazy-init="false" scope="singleton"
          init-method="start" destroy-method="stop">
    </bean>

    <!--
        The <broker> element is used to configure the ActiveMQ broker.
    -->
    <broker xmlns="http://activemq.apache.org/schema/core" brokerName="${brokerName}" dataDirectory="\${activemq.data}">

        <destinationPolicy>
            <policyMap>
              <policyEntries>
                <policyEntry topic=">" >
                  <pendingMessageLimitStrategy>
                    <constantPendingMessageLimitStrategy limit="1000"/>
                  </pendingMessageLimitStrategy>
                </policyEntry>
              </policyEntries>
            </policyMap>
        </destinationPolicy>

        <managementContext>
            <managementContext createConnector="false"/>
        </managementContext>

        <persistenceAdapter>
            <kahaDB directory="\${activemq.data}/kahadb"/>
        </persistenceAdapter>

          <systemUsage>
            <systemUsage>
                <memoryUsage>
                    <memoryUsage percentOfJvmHeap="70" />
                </memoryUsage>
                <storeUsage>
                    <storeUsage limit="100 gb"/>
                </storeUsage>
                <tempUsage>
                    <tempUsage limit="50 gb"/>
                </tempUsage>
            </systemUsage>
        </systemUsage>

        <transportConnectors>
            <!-- DOS protection, limit concurrent connections to 1000 and frame size to 100MB -->
            <transportConnector name="openwire" uri="tcp://0.0.0.0:${port}?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600"/>
            <transportConnector name="amqp" uri="amqp://0.0.0.0:5672?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600"/>
            <transportConnector name="stomp" uri="stomp://0.0.0.0:61613?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600"/>
            <transportConnector name="mqtt" uri="mqtt://0.0.0.0:1883?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600"/>
            <transportConnector name="ws" uri="ws://0.0.0.0:61614?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600"/>
        </transportConnectors>

        <!-- destroy the spring context on shutdown to stop jetty -->
        <shutdownHooks>
            <bean xmlns="http://www.springframework.org/schema/beans" class="org.apache.activemq.hooks.SpringContextHook" />
        </shutdownHooks>

    </broker>

    <!--
        Enable web consoles, REST and Ajax APIs and demos
        Take a look at \${ACTIVEMQ_HOME}/conf/jetty.xml for more details
    -->
    <import resource="jetty.xml"/>

</beans>
<!-- END SNIPPET: example -->
`;
}

// ---------------------------------------------------------------------------------------
// well-formed input
// ---------------------------------------------------------------------------------------

describe('parseXml: well-formed documents', () => {
  it('parses the stock activemq.xml without diagnostics', () => {
    const text = activemqXml('broker1', 61617);
    const doc = parseXml(text);
    assert.deepStrictEqual(doc.diagnostics, []);
    assert.strictEqual(doc.roots.length, 1);
    const beans = doc.roots[0];
    assert.strictEqual(beans.name, 'beans');
    assert.deepStrictEqual(
      beans.children.map((c) => c.name),
      ['bean', 'bean', 'broker', 'import'],
    );
    assert.strictEqual(beans.start, at(text, '<beans'));
    assert.strictEqual(beans.end, at(text, '</beans>') + '</beans>'.length);
    assert.deepStrictEqual(beans.nameSpan, { start: at(text, '<beans') + 1, end: at(text, '<beans') + 6 });
    assert.strictEqual(beans.attributes.length, 3);
    assert.strictEqual(attr(beans, 'xmlns:xsi').value, 'http://www.w3.org/2001/XMLSchema-instance');

    const broker = find(doc, 'broker');
    assert.strictEqual(broker.parent, beans);
    const bn = attr(broker, 'brokerName');
    assert.strictEqual(bn.value, 'broker1');
    assert.strictEqual(bn.quote, '"');
    assert.deepStrictEqual(bn.nameSpan, span(text, 'brokerName'));
    assert.deepStrictEqual(bn.valueSpan, span(text, 'broker1'));
    assert.strictEqual(broker.startTagEnd, at(text, '${activemq.data}">') + '${activemq.data}">'.length);

    const policy = find(doc, 'policyEntry');
    assert.strictEqual(attr(policy, 'topic').value, '>');

    const openwire = find(doc, 'transportConnector');
    const uri = attr(openwire, 'uri');
    assert.strictEqual(uri.value, 'tcp://0.0.0.0:61617?maximumConnections=1000&wireFormat.maxFrameSize=104857600');
    assert.strictEqual(uri.raw, 'tcp://0.0.0.0:61617?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600');

    const kahaDB = find(doc, 'kahaDB');
    assert.strictEqual(kahaDB.selfClosing, true);
    assert.strictEqual(kahaDB.end, kahaDB.startTagEnd);
    assert.strictEqual(text.slice(kahaDB.start, kahaDB.end), '<kahaDB directory="${activemq.data}/kahadb"/>');

    const value = find(doc, 'value');
    assert.strictEqual(value.text, 'file:${activemq.conf}/credentials.properties');
    assert.deepStrictEqual(value.textSpan, span(text, 'file:${activemq.conf}/credentials.properties'));
    // elements with only whitespace inside have no text
    assert.strictEqual(broker.text, '');
    assert.strictEqual(broker.textSpan, undefined);
    checkInvariants(text, doc);
  });

  it('handles namespaced names', () => {
    const text = '<amq:broker xmlns:amq="http://activemq.apache.org/schema/core" amq:x="1"><amq:transportConnectors/></amq:broker>';
    const doc = parseXml(text);
    assert.deepStrictEqual(doc.diagnostics, []);
    const b = doc.roots[0];
    assert.strictEqual(b.name, 'amq:broker');
    assert.strictEqual(b.localName, 'broker');
    assert.deepStrictEqual(b.nameSpan, { start: 1, end: 11 });
    assert.strictEqual(b.children[0].localName, 'transportConnectors');
    assert.strictEqual(b.attributes[0].name, 'xmlns:amq');
    assert.strictEqual(b.attributes[1].name, 'amq:x');
    assert.strictEqual(b.end, text.length);
  });

  it('skips the XML declaration, processing instructions, comments and keeps CDATA as text', () => {
    const text =
      '<?xml version="1.0"?>\n<?xml-stylesheet href="a.xsl"?>\n<!-- a <fake> comment -->\n' +
      '<a><?pi x?><b><![CDATA[x < y && <z>]]></b><!-- <c/> --></a>\n<!-- trailing comment -->\n';
    const doc = parseXml(text);
    assert.deepStrictEqual(doc.diagnostics, []);
    assert.strictEqual(doc.roots.length, 1);
    assert.deepStrictEqual(
      doc.roots[0].children.map((c) => c.name),
      ['b'],
    );
    const b = doc.roots[0].children[0];
    assert.strictEqual(b.text, 'x < y && <z>');
    assert.deepStrictEqual(b.textSpan, span(text, 'x < y && <z>'));
  });

  it('accepts single quotes and whitespace around "="', () => {
    const text = `<a x = 'one "1"' y\n=\n"two"/>`;
    const doc = parseXml(text);
    assert.deepStrictEqual(doc.diagnostics, []);
    const [x, y] = doc.roots[0].attributes;
    assert.strictEqual(x.quote, "'");
    assert.strictEqual(x.value, 'one "1"');
    assert.deepStrictEqual(x.valueSpan, span(text, 'one "1"'));
    assert.strictEqual(y.value, 'two');
    assert.deepStrictEqual(y.valueSpan, span(text, 'two'));
  });

  it('counts offsets after a BOM in UTF-16 code units', () => {
    const text = '\uFEFF<?xml version="1.0"?><broker brokerName="b1"/>';
    const doc = parseXml(text);
    assert.deepStrictEqual(doc.diagnostics, []);
    const el = doc.roots[0];
    assert.strictEqual(el.start, at(text, '<broker'));
    assert.deepStrictEqual(attr(el, 'brokerName').valueSpan, span(text, 'b1'));
  });

  it('keeps exact offsets with CRLF line endings', () => {
    const text = activemqXml('crlf', 61616).replace(/\n/g, '\r\n');
    const doc = parseXml(text);
    assert.deepStrictEqual(doc.diagnostics, []);
    const broker = find(doc, 'broker');
    assert.deepStrictEqual(attr(broker, 'brokerName').valueSpan, span(text, 'crlf'));
    const beans = doc.roots[0];
    const loc = attr(beans, 'xsi:schemaLocation');
    assert.ok(loc.value.includes('spring-beans.xsd\r\n  http://activemq'));
    assert.strictEqual(find(doc, 'value').text, 'file:${activemq.conf}/credentials.properties');
    checkInvariants(text, doc);
  });

  it('keeps offsets exact after non-BMP characters', () => {
    const text = '<a>😀<b x="😀y"/></a>';
    const doc = parseXml(text);
    assert.deepStrictEqual(doc.diagnostics, []);
    const x = doc.roots[0].children[0].attributes[0];
    assert.deepStrictEqual(x.valueSpan, span(text, '😀y'));
    assert.strictEqual(valueOffset(x, 2), at(text, 'y"'));
  });

  it('materialises text only for elements with non-whitespace character data', () => {
    const text = '<a>\n  <b>  one  </b>\n  <c> x &lt; y &#65; </c>\n</a>';
    const doc = parseXml(text);
    assert.deepStrictEqual(doc.diagnostics, []);
    assert.strictEqual(doc.roots[0].text, '');
    assert.strictEqual(doc.roots[0].textSpan, undefined);
    const b = find(doc, 'b');
    assert.strictEqual(b.text, '  one  ');
    assert.deepStrictEqual(b.textSpan, span(text, 'one'));
    const c = find(doc, 'c');
    assert.strictEqual(c.text, ' x < y A ');
    assert.deepStrictEqual(c.textSpan, span(text, 'x &lt; y &#65;'));
  });

  it('returns an empty model without throwing for empty or blank input', () => {
    for (const t of ['', '   \n', '\uFEFF']) {
      const doc = parseXml(t);
      assert.deepStrictEqual(doc.roots, []);
      assert.ok(doc.diagnostics.length <= 1);
      checkInvariants(t, doc);
    }
  });
});

// ---------------------------------------------------------------------------------------
// entities and valueOffset
// ---------------------------------------------------------------------------------------

describe('parseXml: references and valueOffset', () => {
  it('decodes the predefined entities and character references', () => {
    const text = `<!DOCTYPE a>\n<a v="&amp;&lt;&gt;&quot;&apos;&#123;&#x7E;&#x1F600;|&unknown;|&#65;"/>`;
    const doc = parseXml(text);
    assert.deepStrictEqual(doc.diagnostics, []);
    const v = doc.roots[0].attributes[0];
    assert.strictEqual(v.value, `&<>"'{~😀|&unknown;|A`);
    assert.strictEqual(v.raw, text.slice(at(text, '&amp;'), text.length - 3));
  });

  it('reports an undeclared entity (no DOCTYPE) but keeps it literally', () => {
    const text = '<a v="x&nbsp;y">&copy; 2024</a>';
    const doc = parseXml(text);
    assert.deepStrictEqual(kinds(doc), ['malformed', 'malformed']);
    assert.deepStrictEqual(doc.diagnostics[0].span, span(text, '&nbsp;'));
    assert.match(doc.diagnostics[0].message, /The entity "nbsp" was referenced, but not declared\./);
    assert.deepStrictEqual(doc.diagnostics[0].fix?.edits, [{ span: span(text, '&nbsp;'), newText: '&#160;' }]);
    assert.deepStrictEqual(doc.diagnostics[1].span, span(text, '&copy;'));
    assert.strictEqual(doc.diagnostics[1].fix, undefined);
    assert.strictEqual(doc.roots[0].attributes[0].value, 'x&nbsp;y');
    assert.strictEqual(doc.roots[0].text, '&copy; 2024');
  });

  it('maps decoded indexes back to file offsets', () => {
    const text = `<!DOCTYPE a [ <!ENTITY foo "bar"> ]><a plain="tcp://h:1" v="a&amp;b&#x1F600;c&foo;d"/>`;
    const doc = parseXml(text);
    const [plain, v] = doc.roots[0].attributes;
    assert.strictEqual(valueOffset(plain, 0), at(text, 'tcp:'));
    assert.strictEqual(valueOffset(plain, 6), at(text, 'h:1'));
    assert.strictEqual(valueOffset(plain, plain.value.length), at(text, '" v='));

    assert.strictEqual(v.value, 'a&b😀c&foo;d');
    assert.strictEqual(valueOffset(v, 0), at(text, 'a&amp;'));
    assert.strictEqual(valueOffset(v, 1), at(text, '&amp;'));
    assert.strictEqual(valueOffset(v, 2), at(text, 'b&#x'));
    assert.strictEqual(valueOffset(v, 3), at(text, '&#x1F600;')); // both code units of the emoji map to the '&'
    assert.strictEqual(valueOffset(v, 4), at(text, '&#x1F600;'));
    assert.strictEqual(valueOffset(v, 5), at(text, 'c&foo'));
    assert.strictEqual(valueOffset(v, 6), at(text, '&foo;')); // an entity kept literally maps character by character
    assert.strictEqual(valueOffset(v, 8), at(text, 'oo;'));
    assert.strictEqual(valueOffset(v, 11), at(text, 'd"'));
    assert.strictEqual(valueOffset(v, v.value.length), v.valueSpan.end);
    assert.strictEqual(v.valueSpan.end, at(text, '"/>'));
  });

  it('maps through a bare & that is kept literally', () => {
    const text = '<t uri="tcp://h:1?a=1&b=2&amp;c=3"/>';
    const u = parseXml(text).roots[0].attributes[0];
    assert.strictEqual(u.value, 'tcp://h:1?a=1&b=2&c=3');
    assert.strictEqual(valueOffset(u, u.value.indexOf('&b')), at(text, '&b'));
    assert.strictEqual(valueOffset(u, u.value.indexOf('c=3')), at(text, 'c=3'));
  });
});

// ---------------------------------------------------------------------------------------
// the copy-paste mistakes from the seeds
// ---------------------------------------------------------------------------------------

describe('parseXml: bare ampersand (seed 000)', () => {
  const text =
    '<transportConnectors>\n<!-- DOS protection, limit concurrent connections to 1000 and frame size to 100MB -->\n' +
    '<transportConnector name="openwire" uri="tcp://0.0.0.0:61617?maximumConnections=1000&wireFormat.maxFrameSize=104857600"/>\n' +
    '</transportConnectors>';

  it('reports the & with the Xerces message and keeps the full uri', () => {
    const doc = parseXml(text);
    const d = only(doc, 'bare-ampersand');
    const amp = at(text, '&wireFormat');
    assert.deepStrictEqual(d.span, { start: amp, end: amp + 1 });
    assert.strictEqual(
      d.message,
      "Bare '&' in attribute value of 'uri': XML requires '&amp;'. ActiveMQ refuses to start with: " +
        'The reference to entity "wireFormat.maxFrameSize" must end with the \';\' delimiter.',
    );
    assert.deepStrictEqual(d.fix, {
      title: "Escape '&' as '&amp;'",
      edits: [{ span: { start: amp, end: amp + 1 }, newText: '&amp;' }],
    });
    const uri = attr(find(doc, 'transportConnector'), 'uri');
    assert.strictEqual(uri.value, 'tcp://0.0.0.0:61617?maximumConnections=1000&wireFormat.maxFrameSize=104857600');
    assert.strictEqual(uri.raw, uri.value);
    assert.strictEqual(valueOffset(uri, uri.value.indexOf('&')), amp);
    // applying the fix gives a clean document with the same decoded value
    const fixed = parseXml(applyAllFixes(text, doc));
    assert.deepStrictEqual(fixed.diagnostics, []);
    assert.strictEqual(attr(find(fixed, 'transportConnector'), 'uri').value, uri.value);
  });

  it('reports a bare & in text and a & followed by a space', () => {
    const t = '<beans><value>a & b &amp; c&d</value></beans>';
    const doc = parseXml(t);
    assert.deepStrictEqual(kinds(doc), ['bare-ampersand', 'bare-ampersand']);
    assert.deepStrictEqual(doc.diagnostics[0].span, { start: at(t, '& b'), end: at(t, '& b') + 1 });
    assert.match(doc.diagnostics[0].message, /^Bare '&' in the text of <value>: XML requires '&amp;'\./);
    assert.match(doc.diagnostics[0].message, /The entity name must immediately follow the '&' in the entity reference\./);
    assert.deepStrictEqual(doc.diagnostics[1].span, { start: at(t, '&d'), end: at(t, '&d') + 1 });
    assert.match(doc.diagnostics[1].message, /The reference to entity "d" must end with the ';' delimiter\./);
    assert.strictEqual(find(doc, 'value').text, 'a & b & c&d');
  });

  it('reports malformed character references as bare & and invalid code points as invalid-character', () => {
    const t = '<a x="&#;" y="&#x;" z="&#12" w="&#x1F;" v="&#xD800;"/>';
    const doc = parseXml(t);
    assert.deepStrictEqual(kinds(doc), ['bare-ampersand', 'bare-ampersand', 'bare-ampersand', 'invalid-character', 'invalid-character']);
    assert.match(doc.diagnostics[0].message, /decimal representation/);
    assert.match(doc.diagnostics[1].message, /hexadecimal representation/);
    assert.match(doc.diagnostics[2].message, /must end with the ';' delimiter/);
    assert.deepStrictEqual(doc.diagnostics[3].span, span(t, '&#x1F;'));
    assert.match(doc.diagnostics[3].message, /U\+001F, which XML does not allow.*Character reference "&#x1F" is an invalid XML character/);
    assert.deepStrictEqual(doc.diagnostics[4].span, span(t, '&#xD800;'));
    // a well-formed reference to a disallowed character is decoded (and reported); a non-character stays literal
    assert.deepStrictEqual(
      doc.roots[0].attributes.map((a) => a.value),
      ['&#;', '&#x;', '&#12', '\u001f', '&#xD800;'],
    );
    const w = doc.roots[0].attributes[3];
    assert.strictEqual(valueOffset(w, 0), w.valueSpan.start);
    assert.strictEqual(valueOffset(w, 1), w.valueSpan.end);
  });
});

describe('parseXml: typographic quotes (seed 003)', () => {
  const text = [
    '<beans',
    'xmlns=”http://www.springframework.org/schema/beans”',
    'xmlns:xsi=”http://www.w3.org/2001/XMLSchema-instance”',
    'xsi:schemaLocation=”http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd',
    'http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd”>',
    '<broker xmlns=”http://activemq.apache.org/schema/core” brokerName=”broker1” dataDirectory=”${activemq.data}/data”>',
    '<destinationPolicy><policyMap><policyEntries>',
    '<policyEntry topic=”>” >',
    '<pendingMessageLimitStrategy>',
    '<constantPendingMessageLimitStrategy limit=”1000″/>',
    '</pendingMessageLimitStrategy>',
    '</policyEntry>',
    '</policyEntries></policyMap></destinationPolicy>',
    '<managementContext>',
    '<managementContext createConnector=”true” connectorPort=”1100“/>',
    '</managementContext>',
    '<transportConnectors>',
    '<transportConnector name=”openwire” uri=”tcp://0.0.0.0:61616?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600″/>',
    '</transportConnectors>',
    '</broker>',
    '</beans>',
  ].join('\n');

  it('recovers every attribute with one diagnostic per attribute', () => {
    const doc = parseXml(text);
    assert.ok(doc.diagnostics.every((d) => d.kind === 'typographic-quote'), JSON.stringify(kinds(doc)));
    assert.strictEqual(doc.diagnostics.length, 12);
    assert.strictEqual(doc.roots.length, 1);
    const beans = doc.roots[0];
    assert.strictEqual(attr(beans, 'xmlns').value, 'http://www.springframework.org/schema/beans');
    assert.strictEqual(attr(beans, 'xmlns').quote, 'typographic');
    assert.ok(attr(beans, 'xsi:schemaLocation').value.endsWith('activemq-core.xsd'));
    const broker = find(doc, 'broker');
    assert.strictEqual(broker.parent, beans);
    assert.deepStrictEqual(
      broker.attributes.map((a) => [a.name, a.value]),
      [
        ['xmlns', 'http://activemq.apache.org/schema/core'],
        ['brokerName', 'broker1'],
        ['dataDirectory', '${activemq.data}/data'],
      ],
    );
    assert.deepStrictEqual(attr(broker, 'brokerName').valueSpan, span(text, 'broker1'));
    assert.strictEqual(attr(find(doc, 'policyEntry'), 'topic').value, '>');
    assert.strictEqual(attr(find(doc, 'constantPendingMessageLimitStrategy'), 'limit').value, '1000');
    assert.strictEqual(attr(find(doc, 'managementContext', 1), 'connectorPort').value, '1100');
    assert.strictEqual(
      attr(find(doc, 'transportConnector'), 'uri').value,
      'tcp://0.0.0.0:61616?maximumConnections=1000&wireFormat.maxFrameSize=104857600',
    );
    checkInvariants(text, doc);
  });

  it('points at the opening quote and names the code points', () => {
    const doc = parseXml(text);
    const d = doc.diagnostics.find((x) => x.message.startsWith("Attribute 'brokerName'")) as XmlDiagnostic;
    const open = at(text, '”broker1');
    assert.deepStrictEqual(d.span, { start: open, end: open + 1 });
    assert.ok(
      d.message.startsWith(
        `Attribute 'brokerName' is quoted with typographic quotes (” U+201D); XML needs straight quotes (") — this usually comes from copying a blog page.`,
      ),
      d.message,
    );
    assert.deepStrictEqual(d.fix, {
      title: `Replace the typographic quotes with '"'`,
      edits: [
        { span: { start: open, end: open + 1 }, newText: '"' },
        { span: { start: open + 8, end: open + 9 }, newText: '"' },
      ],
    });
    const limit = doc.diagnostics.find((x) => x.message.startsWith("Attribute 'limit'")) as XmlDiagnostic;
    assert.match(limit.message, /\(” U\+201D and ″ U\+2033\)/);
    const port = doc.diagnostics.find((x) => x.message.startsWith("Attribute 'connectorPort'")) as XmlDiagnostic;
    assert.match(port.message, /\(” U\+201D and “ U\+201C\)/);
  });

  it('produces a clean document once all fixes are applied', () => {
    const fixed = applyAllFixes(text, parseXml(text));
    const doc = parseXml(fixed);
    assert.deepStrictEqual(doc.diagnostics, []);
    assert.strictEqual(attr(find(doc, 'broker'), 'brokerName').value, 'broker1');
    assert.strictEqual(attr(find(doc, 'policyEntry'), 'topic').value, '>');
  });

  it('handles a straight closing quote and a missing closing quote', () => {
    const t = '<a x=”one" y=„two z="3"/>';
    const doc = parseXml(t);
    assert.deepStrictEqual(kinds(doc), ['typographic-quote', 'typographic-quote']);
    const [x, y, z] = doc.roots[0].attributes;
    assert.strictEqual(x.value, 'one');
    assert.strictEqual(y.value, 'two');
    assert.deepStrictEqual(y.valueSpan, span(t, 'two'));
    assert.strictEqual(z.value, '3');
    assert.deepStrictEqual(doc.diagnostics[0].fix?.edits, [{ span: { start: at(t, '”'), end: at(t, '”') + 1 }, newText: '"' }]);
    assert.match(doc.diagnostics[1].message, /\(„ U\+201E\).*closing quote is missing/);
    assert.deepStrictEqual(doc.diagnostics[1].fix?.edits, [
      { span: { start: at(t, '„'), end: at(t, '„') + 1 }, newText: '"' },
      { span: { start: at(t, 'two') + 3, end: at(t, 'two') + 3 }, newText: '"' },
    ]);
    assert.deepStrictEqual(parseXml(applyAllFixes(t, doc)).diagnostics, []);
  });
});

describe('parseXml: typographic comments (seed 003)', () => {
  it('treats <!– ... –> as a comment and offers to straighten both dashes', () => {
    const text = '<!–\nThe <broker> element is used to configure the ActiveMQ broker.\n–>\n<beans><!— em –><a/></beans>';
    const doc = parseXml(text);
    assert.deepStrictEqual(kinds(doc), ['typographic-comment', 'typographic-comment']);
    assert.strictEqual(doc.roots.length, 1);
    assert.deepStrictEqual(
      doc.roots[0].children.map((c) => c.name),
      ['a'],
    );
    const [d1, d2] = doc.diagnostics;
    assert.deepStrictEqual(d1.span, { start: 0, end: 3 });
    assert.match(d1.message, /en dash \(U\+2013\)/);
    assert.match(d1.message, /<!-- \.\.\. -->/);
    assert.deepStrictEqual(d1.fix?.edits, [
      { span: { start: 2, end: 3 }, newText: '--' },
      { span: { start: at(text, '–>'), end: at(text, '–>') + 1 }, newText: '--' },
    ]);
    assert.deepStrictEqual(d2.span, span(text, '<!—'));
    assert.match(d2.message, /em dash \(U\+2014\)/);
    const fixed = applyAllFixes(text, doc);
    assert.strictEqual(fixed, '<!--\nThe <broker> element is used to configure the ActiveMQ broker.\n-->\n<beans><!-- em --><a/></beans>');
    assert.deepStrictEqual(parseXml(fixed).diagnostics, []);
  });

  it('ends a typographic comment at whichever of –> or --> comes first', () => {
    const text = '<r><!– one --> <a/> <!– two –></r>';
    const doc = parseXml(text);
    assert.deepStrictEqual(kinds(doc), ['typographic-comment', 'typographic-comment']);
    assert.deepStrictEqual(doc.diagnostics[0].fix?.edits, [{ span: { start: 5, end: 6 }, newText: '--' }]);
    assert.deepStrictEqual(
      doc.roots[0].children.map((c) => c.name),
      ['a'],
    );
  });

  it('parses the whole blog copy of seed 003 into the expected model', () => {
    const lines = [
      '<!–',
      'Licensed to the Apache Software Foundation (ASF) under one or more',
      '(the “License”); you may not use this file except in compliance with',
      '–>',
      '<!– START SNIPPET: example –>',
      '<beans',
      'xmlns=”http://www.springframework.org/schema/beans”>',
      '<bean class=”org.springframework.beans.factory.config.PropertyPlaceholderConfigurer”>',
      '<property name=”locations”>',
      '<value>file:${activemq.conf}/credentials.properties</value>',
      '</property>',
      '</bean>',
      '<!–',
      'The <broker> element is used to configure the ActiveMQ broker.',
      '–>',
      '<broker xmlns=”http://activemq.apache.org/schema/core” brokerName=”broker1” dataDirectory=”${activemq.data}/data”>',
      '<persistenceAdapter>',
      '<kahaDB directory=”/data/data“/>',
      '</persistenceAdapter>',
      '</broker>',
      '<import resource=”jetty.xml”/>',
      '</beans>',
      '<!– END SNIPPET: example –>',
    ];
    const text = lines.join('\n');
    const doc = parseXml(text);
    const counts: Record<string, number> = {};
    for (const d of doc.diagnostics) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
    assert.deepStrictEqual(counts, { 'typographic-comment': 4, 'typographic-quote': 8 });
    assert.strictEqual(find(doc, 'value').text, 'file:${activemq.conf}/credentials.properties');
    assert.strictEqual(attr(find(doc, 'kahaDB'), 'directory').value, '/data/data');
    assert.deepStrictEqual(parseXml(applyAllFixes(text, doc)).diagnostics, []);
  });
});

describe('parseXml: comment inside a start tag (seed 001)', () => {
  const text = [
    '<persistenceAdapter>',
    '\t<!--<kahaDB directory="${activemq.data}/kahadb"/>-->',
    '\t<replicatedLevelDB',
    '\t\tdirectory="${activemq.data}/storedb"',
    '\t\treplicas="3"  <!-- 副本数量 -->',
    '\t\tbind="tcp://127.0.0.1:61600"  <!-- 通信端口 -->',
    '\t\tzkAddress="182.61.34.13:2181" <!-- zk地址，多个逗号分隔 --> ',
    '\t\thostname="mq01"     <!-- 对应各自的hostname -->',
    '\t\tzkPath="/activemq/mqstores"  <!-- 关于ActiveMQ的zk目录 -->',
    '\t/>',
    '</persistenceAdapter>',
  ].join('\n');

  it('reports each comment and keeps every attribute on the element', () => {
    const doc = parseXml(text);
    assert.deepStrictEqual(kinds(doc), Array(5).fill('comment-in-tag'));
    const d = doc.diagnostics[0];
    assert.deepStrictEqual(d.span, span(text, '<!-- 副本数量 -->'));
    assert.strictEqual(
      d.message,
      "A comment cannot appear inside the start tag of <replicatedLevelDB>: move it after the tag's closing '>'.",
    );
    const tagEnd = at(text, '\t/>') + 3;
    assert.deepStrictEqual(d.fix?.edits, [
      { span: { start: at(text, '  <!-- 副本数量 -->'), end: at(text, '  <!-- 副本数量 -->') + '  <!-- 副本数量 -->'.length }, newText: '' },
      { span: { start: tagEnd, end: tagEnd }, newText: ' <!-- 副本数量 -->' },
    ]);
    const el = find(doc, 'replicatedLevelDB');
    assert.strictEqual(el.selfClosing, true);
    assert.strictEqual(el.startTagEnd, tagEnd);
    assert.deepStrictEqual(
      el.attributes.map((a) => [a.name, a.value]),
      [
        ['directory', '${activemq.data}/storedb'],
        ['replicas', '3'],
        ['bind', 'tcp://127.0.0.1:61600'],
        ['zkAddress', '182.61.34.13:2181'],
        ['hostname', 'mq01'],
        ['zkPath', '/activemq/mqstores'],
      ],
    );
    assert.deepStrictEqual(attr(el, 'bind').valueSpan, span(text, 'tcp://127.0.0.1:61600'));
    assert.strictEqual(doc.roots[0].children.length, 1);
    assert.strictEqual(doc.roots[0].end, text.length);
  });

  it('yields a well-formed document with all fixes applied', () => {
    const fixed = applyAllFixes(text, parseXml(text));
    const doc = parseXml(fixed);
    assert.deepStrictEqual(doc.diagnostics, []);
    assert.strictEqual(find(doc, 'replicatedLevelDB').attributes.length, 6);
    assert.ok(fixed.includes('/> <!-- 副本数量 --> <!-- 通信端口 -->'));
  });

  it('keeps a separating space when the comment glues two attributes', () => {
    const t = '<a x="1"<!--c-->y="2">';
    const doc = parseXml(t);
    assert.deepStrictEqual(kinds(doc), ['comment-in-tag', 'unclosed-element']);
    assert.deepStrictEqual(
      doc.roots[0].attributes.map((a) => a.name),
      ['x', 'y'],
    );
    assert.deepStrictEqual(doc.diagnostics[0].fix?.edits, [
      { span: { start: 8, end: 16 }, newText: ' ' },
      { span: { start: t.length, end: t.length }, newText: ' <!--c-->' },
    ]);
  });

  it('moves a typographic comment inside a tag as a proper comment', () => {
    const t = '<a x="1" <!– c –>/>';
    const doc = parseXml(t);
    const d = only(doc, 'comment-in-tag');
    assert.deepStrictEqual(d.span, span(t, '<!– c –>'));
    assert.strictEqual(applyAllFixes(t, doc), '<a x="1"/> <!-- c -->');
  });
});

// ---------------------------------------------------------------------------------------
// other diagnostics
// ---------------------------------------------------------------------------------------

describe('parseXml: attribute problems', () => {
  it('unquoted attribute value', () => {
    const t = '<property name="port" value=8161/>';
    const doc = parseXml(t);
    const d = only(doc, 'unquoted-attribute');
    assert.deepStrictEqual(d.span, span(t, '8161'));
    assert.match(d.message, /must be quoted: write value="8161"/);
    const v = attr(doc.roots[0], 'value');
    assert.strictEqual(v.value, '8161');
    assert.strictEqual(v.quote, 'none');
    assert.deepStrictEqual(v.valueSpan, span(t, '8161'));
    assert.strictEqual(doc.roots[0].selfClosing, true);
    assert.strictEqual(applyAllFixes(t, doc), '<property name="port" value="8161"/>');
  });

  it('duplicate attribute is reported at the second name', () => {
    const t = '<broker brokerName="a" persistent="false" brokerName="b"/>';
    const doc = parseXml(t);
    const d = only(doc, 'duplicate-attribute');
    assert.deepStrictEqual(d.span, span(t, 'brokerName', 1));
    assert.match(d.message, /Attribute "brokerName" was already specified for element "broker"/);
    assert.strictEqual(doc.roots[0].attributes.length, 3);
  });

  it('duplicate attribute among many attributes', () => {
    const names = Array.from({ length: 40 }, (_, k) => `a${k}="${k}"`);
    names.push('a17="again"');
    const t = `<x ${names.join(' ')}/>`;
    const d = only(parseXml(t), 'duplicate-attribute');
    assert.deepStrictEqual(d.span, { start: at(t, 'a17="again"'), end: at(t, 'a17="again"') + 3 });
  });

  it('a missing closing quote before the end of the tag', () => {
    const t = [
      '<persistenceAdapter>',
      '  <kahaDB directory="${activemq.data}/kahadb/>',
      '</persistenceAdapter>',
      '<x a="1"/>',
    ].join('\n');
    const doc = parseXml('<beans>' + t + '</beans>');
    const d = doc.diagnostics[0];
    assert.deepStrictEqual(kinds(doc), ['unterminated']);
    assert.strictEqual(d.span.start, 7 + at(t, '"${activemq'));
    assert.strictEqual(attr(find(doc, 'kahaDB'), 'directory').value, '${activemq.data}/kahadb');
    assert.strictEqual(find(doc, 'kahaDB').selfClosing, true);
    assert.strictEqual(find(doc, 'x').parent, doc.roots[0]);
  });

  it("'<' in an attribute value is malformed", () => {
    const t = '<a x="1 < 2"/>';
    const doc = parseXml(t);
    const d = only(doc, 'malformed');
    assert.deepStrictEqual(d.span, span(t, '<', 1));
    assert.match(d.message, /must not contain the '<' character/);
    assert.strictEqual(doc.roots[0].attributes[0].value, '1 < 2');
  });

  it('missing whitespace between attributes', () => {
    const t = '<a x="1"y="2"/>';
    const doc = parseXml(t);
    const d = only(doc, 'malformed');
    assert.deepStrictEqual(d.span, span(t, 'y'));
    assert.match(d.message, /'x' and 'y' on <a> must be separated by whitespace/);
    assert.deepStrictEqual(
      doc.roots[0].attributes.map((a) => a.value),
      ['1', '2'],
    );
    assert.strictEqual(applyAllFixes(t, doc), '<a x="1" y="2"/>');
  });

  it("'=' without a value, a name without '=' and a missing '='", () => {
    const t = '<a x= y="2" flag z"3"/>';
    const doc = parseXml(t);
    assert.deepStrictEqual(kinds(doc), ['malformed', 'malformed', 'malformed']);
    assert.deepStrictEqual(doc.diagnostics[0].span, span(t, '='));
    assert.match(doc.diagnostics[0].message, /'x' on <a> has '=' but no value/);
    assert.deepStrictEqual(doc.diagnostics[1].span, span(t, 'flag'));
    assert.match(doc.diagnostics[1].message, /'flag' on <a> has no value/);
    assert.deepStrictEqual(doc.diagnostics[2].span, span(t, 'z'));
    assert.match(doc.diagnostics[2].message, /missing '='/);
    assert.deepStrictEqual(
      doc.roots[0].attributes.map((a) => [a.name, a.value]),
      [
        ['x', ''],
        ['y', '2'],
        ['flag', ''],
        ['z', '3'],
      ],
    );
    assert.deepStrictEqual(doc.roots[0].attributes[0].valueSpan, { start: 5, end: 5 });
  });

  it('junk characters in a tag are skipped', () => {
    const t = '<a x="1" $% y="2" "orphan" />';
    const doc = parseXml(t);
    assert.deepStrictEqual(kinds(doc), ['malformed', 'malformed']);
    assert.deepStrictEqual(doc.diagnostics[0].span, span(t, '$%'));
    assert.deepStrictEqual(doc.diagnostics[1].span, span(t, '"orphan"'));
    assert.deepStrictEqual(
      doc.roots[0].attributes.map((a) => a.name),
      ['x', 'y'],
    );
    assert.strictEqual(doc.roots[0].selfClosing, true);
  });

  it('a no-break space inside a tag', () => {
    const t = '<broker\u00a0brokerName="b"/>';
    const doc = parseXml(t);
    const d = only(doc, 'invalid-character');
    assert.deepStrictEqual(d.span, { start: 7, end: 8 });
    assert.match(d.message, /U\+00A0/);
    assert.strictEqual(attr(doc.roots[0], 'brokerName').value, 'b');
  });
});

describe('parseXml: structure problems', () => {
  it('unclosed elements at end of file', () => {
    const t = '<beans>\n  <broker brokerName="b">\n    <x/>';
    const doc = parseXml(t);
    assert.deepStrictEqual(kinds(doc), ['unclosed-element', 'unclosed-element']);
    assert.deepStrictEqual(doc.diagnostics[0].span, span(t, 'beans'));
    assert.deepStrictEqual(doc.diagnostics[1].span, span(t, 'broker'));
    assert.match(doc.diagnostics[1].message, /<broker> is never closed: add <\/broker>/);
    assert.strictEqual(find(doc, 'broker').end, t.length);
    assert.strictEqual(find(doc, 'x').parent, find(doc, 'broker'));
  });

  it('mismatched end tag closes up to the matching open element', () => {
    const t = '<beans><broker><a></broker><b/></beans>';
    const doc = parseXml(t);
    const d = only(doc, 'mismatched-end-tag');
    assert.deepStrictEqual(d.span, span(t, 'broker', 1));
    assert.match(d.message, /End tag <\/broker> does not match the open element <a>/);
    assert.deepStrictEqual(d.fix?.edits, [{ span: { start: at(t, '</broker>'), end: at(t, '</broker>') }, newText: '</a>' }]);
    const a = find(doc, 'a');
    assert.strictEqual(a.end, at(t, '</broker>'));
    assert.strictEqual(find(doc, 'broker').end, at(t, '<b/>'));
    assert.strictEqual(find(doc, 'b').parent, doc.roots[0]);
    assert.strictEqual(doc.roots[0].end, t.length);
  });

  it('an end tag with no open element of that name is ignored', () => {
    const t = '<beans><broker></brokr></broker></beans>';
    const doc = parseXml(t);
    const d = only(doc, 'unexpected-end-tag');
    assert.deepStrictEqual(d.span, span(t, 'brokr'));
    assert.match(d.message, /<\/brokr> has no matching start tag: the open element here is <broker>/);
    assert.strictEqual(find(doc, 'broker').end, at(t, '</beans>'));
  });

  it('unterminated comment, CDATA, start tag and attribute value', () => {
    const c = '<a><!-- never closed';
    let d = parseXml(c).diagnostics;
    assert.deepStrictEqual(
      d.map((x) => x.kind),
      ['unterminated', 'unclosed-element'],
    );
    assert.deepStrictEqual(d[0].span, span(c, '<!--'));

    const cd = '<a><![CDATA[ x';
    d = parseXml(cd).diagnostics;
    assert.strictEqual(d[0].kind, 'unterminated');
    assert.deepStrictEqual(d[0].span, span(cd, '<![CDATA['));
    assert.strictEqual(parseXml(cd).roots[0].text, ' x');

    const st = '<a><b x="1"';
    d = parseXml(st).diagnostics;
    assert.deepStrictEqual(
      d.map((x) => x.kind),
      ['unterminated', 'unclosed-element'],
    );
    assert.deepStrictEqual(d[0].span, span(st, 'b'));
    assert.strictEqual(find(parseXml(st), 'b').attributes[0].value, '1');

    const av = '<a x="1/>';
    const doc = parseXml(av);
    d = doc.diagnostics;
    assert.deepStrictEqual(kinds(doc), ['unterminated']);
    assert.deepStrictEqual(d[0].span, { start: 5, end: 6 });
    assert.match(d[0].message, /the closing " seems to be missing before '\/>'/);
    assert.strictEqual(doc.roots[0].attributes[0].raw, '1');
    assert.strictEqual(doc.roots[0].selfClosing, true);
    assert.strictEqual(applyAllFixes(av, doc), '<a x="1"/>');

    const eof = '<a x="never closed';
    assert.deepStrictEqual(kinds(parseXml(eof)), ['unterminated', 'unterminated']);
    assert.strictEqual(parseXml(eof).roots[0].attributes[0].value, 'never closed');

    const nt = '<a>\n<b x="1"\n<c/></a>';
    const d2 = parseXml(nt);
    assert.deepStrictEqual(kinds(d2), ['unterminated']);
    assert.deepStrictEqual(
      d2.roots[0].children.map((x) => x.name),
      ['b', 'c'],
    );
  });

  it('text after the root element and a second root element', () => {
    const t = '<beans/>\noops\n<second/>';
    const doc = parseXml(t);
    assert.deepStrictEqual(kinds(doc), ['malformed', 'malformed']);
    assert.deepStrictEqual(doc.diagnostics[0].span, span(t, 'oops'));
    assert.match(doc.diagnostics[0].message, /only one root element is allowed/);
    assert.deepStrictEqual(doc.diagnostics[1].span, span(t, 'second'));
    assert.match(doc.diagnostics[1].message, /Only one root element is allowed/);
    assert.strictEqual(doc.roots.length, 2);
  });

  it('text before the root element', () => {
    const t = 'node1全配置\n<beans/>';
    const d = only(parseXml(t), 'malformed');
    assert.deepStrictEqual(d.span, span(t, 'node1全配置'));
    assert.match(d.message, /Content is not allowed in prolog/);
  });

  it("'--' inside a comment", () => {
    const t = '<a><!-- a -- b --></a>';
    const d = only(parseXml(t), 'malformed');
    assert.deepStrictEqual(d.span, { start: 10, end: 12 });
  });

  it("a stray '<' in text", () => {
    const t = '<a>1 < 2</a>';
    const doc = parseXml(t);
    const d = only(doc, 'malformed');
    assert.deepStrictEqual(d.span, { start: 5, end: 6 });
    assert.strictEqual(doc.roots[0].text, '1 < 2');
    assert.strictEqual(applyAllFixes(t, doc), '<a>1 &lt; 2</a>');
  });

  it('an XML declaration that is not at the very start', () => {
    const t = '\n\n<?xml version="1.0"?>\n<a/>';
    const doc = parseXml(t);
    const d = only(doc, 'malformed');
    assert.deepStrictEqual(d.span, span(t, '<?xml'));
    assert.match(d.message, /processing instruction target matching/);
    assert.strictEqual(applyAllFixes(t, doc), '<?xml version="1.0"?>\n<a/>');
  });

  it('a malformed XML declaration (typographic quotes from a blog)', () => {
    const t = '<?xml version=”1.0” encoding=”GBK”?>\n<beans/>';
    const doc = parseXml(t);
    const d = only(doc, 'malformed');
    assert.deepStrictEqual(d.span, span(t, '<?xml version=”1.0” encoding=”GBK”?>'));
    assert.match(d.message, /'version' is quoted with typographic quotes \(” U\+201D\)/);
    assert.strictEqual(applyAllFixes(t, doc), '<?xml version="1.0" encoding="GBK"?>\n<beans/>');
    assert.deepStrictEqual(kinds(parseXml('<?xml encoding="UTF-8"?><a/>')), ['malformed']);
    assert.deepStrictEqual(kinds(parseXml('<?xml version="1.0" encoding="UTF-8"<?><a/>')), ['malformed']);
    assert.deepStrictEqual(parseXml("<?xml version='1.0' encoding='ISO-8859-1' standalone='yes' ?><a/>").diagnostics, []);
  });

  it("']]>' in text", () => {
    const t = '<a>x ]]> y ]] z</a>';
    const doc = parseXml(t);
    const d = only(doc, 'malformed');
    assert.deepStrictEqual(d.span, span(t, ']]>'));
    assert.strictEqual(applyAllFixes(t, doc), '<a>x ]]&gt; y ]] z</a>');
  });

  it('control characters are invalid', () => {
    const t = '<a>x\u0001\u0002y</a>';
    const doc = parseXml(t);
    const d = only(doc, 'invalid-character');
    assert.deepStrictEqual(d.span, { start: 4, end: 6 });
    assert.match(d.message, /U\+0001/);
  });

  it('caps the number of diagnostics and says how many were suppressed', () => {
    const t = `<a>${'x & y '.repeat(500)}</a>`;
    const doc = parseXml(t);
    assert.strictEqual(doc.diagnostics.length, MAX_DIAGNOSTICS + 1);
    const last = doc.diagnostics[MAX_DIAGNOSTICS];
    assert.strictEqual(last.kind, 'malformed');
    assert.match(last.message, /^400 more XML problem\(s\)/);
    const firstSuppressed = t.indexOf('&', doc.diagnostics[MAX_DIAGNOSTICS - 1].span.start + 1);
    assert.strictEqual(last.span.start, firstSuppressed);
  });
});

// ---------------------------------------------------------------------------------------
// hostile input
// ---------------------------------------------------------------------------------------

describe('parseXml: hostile input', () => {
  it('never resolves external entities (XXE)', () => {
    const t =
      '<?xml version="1.0"?>\n<!DOCTYPE beans [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n  <!-- ] > -->\n  <!ENTITY q "a]>b">\n]>\n' +
      '<beans><bean id="&xxe;">&xxe;</bean></beans>';
    const doc = parseXml(t);
    assert.deepStrictEqual(doc.diagnostics, []);
    assert.strictEqual(doc.roots.length, 1);
    const bean = find(doc, 'bean');
    assert.strictEqual(attr(bean, 'id').value, '&xxe;');
    assert.strictEqual(bean.text, '&xxe;');
    assert.ok(!JSON.stringify(bean.text).includes('root:'));
  });

  it('a billion-laughs internal subset costs nothing', () => {
    const decls = ['<!ENTITY lol "lol">'];
    for (let k = 1; k <= 9; k++) decls.push(`<!ENTITY lol${k} "${`&lol${k === 1 ? '' : k - 1};`.repeat(10)}">`);
    const t = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${decls.join('\n')}\n]>\n<lolz a="&lol9;">&lol9;</lolz>`;
    const t0 = process.hrtime.bigint();
    const doc = parseXml(t);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 50, `took ${ms} ms`);
    assert.deepStrictEqual(doc.diagnostics, []);
    assert.strictEqual(doc.roots[0].text, '&lol9;');
    assert.strictEqual(doc.roots[0].attributes[0].value, '&lol9;');
  });

  it('an unterminated DOCTYPE does not hang', () => {
    const doc = parseXml('<!DOCTYPE x [ <!ENTITY a "');
    assert.deepStrictEqual(kinds(doc), ['unterminated']);
  });

  it('200k-deep nesting without stack overflow', () => {
    const depth = 200_000;
    const t = '<a>'.repeat(depth) + '</a>'.repeat(depth);
    const doc = parseXml(t);
    assert.deepStrictEqual(doc.diagnostics, []);
    let el = doc.roots[0];
    let d = 1;
    while (el.children.length > 0) {
      el = el.children[0];
      d++;
    }
    assert.strictEqual(d, depth);
    assert.strictEqual(el.end, depth * 3 + 4);

    const unclosed = parseXml('<a>'.repeat(depth));
    assert.strictEqual(unclosed.diagnostics.length, MAX_DIAGNOSTICS + 1);
    assert.ok(unclosed.diagnostics.slice(0, MAX_DIAGNOSTICS).every((x) => x.kind === 'unclosed-element'));

    const stray = parseXml('<a>'.repeat(depth) + '</b>'.repeat(depth));
    assert.strictEqual(stray.diagnostics.length, MAX_DIAGNOSTICS + 1);
  });

  it('stray end tags inside deep nesting stay linear', () => {
    const depth = 100_000;
    const t0 = process.hrtime.bigint();
    const interleaved = parseXml('<r>' + '<c></x>'.repeat(depth));
    const closing = parseXml('<a>'.repeat(depth) + '<b></a>'.repeat(depth));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 1500, `took ${ms} ms`);
    assert.strictEqual(interleaved.diagnostics[0].kind, 'unexpected-end-tag');
    assert.strictEqual(closing.diagnostics[0].kind, 'mismatched-end-tag');
    assert.strictEqual(closing.diagnostics.length, MAX_DIAGNOSTICS + 1);
  });

  it('random binary junk never throws', () => {
    const r = rng(42);
    const alphabet = '<>/="\'&;!?-[]#x:aZ \n\r\t”“–—\u00a0\u0000\ud800\udc00😀';
    for (let iter = 0; iter < 300; iter++) {
      const len = Math.floor(r() * 2000);
      let s = '';
      for (let k = 0; k < len; k++) {
        s += r() < 0.5 ? alphabet[Math.floor(r() * alphabet.length)] : String.fromCharCode(Math.floor(r() * 0x10000));
      }
      const doc = parseXml(s);
      checkInvariants(s, doc);
    }
    // bytes read as latin1
    const bytes = Buffer.alloc(100_000);
    for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(r() * 256);
    const s = bytes.toString('latin1');
    checkInvariants(s, parseXml(s));
  });

  it('mutated real configs keep the invariants', () => {
    const base = activemqXml();
    const r = rng(7);
    const inserts = ['<', '>', '"', "'", '&', '”', '<!--', '-->', '<!–', '/>', '</a>', '<a ', '=', '\u0000', ' '];
    for (let iter = 0; iter < 400; iter++) {
      let s = base;
      const edits = 1 + Math.floor(r() * 4);
      for (let k = 0; k < edits; k++) {
        const p = Math.floor(r() * s.length);
        if (r() < 0.5) s = s.slice(0, p) + s.slice(p + 1 + Math.floor(r() * 5));
        else s = s.slice(0, p) + inserts[Math.floor(r() * inserts.length)] + s.slice(p);
      }
      checkInvariants(s, parseXml(s));
    }
  });

  it('a 5 MB generated file parses in well under a second', () => {
    const one = activemqXml();
    const parts: string[] = ['<?xml version="1.0"?>\n<clusters>\n'];
    let size = 0;
    let k = 0;
    while (size < 5 * 1024 * 1024) {
      const body = one.slice(one.indexOf('<beans'), one.indexOf('<!-- END SNIPPET')).replace('brokerName="localhost"', `brokerName="b${k++}"`);
      parts.push(body);
      size += body.length;
    }
    parts.push('</clusters>\n');
    const t = parts.join('');
    parseXml(t); // warm-up
    const t0 = process.hrtime.bigint();
    const doc = parseXml(t);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 1000, `took ${ms} ms`);
    assert.deepStrictEqual(doc.diagnostics, []);
    assert.strictEqual(doc.roots[0].children.length, k);
    assert.strictEqual(attr(find(doc, 'broker', k - 1), 'brokerName').value, `b${k - 1}`);
  });

  it('a 5 MB attribute value and 5 MB of text', () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const d1 = parseXml(`<a v="${big}"/>`);
    assert.strictEqual(d1.roots[0].attributes[0].value.length, big.length);
    const d2 = parseXml(`<a>${big}</a>`);
    assert.strictEqual(d2.roots[0].text.length, big.length);
    const d3 = parseXml(`<a v="${'&'.repeat(200_000)}"/>`);
    assert.strictEqual(d3.diagnostics.length, MAX_DIAGNOSTICS + 1);
    const d4 = parseXml('<a x="1" ' + 'y=”'.repeat(100_000));
    checkInvariants('<a x="1" ' + 'y=”'.repeat(100_000), d4);
  });
});
