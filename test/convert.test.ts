/** Core findings -> LSP diagnostics: tags are carried (Deprecated renders the range struck through). */
import * as assert from 'node:assert/strict';
import { analyze } from '../server/src/core/analyze';
import { Ranges, toDiagnostic, type UriResolver } from '../server/src/lsp/convert';

describe('LSP conversion', () => {
  it('carries the Deprecated tag of a LevelDB store on ActiveMQ 5.9-5.16 (DiagnosticTag.Deprecated = 2), and none elsewhere', () => {
    const files = new Map([
      ['mq/conf/activemq.xml', '<broker xmlns="http://activemq.apache.org/schema/core" brokerName="b"><persistenceAdapter><levelDB directory="/data/leveldb"/></persistenceAdapter></broker>\n'],
    ]);
    const r: UriResolver = { uri: (f) => `file:///w/${f}`, text: (f) => files.get(f), docUrl: () => undefined };
    const tagsOf = (v: string | undefined) => analyze(files, { activemqVersion: v }).findings.filter((f) => f.code === 'leveldb-unsupported').map((f) => toDiagnostic(f, r, new Ranges(r))).map((d) => [d.severity, d.tags]);
    assert.deepEqual(tagsOf('5.15.9'), [[3, [2]]]);
    assert.deepEqual(tagsOf('5.17.2'), [[1, undefined]]);
    assert.deepEqual(tagsOf(undefined), [[3, undefined]]);
  });
});
