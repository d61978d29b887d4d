import { describe, expect, it } from 'vitest';
import { prepararComprobante } from '.';
import { AHORA, base, EMISOR, type Input } from './entrada-de-prueba';

function preparar(mutar: (i: Input) => void, tipo: 'I' | 'E' = 'I') {
  const input = base();
  mutar(input);
  return prepararComprobante(input, EMISOR, { tipo, ahora: AHORA });
}
const errores = (mutar: (i: Input) => void) => {
  const r = preparar(mutar);
  return r.ok ? [] : r.errors.map((e) => `${e.path} ${e.code}`);
};

describe('prepararComprobante', () => {
  it('TipoCambio con más de 6 decimales', () => {
    expect(errores((i) => ((i.moneda = 'USD'), (i.tipo_cambio = '17.1234567')))).toEqual(['tipo_cambio CFDI40117']);
  });

  it('Total negativo', () => {
    // IEPS retained at 160 % of the base (c_TasaOCuota admits it) takes more than the concepto is worth.
    expect(errores((i) => (i.conceptos[0].impuestos = { retenciones: [{ impuesto: '003', tipo_factor: 'Tasa', tasa_o_cuota: '1.6' }] }))).toEqual(['conceptos CFDI40119']);
    expect(errores((i) => (i.conceptos[0].impuestos.retenciones = [{ impuesto: '003', tipo_factor: 'Tasa', tasa_o_cuota: '0.53' }]))).toEqual([]);
  });

  it('refuses a key the API does not have, at its path', () => {
    expect(errores((i) => ((i.confirmacion = 'ABC12'), (i.conceptos[0].cuenta_predial = '123'), (i.receptor.email = 'a@b.mx')))).toEqual([
      'receptor.email HFX_CAMPO_DESCONOCIDO',
      'conceptos[0].cuenta_predial HFX_CAMPO_DESCONOCIDO',
      'confirmacion HFX_CAMPO_DESCONOCIDO',
    ]);
  });

  it('reports shape errors and the SAT rules of the other fields in one answer', () => {
    const r = preparar((i) => {
      i.conceptos[0].cantidad = 'mucho';
      i.conceptos[0].clave_prod_serv = '99999999';
      i.receptor.rfc = 42;
      i.receptor.uso_cfdi = 'ZZZ';
      i.forma_pago = '98';
      i.tipo_cambio = '1.5';
      delete i.metodo_pago;
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      'receptor.rfc HFX_FORMATO',
      'conceptos[0].cantidad HFX_FORMATO',
      'receptor.uso_cfdi CFDI40160',
      'forma_pago CFDI40104',
      'metodo_pago HFX_CAMPO_REQUERIDO',
      'tipo_cambio CFDI40114',
      'conceptos[0].clave_prod_serv CFDI40162',
    ]);
  });

  it('a field with a shape problem has that one error, not the rules that would read it too', () => {
    expect(errores((i) => (i.forma_pago = 3))).toEqual(['forma_pago HFX_FORMATO']);
    expect(errores((i) => delete i.receptor)).toEqual(['receptor HFX_CAMPO_REQUERIDO']);
    expect(errores((i) => (i.conceptos[0].impuestos.traslados[0].tasa_o_cuota = '0.1234567'))).toEqual(['conceptos[0].impuestos.traslados[0].tasa_o_cuota HFX_FORMATO']);
  });

  it('every error detail carries a code', () => {
    const r = preparar((i) => {
      i.conceptos = [{}];
      i.informacion_global = { periodicidad: 1 };
      i.cfdi_relacionados = 'x';
    });
    expect(!r.ok && r.errors.filter((e) => !e.code)).toEqual([]);
  });

  it('gives the advertencias with the comprobante, and with the errors when there are some', () => {
    const r = preparar((i) => (i.forma_pago = '99'));
    expect(r.ok && r.advertencias).toEqual([{ path: 'forma_pago', code: 'HFX_FORMA_PAGO_99_PUE', message: expect.any(String) }]);
    const mal = preparar((i) => ((i.forma_pago = '99'), (i.moneda = 'ABC')));
    expect(!mal.ok && mal.advertencias?.map((a) => a.code)).toEqual(['HFX_FORMA_PAGO_99_PUE']);
    expect(preparar(() => {})).not.toHaveProperty('advertencias');
  });
});
