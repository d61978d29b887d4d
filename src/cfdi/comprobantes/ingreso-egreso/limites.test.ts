// What the XSD bounds and the XML character set allow, refused at validation with the input's path
// (issue 13: a body that passed these built a CFDI the SAT's XSD refuses, or no XML at all).
import { describe, expect, it } from 'vitest';
import { prepararComprobante } from '.';
import { AHORA, base, EMISOR, type Input } from './entrada-de-prueba';

function errores(cambiar: (i: Input) => void) {
  const i = base();
  cambiar(i);
  const r = prepararComprobante(i, EMISOR, { tipo: 'I', ahora: AHORA });
  return r.ok ? [] : r.errors;
}

describe('characters XML cannot carry', () => {
  const prohibidos = ['\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u001F', '\uFFFE', '\uFFFF', '\uD800'];
  const campos: [string, (i: Input, v: string) => void][] = [
    ['receptor.nombre', (i, v) => (i.receptor.nombre = `ACME${v}SA`)],
    ['conceptos[0].descripcion', (i, v) => (i.conceptos[0].descripcion = `Serv${v}icio`)],
    ['conceptos[0].unidad', (i, v) => (i.conceptos[0].unidad = `P${v}z`)],
    ['conceptos[0].no_identificacion', (i, v) => (i.conceptos[0].no_identificacion = `A${v}1`)],
    ['condiciones_de_pago', (i, v) => (i.condiciones_de_pago = `30${v} días`)],
    ['serie', (i, v) => (i.serie = `A${v}B`)],
    ['folio', (i, v) => (i.folio = `1${v}2`)],
    ['conceptos[0].clave_unidad', (i, v) => (i.conceptos[0].clave_unidad = `E4${v}8`)],
  ];
  for (const [path, poner] of campos) {
    it(`are refused in ${path}, at its path`, () => {
      for (const c of prohibidos) {
        const e = errores((i) => poner(i, c));
        expect(e.map((x) => x.path), `U+${c.charCodeAt(0).toString(16)}`).toContain(path);
      }
    });
  }

  it('TAB, LF and CR stay allowed in free text (XML carries them, the writer escapes them), not in serie or folio (nor Unicode line breaks)', () => {
    expect(errores((i) => (i.conceptos[0].descripcion = 'Línea 1\nLínea 2\tcon tab\r'))).toEqual([]);
    for (const c of ['\n', '\r', '\t', '\u0085', '\u2028', '\u2029']) {
      expect(errores((i) => (i.serie = `A${c}B`)).map((x) => x.path)).toEqual(['serie']);
      expect(errores((i) => (i.folio = `1${c}2`)).map((x) => x.path)).toEqual(['folio']);
    }
  });

  it('counts characters as the XSD does: an emoji is one of the 1000 of a descripción', () => {
    expect(errores((i) => (i.conceptos[0].descripcion = '😀'.repeat(1000)))).toEqual([]);
    expect(errores((i) => (i.conceptos[0].descripcion = '😀'.repeat(1001))).map((x) => x.path)).toEqual(['conceptos[0].descripcion']);
  });
});

describe('t_Importe: 18 integer digits', () => {
  it('a cantidad × valor_unitario past 18 digits is refused (CFDI40167), not built', () => {
    const e = errores((i) => {
      i.conceptos[0].cantidad = '999999999999999999';
      i.conceptos[0].valor_unitario = '2';
    });
    expect(e).toContainEqual(expect.objectContaining({ path: 'conceptos[0].cantidad', code: 'CFDI40167' }));
  });

  it('a sum of conceptos past 18 digits is refused at conceptos', () => {
    const e = errores((i) => {
      i.conceptos[0].cantidad = '1';
      i.conceptos[0].valor_unitario = '600000000000000000';
      i.conceptos[1] = { ...i.conceptos[0] };
    });
    expect(e.map((x) => x.path)).toContain('conceptos');
  });

  it('18 digits exactly still build', () => {
    expect(errores((i) => (i.conceptos[0].valor_unitario = '100000000000000000'))).toEqual([]);
  });

  it('an input of 19 integer digits or 7 decimals is a shape error', () => {
    expect(errores((i) => (i.conceptos[0].valor_unitario = '1000000000000000000')).map((x) => x.path)).toEqual(['conceptos[0].valor_unitario']);
    expect(errores((i) => (i.conceptos[0].cantidad = '1.0000001')).map((x) => x.path)).toEqual(['conceptos[0].cantidad']);
  });
});

describe('the same impuesto twice on one concepto', () => {
  // The SAT accepts it: the comprobante's summary adds both into its one row per combination (CFDI40218,
  // CFDI40208 are about that summary). It charges twice over one base, so HexaFac warns.
  const advertencias = (cambiar: (i: Input) => void) => {
    const i = base();
    cambiar(i);
    const r = prepararComprobante(i, EMISOR, { tipo: 'I', ahora: AHORA });
    expect(r.ok).toBe(true);
    return (r.advertencias ?? []).map((a) => `${a.path} ${a.code}`);
  };

  it('a repeated traslado (impuesto, factor, tasa) is an advertencia at the repetition', () => {
    expect(advertencias((i) => i.conceptos[0].impuestos.traslados.push({ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }))).toEqual([
      'conceptos[0].impuestos.traslados[1] HFX_IMPUESTO_REPETIDO',
    ]);
  });

  it('a repeated retención is an advertencia; different tasas of one impuesto are not repetitions', () => {
    const repetida = (i: Input) => {
      i.conceptos[0].impuestos.retenciones = [
        { impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.100000' },
        { impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.10' },
      ];
    };
    expect(advertencias(repetida)).toEqual(['conceptos[0].impuestos.retenciones[1] HFX_IMPUESTO_REPETIDO']);
    expect(advertencias((i) => i.conceptos[0].impuestos.traslados.push({ impuesto: '003', tipo_factor: 'Tasa', tasa_o_cuota: '0.265000' }))).toEqual([]);
  });
});
