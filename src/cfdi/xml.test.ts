import { describe, expect, it } from 'vitest';
import { parseXml } from './dom';
import { arbolLeido, el, escapeXml, renderXml } from './xml';

describe('xml writer', () => {
  it('escapes & < > " and \' and keeps tabs and line breaks as character references', () => {
    expect(escapeXml(`A&B <c> "d" 'e'\tf\ng\r`)).toBe('A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;&#9;f&#10;g&#13;');
  });

  it('writes attributes in the given order and omits undefined and empty ones', () => {
    const xml = renderXml(el('a:B', { Z: '1', Vacio: '', A: '2', Nada: undefined, M: '3' }), { declaration: false });
    expect(xml).toBe('<a:B Z="1" A="2" M="3"/>');
  });

  it('writes children and text; drops undefined/false children', () => {
    const xml = renderXml(el('r', {}, [el('x', { n: '1' }), undefined, false, 'a<b', el('e', {}, [])]));
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?><r><x n="1"/>a&lt;b<e/></r>');
  });

  it('round-trips non-ASCII and special characters through an XML parser', () => {
    const value = `PEÑA & ASOCIADOS "Ñandú" <café> 'año'`;
    const xml = renderXml(el('r', { Nombre: value }));
    expect(parseXml(xml).attrs.find((a) => a.qname === 'Nombre')?.value).toBe(value);
    // UTF-8 bytes of Ñ are C3 91
    expect([...new TextEncoder().encode(xml)].join(',')).toContain('195,145');
  });

  it('arbolLeido gives the tree the parser reads back from the rendered XML', () => {
    const nodo = el('cfdi:R', { 'xmlns:cfdi': 'urn:c', 'xmlns:xsi': 'urn:xsi', 'xsi:schemaLocation': 'urn:c c.xsd', A: 'x\ty\nz & "q"', Vacio: '' }, [
      el('cfdi:H', { B: 'Ñ' }, ['uno', ' dos']),
      el('p:Otro', { 'xmlns:p': 'urn:p', 'p:C': '1' }, [el('p:Nieto')]),
      el('SinPrefijo'),
    ]);
    const comparable = (e: ReturnType<typeof parseXml>): unknown => ({
      ns: e.ns,
      local: e.local,
      qname: e.qname,
      attrs: e.attrs.map((a) => [a.ns, a.local, a.qname, a.value]),
      children: e.children.map((c) => (typeof c === 'string' ? c : comparable(c))),
    });
    const leido = arbolLeido(nodo);
    expect(comparable(leido)).toEqual(comparable(parseXml(renderXml(nodo))));
    expect((leido.children[1] as ReturnType<typeof parseXml>).parent).toBe(leido);
    expect(() => arbolLeido(el('z:Sin'))).toThrow(/prefijo/);
  });
});
