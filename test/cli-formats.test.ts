/**
 * The formats CI systems read: SARIF 2.1.0 validated against the official schema (shipped in
 * @microsoft/jest-sarif) with formats checked, GitHub workflow commands, JUnit XML; and the noise
 * cap (repetitive findings summarised) as every format shows it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { RULES } from '../server/src/core/rules';
import { MAX_REPEATED_PER_FILE } from '../server/src/core/bounds';
import { escapeGithubData, escapeGithubProperty } from '../server/src/cli/format';
import { ROOT, cleanTemp, cli, tempDir, writeFiles } from './cli-util';

const SARIF_SCHEMA = path.join(ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

function sarifValidator(): import('ajv').ValidateFunction {
  // the official schema is draft-04; its `language` pattern is not a valid Unicode-mode regular expression
  const ajv = new Ajv04({ allErrors: true, strict: false, validateFormats: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8')));
}

/** A blog-pasted activemq.xml: every attribute quoted with curly quotes. */
function curly(attrs: number): string {
  const entries = Array.from({ length: attrs }, (_, i) => `      <policyEntry queue=\u201cQ${i}\u201d/>`).join('\n');
  return `<beans>\n  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="b1">\n    <destinationPolicy><policyMap><policyEntries>\n${entries}\n    </policyEntries></policyMap></destinationPolicy>\n  </broker>\n</beans>\n`;
}

describe('amq-cluster-lint formats', () => {
  after(cleanTemp);

  it('SARIF of the example workspace validates against the official 2.1.0 schema, formats checked', () => {
    const r = cli(['--format', 'sarif', 'examples']);
    assert.equal(r.code, 1, r.stderr);
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    assert.ok(validate(log as unknown), JSON.stringify(validate.errors, null, 1));
    const run = log.runs[0];
    // what the Multitool's rules and code scanning need beyond the schema
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, 'file://' + ROOT.split(path.sep).join('/') + '/');
    assert.ok(run.results.length >= 5);
    for (const res of run.results) {
      const loc = res.locations[0].physicalLocation.artifactLocation;
      assert.equal(loc.uriBaseId, '%SRCROOT%');
      assert.ok(!/^[a-z]+:/.test(loc.uri) && !loc.uri.startsWith('/'), loc.uri);
      assert.ok(fs.existsSync(path.join(ROOT, decodeURIComponent(loc.uri))), loc.uri);
      assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.match(res.partialFingerprints['amqClusterFinding/v1'], /^[0-9a-f]{16}$/);
    }
    for (const rule of run.tool.driver.rules) {
      // the repository's page when package.json names a public repository, else the page shipped with the tool
      assert.match(rule.helpUri, /^(https:\/\/[^/]+\/.+|file:\/\/\/.+)\/docs\/rules\/[a-z0-9-]+\.md$/);
      assert.ok(rule.helpUri.endsWith(`/docs/rules/${rule.id}.md`));
      if (rule.helpUri.startsWith('file:')) assert.ok(fs.existsSync(fileURLToPath(rule.helpUri)), rule.helpUri);
      assert.doesNotMatch(rule.helpUri, /\.invalid\//, 'no placeholder address');
      // code scanning shows help.markdown as the rule's help: the doc page itself
      assert.ok(rule.help.markdown.startsWith('# '), rule.id);
      assert.ok(rule.help.markdown.includes(rule.id), rule.id);
    }
    assert.deepEqual(run.tool.driver.rules.map((x: { id: string }) => x.id), RULES.map((x) => x.meta.code));
  });

  it('the schema check fails a SARIF log with a relative helpUri or a relative base URI (the test can fail)', () => {
    const log = JSON.parse(cli(['--format', 'sarif', 'examples']).stdout);
    log.runs[0].tool.driver.rules[0].helpUri = 'docs/rules/x.md';
    const validate = sarifValidator();
    assert.equal(validate(log), false);
    assert.ok(validate.errors!.some((e) => e.instancePath.endsWith('/helpUri') && e.keyword === 'format'));
  });

  it('--format github writes one workflow command per finding, escaped', () => {
    const r = cli(['--format', 'github', 'examples']);
    assert.equal(r.code, 1);
    const json = JSON.parse(cli(['--format', 'json', 'examples']).stdout);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, json.length);
    lines.forEach((l, i) => {
      const f = json[i];
      const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
      assert.equal(
        l,
        `::${level} file=${f.file},line=${f.range.start.line + 1},col=${f.range.start.character + 1},endLine=${f.range.end.line + 1},endColumn=${f.range.end.character + 1},title=amq-cluster-lint ${f.code}::${escapeGithubData(f.message)}`,
      );
    });
    assert.equal(escapeGithubData('50%\r\nx'), '50%25%0D%0Ax');
    assert.equal(escapeGithubProperty('a:b,c'), 'a%3Ab%2Cc');
  });

  it('--format junit: a suite per file read, a failure per error, parseable XML', () => {
    const r = cli(['--format', 'junit', 'examples']);
    assert.equal(r.code, 1);
    const json = JSON.parse(cli(['--format', 'json', 'examples']).stdout);
    const errors = json.filter((f: { severity: string }) => f.severity === 'error').length;
    assert.match(r.stdout, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="amq-cluster-lint" tests="\d+" failures="(\d+)" errors="0">/);
    assert.equal(Number(/failures="(\d+)"/.exec(r.stdout)![1]), errors);
    assert.equal((r.stdout.match(/<failure /g) ?? []).length, errors);
    assert.equal((r.stdout.match(/<testsuite /g) ?? []).length, 13, 'one suite per file read');
    assert.ok(r.stdout.includes('<testsuite name="examples/myzookeeper/zk01/data/myid" tests="1" failures="0" errors="0">'));
    // well-formed: every element closes, no raw & or < in text
    const { parseXml } = require('../server/src/core/parse/xml') as typeof import('../server/src/core/parse/xml');
    assert.deepEqual(parseXml(r.stdout).diagnostics, []);
  });

  it(`summarises repetitive findings beyond ${MAX_REPEATED_PER_FILE} in every format; the summary carries their fixes`, () => {
    const dir = tempDir();
    writeFiles(dir, [['mq/conf/activemq.xml', curly(97)]]);
    const json = JSON.parse(cli(['--format', 'json', '.'], dir).stdout).filter((f: { code: string }) => f.code === 'xml-syntax');
    assert.equal(json.length, MAX_REPEATED_PER_FILE + 1);
    const summary = json[MAX_REPEATED_PER_FILE];
    assert.match(summary.message, /^… and 87 more typographic \(curly\) quotes in this file, not listed one by one; fix-all repairs them/);
    assert.equal(summary.related.length, 21);
    const sarif = JSON.parse(cli(['--format', 'sarif', '.'], dir).stdout).runs[0].results.filter((x: { ruleId: string }) => x.ruleId === 'xml-syntax');
    assert.equal(sarif.length, MAX_REPEATED_PER_FILE + 1);
    assert.equal(sarif[MAX_REPEATED_PER_FILE].message.text, summary.message);
    const text = cli(['.'], dir);
    assert.equal(text.stdout.split('\n').filter((l) => l.includes('xml-syntax')).length, MAX_REPEATED_PER_FILE + 1);
    assert.equal(cli(['--format', 'github', '.'], dir).stdout.split('\n').filter((l) => l.includes('xml-syntax')).length, MAX_REPEATED_PER_FILE + 1);
    // fix-all repairs all 97 in one pass
    const fixed = cli(['--fix', '--format', 'json', '.'], dir);
    assert.match(fixed.stderr, /Fixed 11 problems in 1 file;/, fixed.stderr);
    assert.ok(!fs.readFileSync(path.join(dir, 'mq/conf/activemq.xml'), 'utf8').match(/[\u201c\u201d]/));
    assert.deepEqual(JSON.parse(fixed.stdout).filter((f: { code: string }) => f.code === 'xml-syntax'), []);
    // at the limit (+1) nothing is summarised
    writeFiles(dir, [['mq/conf/activemq.xml', curly(MAX_REPEATED_PER_FILE + 1)]]);
    const few = JSON.parse(cli(['--format', 'json', '.'], dir).stdout).filter((f: { code: string }) => f.code === 'xml-syntax');
    assert.equal(few.length, MAX_REPEATED_PER_FILE + 1);
    assert.ok(few.every((f: { message: string }) => !f.message.startsWith('…')));
  });
});
