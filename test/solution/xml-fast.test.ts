import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseXmlFast } from '../../src/solution/xml-fast.js';
import { parseWithSaxes, parseXml } from '../../src/solution/xml.js';

/** saxes' tree, or the failure it reports. */
function saxes(text: string): unknown {
  try {
    return parseWithSaxes(text, 'f.xml');
  } catch (e) {
    if (e instanceof UsageError) return { failure: e.message };
    throw e;
  }
}

/** The fast path either gives exactly saxes' tree (line and column included) or leaves the text to saxes. */
function expectSameAsSaxes(text: string): 'fast' | 'saxes' {
  const fast = parseXmlFast(text);
  if (fast === undefined) return 'saxes';
  expect(fast, JSON.stringify(text)).toEqual(saxes(text));
  return 'fast';
}

function xmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? xmlFiles(p) : /\.xml$/i.test(n) ? [p] : [];
  });
}

describe('parseXmlFast', () => {
  it.each([
    ['declaration, BOM and nesting', '\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<a x="1">\n  <b y=\'2\' />\n  <c>text</c>\n</a>', 'fast'],
    ['a newline right after a tag name', '<a\n  x="1"><b\n/></a>', 'fast'],
    ['spaces around = and before >', '<a x = "1"  y=\'&quot;\' ><b></b ></a>', 'fast'],
    ['references in text and attributes', '<a t="&lt;&#xA;&#65;&apos;">&amp;&gt;&#x1F600;&#9;</a>', 'fast'],
    ['white space only text is dropped, other text kept', '<a>  <b/>\n x \n</a>', 'fast'],
    ['carriage returns', '<a>\r\n<b/></a>', 'saxes'],
    ['a comment', '<a><!-- c --></a>', 'saxes'],
    ['CDATA', '<a><![CDATA[x]]></a>', 'saxes'],
    ['a processing instruction', '<?pi x?><a/>', 'saxes'],
    ['a DOCTYPE', '<!DOCTYPE a><a/>', 'saxes'],
    ['a newline inside an attribute value', '<a x="1\n2"/>', 'saxes'],
    ['a non-ASCII name', '<é/>', 'saxes'],
    ['an undefined entity', '<a>&nbsp;</a>', 'saxes'],
    ['a forbidden character reference', '<a>&#0;</a>', 'saxes'],
    [']]> in text', '<a>]]></a>', 'saxes'],
    ['a mismatched end tag', '<a></b>', 'saxes'],
    ['a duplicate attribute', '<a x="1" x="2"/>', 'saxes'],
    ['no space between attributes', '<a x="1"y="2"/>', 'saxes'],
    ['< in an attribute value', '<a x="<"/>', 'saxes'],
    ['two roots', '<a/><b/>', 'saxes'],
    ['text outside the root', 'x<a/>', 'saxes'],
    ['an unclosed root', '<a><b/>', 'saxes'],
    ['no root', '  ', 'saxes'],
    ['a control character', '<a>\u0001</a>', 'saxes'],
    ['a surrogate pair', '<a>\uD83D\uDE00</a>', 'saxes'],
  ])('%s', (_, text, path) => {
    expect(expectSameAsSaxes(text)).toBe(path);
  });

  it('nests as deep as the limit and leaves deeper documents to saxes', () => {
    const deep = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
    expect(expectSameAsSaxes(deep(256))).toBe('fast');
    expect(expectSameAsSaxes(deep(257))).toBe('saxes');
    expect(() => parseXml(deep(257), 'deep.xml')).toThrow(/nest deeper than 256/);
  });

  it("gives saxes' tree for every golden solution file, and for each with a character removed or added", () => {
    let fast = 0;
    let n = 0;
    for (const file of xmlFiles(join(import.meta.dirname, '..', 'golden', 'solution', 'commercial'))) {
      const text = readFileSync(file, 'utf8');
      if (expectSameAsSaxes(text) === 'fast') fast++;
      // Damage it at a few places: the fast path must never accept what saxes refuses, nor read it differently.
      for (const at of [1, 7, Math.floor(text.length / 3), Math.floor(text.length / 2), text.length - 3]) {
        for (const piece of ['', '<', '>', '"', '&', '/', ' ', '\n', 'é']) {
          expectSameAsSaxes(text.slice(0, at) + piece + text.slice(at + 1));
          n++;
        }
      }
    }
    expect(fast).toBeGreaterThan(0);
    expect(n).toBeGreaterThan(0);
  });
});
