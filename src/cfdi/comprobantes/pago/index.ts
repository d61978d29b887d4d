/**
 * CFDI tipo P with the Complemento para recepción de pagos 2.0: the fixed concepto 84111506 / ACT /
 * Pago, SubTotal and Total 0, Moneda XXX, no FormaPago or MetodoPago, uso CP01, and pago20:Pagos.
 */
import type { Emisor } from '../../comprobante';
import type { Preparacion } from '../../emision';
import { leerEntrada, receptorDe, sinForma } from '../../entrada';
import { resolverFecha } from '../../fecha';
import { Problemas, validarEmisor, validarReceptor } from '../../validar';
import { calcularPagos } from './calcular';
import { ComplementoPagoEntradaSchema, type Pagos } from './modelo';
import { complementoPagos } from './xml';

export { calcularPagos, impuestosDeDocumento } from './calcular';
export { ComplementoPagoEntradaSchema, type ComplementoPagoEntrada, type DocumentoRelacionadoEntrada, type PagoEntrada, type Pagos } from './modelo';

/**
 * Validates `input` (its shape and every rule at once: the rules run over the fields that parsed) and
 * builds the CFDI tipo P; `pagos` is the computed complement (balances, taxes, totals).
 */
export function prepararComplementoPago(input: unknown, emisor: Emisor, opts: { ahora?: Date } = {}): Preparacion<{ pagos: Pagos }> {
  const lectura = leerEntrada(ComplementoPagoEntradaSchema, input);
  const datos = lectura.ok ? lectura.datos : lectura.parcial;
  const p = new Problemas();
  const { fecha, errors } = resolverFecha(datos.fecha, emisor.lugarExpedicion, opts.ahora ?? new Date());
  p.lista.push(...errors);
  validarEmisor(emisor, fecha, p.add);
  if (datos.receptor) validarReceptor(datos.receptor, emisor, fecha, p.add);
  const calculo = calcularPagos(datos.pagos ?? [], fecha);
  if (!calculo.ok) p.lista.push(...calculo.errors);
  const advertencias = calculo.advertencias.length ? { advertencias: calculo.advertencias } : {};
  if (!lectura.ok) return { ok: false, errors: [...lectura.errors, ...sinForma(lectura.errors, p.lista)], ...advertencias };
  if (p.lista.length || !calculo.ok) return { ok: false, errors: p.lista, ...advertencias };
  const entrada = lectura.datos;

  return {
    ok: true,
    pagos: calculo.pagos,
    ...advertencias,
    comprobante: {
      version: '4.0',
      serie: entrada.serie,
      folio: entrada.folio,
      fecha,
      subTotal: '0',
      moneda: 'XXX',
      total: '0',
      tipoDeComprobante: 'P',
      exportacion: '01',
      lugarExpedicion: emisor.lugarExpedicion,
      cfdiRelacionados: [],
      emisor: { rfc: emisor.rfc, nombre: emisor.nombre, regimenFiscal: emisor.regimenFiscal },
      receptor: receptorDe(entrada.receptor),
      conceptos: [{ claveProdServ: '84111506', cantidad: '1', claveUnidad: 'ACT', descripcion: 'Pago', valorUnitario: '0', importe: '0', objetoImp: '01' }],
      complementos: [complementoPagos(calculo.pagos)],
    },
  };
}
