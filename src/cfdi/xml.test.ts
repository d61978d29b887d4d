import { describe, expect, it } from 'vitest';
import { parseXml } from './dom';
import { el, escapeXml, renderXml } from './xml';

describe('xml writer', () => {
  it('escapes & < > " and \' and keeps tabs and line breaks as character references', () => {
    expect(escapeXml(`A&B <c> "d" 'e'\tf\ng\r`)).toBe('A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;&#9;f&#10;g&#13;');
  });

  it('writes attributes in the given order and omits undefined and empty ones', () => {
    const xml = renderXml(el('a:B', { Z: '1', Vacio: '', A: '2', Nada: undefined, M: '3' }), { declaration: false });
    expect(xml).toBe('<a:B Z="1" A="2" M="3"/>');
  });

  it('writes children, text and raw fragments; drops undefined/false children', () => {
    const xml = renderXml(el('r', {}, [el('x', { n: '1' }), undefined, false, 'a<b', { raw: '<y:Z/>' }, el('e', {}, [])]));
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?><r><x n="1"/>a&lt;b<y:Z/><e/></r>');
  });

  it('round-trips non-ASCII and special characters through an XML parser', () => {
    const value = `PEÑA & ASOCIADOS "Ñandú" <café> 'año'`;
    const xml = renderXml(el('r', { Nombre: value }));
    expect(parseXml(xml).attrs.find((a) => a.qname === 'Nombre')?.value).toBe(value);
    // UTF-8 bytes of Ñ are C3 91
    expect([...new TextEncoder().encode(xml)].join(',')).toContain('195,145');
  });
});
