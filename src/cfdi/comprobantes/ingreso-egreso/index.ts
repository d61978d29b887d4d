/**
 * CFDI de ingreso (factura) and egreso (nota de crédito): one input, the same rules and arithmetic;
 * egreso adds that it must relate the CFDI it credits.
 */
import { decimalesMoneda } from '../../catalogs';
import { calcularCartaPorte, complementoCartaPorte } from '../../complementos/carta-porte';
import type { Emisor } from '../../comprobante';
import type { Preparacion } from '../../emision';
import { leerEntrada, receptorDe, sinForma } from '../../entrada';
import { resolverFecha } from '../../fecha';
import { importesEnRango, Problemas } from '../../validar';
import { calcularComprobante } from './calcular';
import { FacturaEntradaSchema } from './modelo';
import { validarFactura } from './validar';

export { FacturaEntradaSchema, ConceptoEntradaSchema, type ConceptoEntrada, type FacturaEntrada } from './modelo';

/**
 * Validates `input` (its shape with FacturaEntradaSchema and every fiscal rule over the fields that are
 * well formed: all problems in one answer) and computes the Comprobante, with the advertencias either way.
 * Fecha defaults to `ahora` as local time at the emisor's LugarExpedicion.
 */
export function prepararComprobante(input: unknown, emisor: Emisor, opts: { tipo: 'I' | 'E'; ahora?: Date }): Preparacion {
  const entrada = leerEntrada(FacturaEntradaSchema, input);
  const datos = entrada.ok ? entrada.datos : entrada.parcial;
  const { fecha, errors: erroresFecha } = resolverFecha(datos.fecha, emisor.lugarExpedicion, opts.ahora ?? new Date());
  const reglas = validarFactura(datos, emisor, { tipo: opts.tipo, fecha });
  const advertencias = reglas.advertencias.length ? { advertencias: reglas.advertencias } : {};
  if (!entrada.ok) return { ok: false, errors: [...entrada.errors, ...sinForma(entrada.errors, [...erroresFecha, ...reglas.lista])], ...advertencias };
  const errors = [...erroresFecha, ...reglas.lista];
  if (errors.length) return { ok: false, errors, ...advertencias };

  const completos = entrada.datos;
  const totales = calcularComprobante(completos.conceptos, decimalesMoneda(completos.moneda)!);
  const rango = new Problemas();
  importesEnRango(totales, rango.add);
  const cartaPorte = completos.carta_porte && calcularCartaPorte(completos.carta_porte, rango);
  if (rango.lista.length) return { ok: false, errors: rango.lista, ...advertencias };
  const g = completos.informacion_global;
  return {
    ok: true,
    ...advertencias,
    comprobante: {
      version: '4.0',
      serie: completos.serie,
      folio: completos.folio,
      fecha,
      formaPago: completos.forma_pago,
      condicionesDePago: completos.condiciones_de_pago,
      subTotal: totales.subTotal,
      descuento: totales.descuento,
      moneda: completos.moneda,
      tipoCambio: completos.tipo_cambio === undefined ? undefined : String(completos.tipo_cambio),
      total: totales.total,
      tipoDeComprobante: opts.tipo,
      exportacion: completos.exportacion,
      metodoPago: completos.metodo_pago,
      lugarExpedicion: emisor.lugarExpedicion,
      informacionGlobal: g && { periodicidad: g.periodicidad, meses: g.meses, año: String(g.año) },
      cfdiRelacionados: completos.cfdi_relacionados.map((rel) => ({ tipoRelacion: rel.tipo_relacion, uuids: rel.uuids.map((u) => u.toUpperCase()) })),
      emisor: { rfc: emisor.rfc, nombre: emisor.nombre, regimenFiscal: emisor.regimenFiscal },
      receptor: receptorDe(completos.receptor),
      conceptos: totales.conceptos,
      impuestos: totales.impuestos,
      ...(cartaPorte ? { complementos: [complementoCartaPorte(cartaPorte)] } : {}),
    },
  };
}
