import { describe, expect, it } from 'vitest';
import { dec, formatearTasa } from '../../decimal';
import { calcularComprobante, calcularConcepto, formatearConcepto, importeConcepto } from './calcular';
import { ConceptoEntradaSchema, type ConceptoEntrada } from './modelo';

type Imp = { impuesto: string; tipo_factor: string; tasa_o_cuota?: string };
const IVA16: Imp = { impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.16' };

function concepto(cantidad: string | number, valorUnitario: string | number, extra: Partial<Record<string, unknown>> = {}, traslados: Imp[] = [IVA16], retenciones: Imp[] = []): ConceptoEntrada {
  return ConceptoEntradaSchema.parse({
    clave_prod_serv: '01010101',
    cantidad,
    clave_unidad: 'H87',
    descripcion: 'x',
    valor_unitario: valorUnitario,
    objeto_imp: '02',
    impuestos: { traslados, retenciones },
    ...extra,
  });
}

describe('calcularConcepto', () => {
  it('multiplies exactly, without binary floating point', () => {
    // 3 × 0.1 is 0.30000000000000004 in floats
    expect(importeConcepto({ cantidad: 3, valor_unitario: 0.1 }).toString()).toBe('0.3');
    expect(importeConcepto({ cantidad: '1.1', valor_unitario: '1.1' }).toString()).toBe('1.21');
  });

  it('keeps concepto amounts to 6 decimals, rounding half-up at the 6th', () => {
    // 0.5 × 0.000001 = 0.0000005 needs 7 decimals → 0.000001
    expect(importeConcepto({ cantidad: '0.5', valor_unitario: '0.000001' }).toString()).toBe('0.000001');
    const c = calcularConcepto(concepto('3', '33.333333'));
    expect(c.importe.toString()).toBe('99.999999');
    // 99.999999 × 0.16 = 15.99999984 → 16.000000
    expect(c.traslados[0].importe!.toString()).toBe('16');
  });

  it('computes the base as importe minus descuento', () => {
    const c = calcularConcepto(concepto('2', '500', { descuento: '100' }));
    expect(c.traslados[0].base.toString()).toBe('900');
    expect(c.traslados[0].importe!.toString()).toBe('144');
  });

  it('exento has a base but neither tasa nor importe', () => {
    const [t] = calcularConcepto(concepto('1', '80', {}, [{ impuesto: '002', tipo_factor: 'Exento' }])).traslados;
    expect(t.base.toString()).toBe('80');
    expect(t.tasaOCuota).toBeUndefined();
    expect(t.importe).toBeUndefined();
  });

  it('IEPS cuota: the base is the quantity; IVA is computed over importe plus IEPS', () => {
    const c = calcularConcepto(concepto('10', '20', {}, [{ impuesto: '003', tipo_factor: 'Cuota', tasa_o_cuota: '1.5' }, IVA16]));
    expect(c.traslados[0].base.toString()).toBe('10');
    expect(c.traslados[0].importe!.toString()).toBe('15'); // 10 units × 1.5
    expect(c.traslados[1].base.toString()).toBe('215'); // 200 + 15
    expect(c.traslados[1].importe!.toString()).toBe('34.4');
  });

  it('retenciones over the same base: ISR 10% and IVA two thirds of 16%', () => {
    const c = calcularConcepto(concepto('1', '3000', {}, [IVA16], [
      { impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.10' },
      { impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.106667' },
    ]));
    expect(c.retenciones.map((r) => r.importe!.toString())).toEqual(['300', '320.001']);
  });
});

describe('formatting', () => {
  it('prints TasaOCuota with 6 decimals', () => {
    expect(formatearTasa('0.16')).toBe('0.160000');
    expect(formatearTasa(0)).toBe('0.000000');
    expect(formatearTasa('6.1752')).toBe('6.175200');
  });

  it('prints concepto amounts with at least the currency decimals and at most 6', () => {
    expect(formatearConcepto(dec('1500'), 2)).toBe('1500.00');
    expect(formatearConcepto(dec('159.984'), 2)).toBe('159.984');
    expect(formatearConcepto(dec('1.23456789'), 2)).toBe('1.234568');
    expect(formatearConcepto(dec('1234.5'), 0)).toBe('1234.5');
  });
});

describe('calcularComprobante', () => {
  it('sums conceptos and rounds comprobante amounts to the currency decimals, half-up', () => {
    // each IVA is 0.03125 × 0.16 = 0.005: at the comprobante, 0.005 → 0.01 (half-up, not half-even)
    const t = calcularComprobante([concepto('1', '0.03125')], 2);
    expect(t.conceptos[0].importe).toBe('0.03125');
    expect(t.subTotal).toBe('0.03');
    expect(t.impuestos!.traslados[0]).toEqual({ base: '0.03', impuesto: '002', tipoFactor: 'Tasa', tasaOCuota: '0.160000', importe: '0.01' });
    expect(t.total).toBe('0.04');
  });

  it('rounds the sum, not each concepto, so no cent is lost', () => {
    // three conceptos of 33.333333 → 99.999999 → 100.00; IVA 3 × 5.33333328 = 15.99999984 → 16.00
    const t = calcularComprobante([concepto('1', '33.333333'), concepto('1', '33.333333'), concepto('1', '33.333333')], 2);
    expect(t.subTotal).toBe('100.00');
    expect(t.impuestos!.totalImpuestosTrasladados).toBe('16.00');
    expect(t.total).toBe('116.00');
  });

  it('groups traslados by impuesto + factor + tasa and retenciones by impuesto, in order of appearance', () => {
    const IVA0 = { impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0' };
    const exento = { impuesto: '002', tipo_factor: 'Exento' };
    const isr = { impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.10' };
    const t = calcularComprobante(
      [concepto('1', '100', {}, [IVA16], [isr]), concepto('1', '50', {}, [IVA0]), concepto('2', '25', {}, [IVA16], [isr]), concepto('1', '10', {}, [exento])],
      2,
    );
    const imp = t.impuestos!;
    expect(imp.traslados).toEqual([
      { base: '150.00', impuesto: '002', tipoFactor: 'Tasa', tasaOCuota: '0.160000', importe: '24.00' },
      { base: '50.00', impuesto: '002', tipoFactor: 'Tasa', tasaOCuota: '0.000000', importe: '0.00' },
      { base: '10.00', impuesto: '002', tipoFactor: 'Exento', tasaOCuota: undefined, importe: undefined },
    ]);
    expect(imp.retenciones).toEqual([{ impuesto: '001', importe: '15.00' }]);
    expect(imp.totalImpuestosTrasladados).toBe('24.00');
    expect(imp.totalImpuestosRetenidos).toBe('15.00');
    // 210 + 24 − 15
    expect(t.total).toBe('219.00');
  });

  it('omits TotalImpuestosTrasladados when every traslado is Exento, and Impuestos when there are none', () => {
    const exento = calcularComprobante([concepto('1', '10', {}, [{ impuesto: '002', tipo_factor: 'Exento' }])], 2);
    expect(exento.impuestos!.totalImpuestosTrasladados).toBeUndefined();
    expect(exento.impuestos!.traslados).toHaveLength(1);
    const sinImpuestos = calcularComprobante([ConceptoEntradaSchema.parse({ clave_prod_serv: '01010101', cantidad: 1, clave_unidad: 'H87', descripcion: 'x', valor_unitario: 10, objeto_imp: '01' })], 2);
    expect(sinImpuestos.impuestos).toBeUndefined();
    expect(sinImpuestos.conceptos[0].impuestos).toBeUndefined();
    expect(sinImpuestos.total).toBe('10.00');
  });

  it('Descuento: summed at the comprobante, with the decimals of the concepto importe', () => {
    const t = calcularComprobante([concepto('1', '100', { descuento: '0.125' }), concepto('1', '10')], 2);
    expect(t.conceptos[0].importe).toBe('100.000');
    expect(t.conceptos[0].descuento).toBe('0.125');
    expect(t.conceptos[1].descuento).toBeUndefined();
    expect(t.descuento).toBe('0.13');
    // base 99.875 × .16 = 15.98 and 1.6 → 17.58; 110 − 0.13 + 17.58
    expect(t.impuestos!.totalImpuestosTrasladados).toBe('17.58');
    expect(t.total).toBe('127.45');
  });

  it('uses the currency decimals: 0 for JPY', () => {
    const t = calcularComprobante([concepto('1', '1234.5')], 0);
    expect(t.conceptos[0].importe).toBe('1234.5');
    expect(t.subTotal).toBe('1235');
    // IVA 197.52 → 198
    expect(t.impuestos!.totalImpuestosTrasladados).toBe('198');
    expect(t.total).toBe('1433');
  });
});
