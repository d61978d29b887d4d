import { describe, expect, it } from 'vitest';
import { importeConLetra } from './importe-letra';

describe('importeConLetra', () => {
  it.each([
    ['0', 'CERO PESOS 00/100 M.N.'],
    ['0.50', 'CERO PESOS 50/100 M.N.'],
    ['1', 'UN PESO 00/100 M.N.'],
    ['1.99', 'UN PESO 99/100 M.N.'],
    ['15', 'QUINCE PESOS 00/100 M.N.'],
    ['16', 'DIECISÉIS PESOS 00/100 M.N.'],
    ['21', 'VEINTIÚN PESOS 00/100 M.N.'],
    ['22', 'VEINTIDÓS PESOS 00/100 M.N.'],
    ['31', 'TREINTA Y UN PESOS 00/100 M.N.'],
    ['100', 'CIEN PESOS 00/100 M.N.'],
    ['101', 'CIENTO UN PESOS 00/100 M.N.'],
    ['115', 'CIENTO QUINCE PESOS 00/100 M.N.'],
    ['500', 'QUINIENTOS PESOS 00/100 M.N.'],
    ['1000', 'MIL PESOS 00/100 M.N.'],
    ['1001', 'MIL UN PESOS 00/100 M.N.'],
    ['1,234.56', 'MIL DOSCIENTOS TREINTA Y CUATRO PESOS 56/100 M.N.'],
    ['21000', 'VEINTIÚN MIL PESOS 00/100 M.N.'],
    ['100000', 'CIEN MIL PESOS 00/100 M.N.'],
    ['101000', 'CIENTO UN MIL PESOS 00/100 M.N.'],
    ['1,000,000', 'UN MILLÓN DE PESOS 00/100 M.N.'],
    ['1000001', 'UN MILLÓN UN PESOS 00/100 M.N.'],
    ['1021000', 'UN MILLÓN VEINTIÚN MIL PESOS 00/100 M.N.'],
    ['2,000,000.01', 'DOS MILLONES DE PESOS 01/100 M.N.'],
    ['21000000', 'VEINTIÚN MILLONES DE PESOS 00/100 M.N.'],
    ['1000000000', 'MIL MILLONES DE PESOS 00/100 M.N.'],
    [
      '999,999,999.99',
      'NOVECIENTOS NOVENTA Y NUEVE MILLONES NOVECIENTOS NOVENTA Y NUEVE MIL NOVECIENTOS NOVENTA Y NUEVE PESOS 99/100 M.N.',
    ],
    ['1000000000000', 'UN BILLÓN DE PESOS 00/100 M.N.'],
  ])('MXN %s', (total, esperado) => {
    expect(importeConLetra(total, 'MXN')).toBe(esperado);
  });

  it('rounds cents half-up from the decimal string, without floats', () => {
    expect(importeConLetra('10.005', 'MXN')).toBe('DIEZ PESOS 01/100 M.N.');
    expect(importeConLetra('10.004999', 'MXN')).toBe('DIEZ PESOS 00/100 M.N.');
    expect(importeConLetra('0.995', 'MXN')).toBe('UN PESO 00/100 M.N.');
    // 2^53 + 1 is not representable as a double: a float-based implementation would say ...992.
    expect(importeConLetra('9007199254740993', 'MXN')).toBe(
      'NUEVE MIL SIETE BILLONES CIENTO NOVENTA Y NUEVE MIL DOSCIENTOS CINCUENTA Y CUATRO MILLONES ' +
        'SETECIENTOS CUARENTA MIL NOVECIENTOS NOVENTA Y TRES PESOS 00/100 M.N.',
    );
  });

  it('names other currencies', () => {
    expect(importeConLetra('1234.56', 'USD')).toBe('MIL DOSCIENTOS TREINTA Y CUATRO DÓLARES 56/100 USD');
    expect(importeConLetra('1', 'USD')).toBe('UN DÓLAR 00/100 USD');
    expect(importeConLetra('21.10', 'EUR')).toBe('VEINTIÚN EUROS 10/100 EUR');
    expect(importeConLetra('3000000', 'EUR')).toBe('TRES MILLONES DE EUROS 00/100 EUR');
    expect(importeConLetra('1', 'CAD')).toBe('UN DÓLAR CANADIENSE 00/100 CAD');
    // No noun known: the number stands alone, so no apocope.
    expect(importeConLetra('21', 'GBP')).toBe('VEINTIUNO 00/100 GBP');
  });

  it('rejects what is not a non-negative decimal amount', () => {
    expect(() => importeConLetra('-5', 'MXN')).toThrow(/inválido/);
    expect(() => importeConLetra('1e3', 'MXN')).toThrow(/inválido/);
    expect(() => importeConLetra('', 'MXN')).toThrow(/inválido/);
    expect(() => importeConLetra('1000000000000000000', 'MXN')).toThrow(/fuera de rango/);
  });
});
