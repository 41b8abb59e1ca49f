/**
 * The Jinja2 subset (server/src/core/sources/jinja.ts): what it renders must be what Jinja2 renders
 * with Ansible's settings (trim_blocks, keep_trailing_newline, strict undefined), and what it
 * cannot be sure of must throw Unknowable, never render something else. The expected outputs were
 * produced by Jinja2 3.1 with those settings.
 */
import * as assert from 'node:assert/strict';
import { Unknowable, dictOf, num, parseTemplate, renderTemplate, str, undef, templateValue, type Val } from '../server/src/core/sources/jinja';

type Plain = string | number | boolean | null | Plain[] | { [k: string]: Plain };

function toVal(v: Plain): Val {
  if (Array.isArray(v)) return { k: 'list', v: v.map(toVal) };
  if (v === null) return { k: 'none' };
  if (typeof v === 'object') return dictOf(new Map(Object.entries(v).map(([k, x]) => [k, toVal(x)])));
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return { k: 'bool', v };
  return str(v);
}

function render(t: string, ctx: Record<string, Plain>): string {
  return renderTemplate(parseTemplate('t.j2', t), (n) => (n in ctx ? toVal(ctx[n]) : undef(n)))
    .map((p) => p.text)
    .join('');
}

const RENDERS: [string, Record<string, Plain>, string][] = [
  ["a={{ x }}\n{% if x == 1 %}one\n{% else %}other\n{% endif %}end\n", {"x": 1}, "a=1\none\nend\n"],
  ["{% for h in hosts %}\nserver.{{ loop.index }}={{ h }}:2888:3888\n{% endfor %}\n", {"hosts": ["a", "b", "c"]}, "server.1=a:2888:3888\nserver.2=b:2888:3888\nserver.3=c:2888:3888\n"],
  ["{% for h in hosts -%}\n  s.{{ loop.index0 }}={{ h }}\n{%- endfor %}\nX\n", {"hosts": ["a", "b"]}, "s.0=as.1=bX\n"],
  ["{{ hosts | join(',') }}|{{ hosts | length }}|{{ 'Ab' | upper }}{{ 'Ab' | lower }}|{{ y | default('d') }}|{{ '42' | int + 1 }}|{{ 7 | string }}\n", {"hosts": ["a", "b"]}, "a,b|2|ABab|d|43|7\n"],
  ["{% set p = 2180 %}{% for h in hosts %}{{ h }}:{{ p + loop.index }}{% if not loop.last %},{% endif %}{% endfor %}\n", {"hosts": ["a", "b", "c"]}, "a:2181,b:2182,c:2183"],
  ["{# comment #}\nk={{ hosts.index('b') + 1 }}\n{%+ if true %}\nkeep\n{% endif +%}\nz\n", {"hosts": ["a", "b"]}, "k=2\nkeep\n\nz\n"],
  ["{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}\n", {"d": {"a": 1, "b": "x"}}, "a=1;b=x;"],
  ["{{ 'x' if flag else 'y' }}|{{ n // 2 }}|{{ n % 4 }}|{{ 'a' ~ 1 ~ True }}|{{ none }}\n", {"flag": false, "n": 7}, "y|3|3|a1True|None\n"],
  ["  {% if true %}\n  indented\n  {% endif %}\nend", {}, "    indented\n  end"],
  ["{% raw %}{{ not rendered }}{% endraw %}\n{{ 'a:b:c'.split(':')[1] }}\n", {}, "{{ not rendered }}b\n"],
  ["{% for s in servers %}\n{% if s.host is defined %}\nserver.{{ s.id }}={{ s.host }}\n{% else %}\nserver.{{ loop.index }}={{ s }}\n{% endif %}\n{% endfor %}\n{{ 'zk1'.port | default(2181) }}|{{ servers[0]['host'] is defined }}\n", {"servers": ["a", {"id": 7, "host": "b"}]}, "server.1=a\nserver.7=b\n2181|False\n"],
];

const UNKNOWABLE: [string, Record<string, Plain>][] = [
  ['{{ missing }}', {}],
  ['{{ missing.attr }}', {}],
  ['{% if missing %}x{% endif %}', {}],
  ['{{ x | to_json }}', { x: 1 }],
  ['{{ x / 2 }}', { x: 4 }],
  ['{{ lookup("env", "HOME") }}', {}],
  ['{% macro m() %}x{% endmacro %}', {}],
  ['{% include "other.j2" %}', {}],
  ['{{ hosts }}', { hosts: ['a'] }],
  ['{{ hosts.index("z") }}', { hosts: ['a'] }],
  ['{% for h in hosts if h %}{{ h }}{% endfor %}', { hosts: ['a'] }],
  ['{{ x', { x: 1 }],
  ['{% if x %}unclosed', { x: 1 }],
  ['{% for i in range(1000000) %}{% endfor %}', {}],
];

describe('Jinja2 subset', () => {
  RENDERS.forEach(([t, ctx, want], i) => {
    it(`renders like Jinja2 (case ${i}: ${JSON.stringify(t.slice(0, 40))})`, () => assert.equal(render(t, ctx), want));
  });
  for (const [t, ctx] of UNKNOWABLE) {
    it(`knows it cannot render ${JSON.stringify(t)}`, () => assert.throws(() => render(t, ctx), Unknowable));
  }
  it('takes the default of an undefined value, and of an undefined attribute chain', () => {
    assert.equal(render('{{ a | default(1) }} {{ a.b.c | d("x") }} {{ "" | default("e", true) }}', {}), '1 x e');
  });
  it('maps a rendered variable onto where its value is written, and a computed value onto the expression', () => {
    const at = { file: 'host_vars/zk1.yml', start: 7, end: 8 };
    const lookup = (n: string): Val => (n === 'zk_id' ? num(1, at) : undef(n));
    const pieces = renderTemplate(parseTemplate('myid.j2', 'id={{ zk_id | int }} next={{ zk_id + 1 }}\n'), lookup);
    assert.deepEqual(pieces.map((p) => [p.text, p.at ?? p.origin]), [
      ['id=', 0],
      ['1', at],
      [' next=', 20],
      ['2', { file: 'myid.j2', start: 26, end: 41 }],
      ['\n', 41],
    ]);
  });
  it('keeps lists from a variable that is one expression, and makes anything else text (Ansible without jinja2_native)', () => {
    const lookup = (n: string): Val => (n === 'g' ? { k: 'list', v: [str('a'), str('b')] } : undef(n));
    assert.equal(templateValue('v.yml', '{{ g }}', lookup).k, 'list');
    assert.deepEqual(templateValue('v.yml', '{{ g | length }}', lookup), str('2'));
    assert.deepEqual(templateValue('v.yml', '{{ g[0] }}-x', lookup), str('a-x'));
  });
});
