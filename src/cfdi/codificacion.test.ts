import { describe, expect, it } from 'vitest';
import { textoXml } from './codificacion';
import { XmlError } from './dom';

const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe('textoXml', () => {
  it('reads UTF-8 by default and drops its BOM', () => {
    expect(textoXml(new TextEncoder().encode('<a>Ñ€</a>'))).toBe('<a>Ñ€</a>');
    expect(textoXml(bytes(0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<a/>')))).toBe('<a/>');
  });

  it('reads UTF-16 by its BOM', () => {
    expect(textoXml(bytes(0xff, 0xfe, 0x3c, 0, 0xd1, 0, 0x3e, 0))).toBe('<Ñ>');
    expect(textoXml(bytes(0xfe, 0xff, 0, 0x3c, 0, 0xd1, 0, 0x3e))).toBe('<Ñ>');
  });

  it('ISO-8859-1 maps each byte to its code point, as libxml2 does (0x80 stays U+0080)', () => {
    const decl = ascii('<?xml version="1.0" encoding="ISO-8859-1"?><a>');
    expect(textoXml(bytes(...decl, 0xd1, 0xe9, 0x80, ...ascii('</a>')))).toBe('<?xml version="1.0" encoding="ISO-8859-1"?><a>Ñé\u0080</a>');
  });

  it('Windows-1252 gives 0x80–0x9F their characters and refuses its undefined bytes', () => {
    const decl = ascii("<?xml version='1.0' encoding='windows-1252'?><a>");
    expect(textoXml(bytes(...decl, 0x80, 0x93, 0xd1, 0x94))).toBe("<?xml version='1.0' encoding='windows-1252'?><a>€“Ñ”");
    expect(() => textoXml(bytes(...decl, 0x81))).toThrow(/0x81/);
  });

  it('refuses bytes that are not UTF-8 with their offset, and encodings it does not read', () => {
    try {
      textoXml(bytes(...ascii('<a>'), 0xe9, ...ascii('</a>')));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(XmlError);
      expect((e as XmlError).posicion).toBe(3);
      expect((e as Error).message).toMatch(/0xE9/);
    }
    expect(() => textoXml(new TextEncoder().encode('<?xml version="1.0" encoding="EBCDIC"?><a/>'))).toThrow(/EBCDIC/);
  });
});
