/**
 * CFDI de ingreso (factura) and egreso (nota de crédito): one input, the same rules and arithmetic;
 * egreso adds that it must relate the CFDI it credits.
 */
import { decimalesMoneda } from '../../catalogs';
import type { Emisor } from '../../comprobante';
import type { Preparacion } from '../../emision';
import { leerEntrada, receptorDe } from '../../entrada';
import { resolverFecha } from '../../fecha';
import { importesEnRango, Problemas } from '../../validar';
import { calcularComprobante } from './calcular';
import { FacturaEntradaSchema } from './modelo';
import { validarFactura } from './validar';

export { FacturaEntradaSchema, ConceptoEntradaSchema, type ConceptoEntrada, type FacturaEntrada } from './modelo';

/**
 * Validates `input` (shape with FacturaEntradaSchema, then every fiscal rule, all problems at once)
 * and computes the Comprobante. Shape errors are reported alone: the fiscal rules need a well-formed
 * input. Fecha defaults to `ahora` as local time at the emisor's LugarExpedicion.
 */
export function prepararComprobante(input: unknown, emisor: Emisor, opts: { tipo: 'I' | 'E'; ahora?: Date }): Preparacion {
  const entrada = leerEntrada(FacturaEntradaSchema, input);
  if (!entrada.ok) return entrada;
  const datos = entrada.datos;
  const { fecha, errors: erroresFecha } = resolverFecha(datos.fecha, emisor.lugarExpedicion, opts.ahora ?? new Date());

  const errors = [...erroresFecha, ...validarFactura(datos, emisor, { tipo: opts.tipo, fecha })];
  if (errors.length) return { ok: false, errors };

  const totales = calcularComprobante(datos.conceptos, decimalesMoneda(datos.moneda)!);
  const rango = new Problemas();
  importesEnRango(totales, rango.add);
  if (rango.lista.length) return { ok: false, errors: rango.lista };
  const g = datos.informacion_global;
  return {
    ok: true,
    comprobante: {
      version: '4.0',
      serie: datos.serie,
      folio: datos.folio,
      fecha,
      formaPago: datos.forma_pago,
      condicionesDePago: datos.condiciones_de_pago,
      subTotal: totales.subTotal,
      descuento: totales.descuento,
      moneda: datos.moneda,
      tipoCambio: datos.tipo_cambio === undefined ? undefined : String(datos.tipo_cambio),
      total: totales.total,
      tipoDeComprobante: opts.tipo,
      exportacion: datos.exportacion,
      metodoPago: datos.metodo_pago,
      lugarExpedicion: emisor.lugarExpedicion,
      informacionGlobal: g && { periodicidad: g.periodicidad, meses: g.meses, año: String(g.año) },
      cfdiRelacionados: datos.cfdi_relacionados.map((rel) => ({ tipoRelacion: rel.tipo_relacion, uuids: rel.uuids.map((u) => u.toUpperCase()) })),
      emisor: { rfc: emisor.rfc, nombre: emisor.nombre, regimenFiscal: emisor.regimenFiscal },
      receptor: receptorDe(datos.receptor),
      conceptos: totales.conceptos,
      impuestos: totales.impuestos,
    },
  };
}
