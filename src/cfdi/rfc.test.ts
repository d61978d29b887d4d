import { describe, expect, it } from 'vitest';
import { digitoVerificadorRfc, esRfcGenerico, personaDeRfc, RFC_EXTRANJERO, RFC_PUBLICO_EN_GENERAL, validarRfc } from './rfc';

// RFCs issued by the SAT (its own, and those of its published test CSDs): their check digits are the
// SAT's, so they are an independent check of the algorithm, including the 10 → 'A' and 11 → '0' cases.
const MORALES = ['SAT970701NN3', 'EKU9003173C9', 'XIA190128J61', 'KIJ0906199R1', 'IIA040805DZ4', 'H&E951128469', 'OÑO120726RX3', 'MAS0810247C0'];
const FISICAS = ['XOJI740919U48', 'CACX7605101P8', 'MISC491214B86', 'FUNK671228PH6', 'JUFA7608212V6', 'AAQM610917QJA'];

describe('digitoVerificadorRfc', () => {
  it('computes the check digit of EKU9003173C9 as worked by hand', () => {
    // ' '37·13 + E14·12 + K20·11 + U31·10 + 9·9 + 0·8 + 0·7 + 3·6 + 1·5 + 7·4 + 3·3 + C12·2 = 1344;
    // 1344 mod 11 = 2; 11 − 2 = 9.
    expect(digitoVerificadorRfc('EKU9003173C')).toBe('9');
  });

  it.each([...MORALES, ...FISICAS])('agrees with the SAT on %s', (rfc) => {
    expect(digitoVerificadorRfc(rfc.slice(0, -1))).toBe(rfc.at(-1));
  });

  it('maps 11 to 0 and 10 to A', () => {
    expect(digitoVerificadorRfc('MAS0810247C')).toBe('0');
    expect(digitoVerificadorRfc('AAQM610917QJ')).toBe('A');
  });

  it('refuses a base of the wrong length or with foreign characters', () => {
    expect(() => digitoVerificadorRfc('ABC')).toThrow(RangeError);
    expect(() => digitoVerificadorRfc('AB-9003173C')).toThrow(RangeError);
  });
});

describe('validarRfc — valid', () => {
  it.each(MORALES)('%s is a persona moral', (rfc) => {
    expect(validarRfc(rfc)).toEqual({ valido: true, rfc, persona: 'moral', generico: false });
  });

  it.each(FISICAS)('%s is a persona física', (rfc) => {
    expect(validarRfc(rfc)).toEqual({ valido: true, rfc, persona: 'fisica', generico: false });
  });

  it('normalises spaces and lower case', () => {
    expect(validarRfc('  eku9003173c9 ')).toMatchObject({ valido: true, rfc: 'EKU9003173C9' });
  });

  it('normalises a decomposed Ñ (N + combining tilde) to the single character', () => {
    expect(validarRfc('ON\u0303O120726RX3')).toMatchObject({ valido: true, rfc: 'OÑO120726RX3', persona: 'moral' });
  });

  it('accepts the generic RFCs although XAXX010101000 has no valid check digit', () => {
    expect(digitoVerificadorRfc(RFC_PUBLICO_EN_GENERAL.slice(0, -1))).not.toBe('0');
    for (const rfc of [RFC_PUBLICO_EN_GENERAL, RFC_EXTRANJERO]) {
      expect(validarRfc(rfc)).toEqual({ valido: true, rfc, persona: 'fisica', generico: true });
      expect(esRfcGenerico(rfc)).toBe(true);
    }
    expect(esRfcGenerico('EKU9003173C9')).toBe(false);
  });

  it('accepts 29 February only in years divisible by 4', () => {
    const base = 'GODE000229A1';
    expect(validarRfc(base + digitoVerificadorRfc(base))).toMatchObject({ valido: true });
    const bisiesto96 = 'GODE960229A1';
    expect(validarRfc(bisiesto96 + digitoVerificadorRfc(bisiesto96))).toMatchObject({ valido: true });
    const noBisiesto = 'GODE970229A1';
    expect(validarRfc(noBisiesto + digitoVerificadorRfc(noBisiesto))).toMatchObject({ valido: false, regla: 'fecha' });
  });
});

describe('validarRfc — each rule', () => {
  it('longitud: neither 12 nor 13 characters', () => {
    for (const rfc of ['', 'EKU900317', 'XOJI740919U481']) {
      expect(validarRfc(rfc)).toMatchObject({ valido: false, regla: 'longitud' });
    }
  });

  it('formato: digits where letters go, letters in the date, a bad last character', () => {
    for (const rfc of ['EK19003173C9', 'EKU90O3173C9', 'XOJ1740919U48', 'EKU9003173CB', 'EKU9003173-9', 'XOJI740919U4Z']) {
      const r = validarRfc(rfc);
      expect(r).toMatchObject({ valido: false, regla: 'formato' });
    }
  });

  it('formato: says which persona it took the RFC for', () => {
    const moral = validarRfc('EK19003173C9');
    const fisica = validarRfc('XOJ1740919U48');
    expect(!moral.valido && moral.mensaje).toContain('persona moral');
    expect(!fisica.valido && fisica.mensaje).toContain('persona física');
  });

  it('fecha: impossible months and days', () => {
    for (const fecha of ['001301', '000001', '000100', '000431', '010229', '991232']) {
      const base = `EKU${fecha}3C`;
      expect(validarRfc(base + digitoVerificadorRfc(base))).toMatchObject({ valido: false, regla: 'fecha' });
    }
  });

  it('digito_verificador: every wrong digit is caught and the right one named', () => {
    for (const d of '0123456789A') {
      if (d === '9') continue;
      const r = validarRfc(`EKU9003173C${d}`);
      expect(r).toEqual({
        valido: false,
        regla: 'digito_verificador',
        mensaje: `El dígito verificador del RFC no corresponde: termina en ${d} y debería terminar en 9.`,
      });
    }
  });

  it('digito_verificador: a single changed character of a real RFC breaks it', () => {
    expect(validarRfc('EKU9003174C9')).toMatchObject({ valido: false, regla: 'digito_verificador' });
    expect(validarRfc('XOJI740919U58')).toMatchObject({ valido: false, regla: 'digito_verificador' });
  });
});

describe('personaDeRfc', () => {
  it('is moral for 12 characters and física for 13', () => {
    expect(personaDeRfc('EKU9003173C9')).toBe('moral');
    expect(personaDeRfc('XOJI740919U48')).toBe('fisica');
    expect(personaDeRfc(RFC_PUBLICO_EN_GENERAL)).toBe('fisica');
  });
});
