/**
 * CFDI tipo P with the Complemento para recepción de pagos 2.0: the fixed concepto 84111506 / ACT /
 * Pago, SubTotal and Total 0, Moneda XXX, no FormaPago or MetodoPago, uso CP01, and pago20:Pagos.
 */
import type { Emisor } from '../../comprobante';
import type { Preparacion } from '../../emision';
import { leerEntrada, receptorDe } from '../../entrada';
import { resolverFecha } from '../../fecha';
import { Problemas, validarEmisor, validarReceptor } from '../../validar';
import { calcularPagos } from './calcular';
import { ComplementoPagoEntradaSchema, type Pagos } from './modelo';
import { complementoPagos } from './xml';

export { calcularPagos, impuestosDeDocumento } from './calcular';
export { ComplementoPagoEntradaSchema, type ComplementoPagoEntrada, type DocumentoRelacionadoEntrada, type PagoEntrada, type Pagos } from './modelo';

/**
 * Validates `input` (shape, then every rule at once) and builds the CFDI tipo P; `pagos` is the
 * computed complement (balances, taxes, totals).
 */
export function prepararComplementoPago(input: unknown, emisor: Emisor, opts: { ahora?: Date } = {}): Preparacion<{ pagos: Pagos }> {
  const entrada = leerEntrada(ComplementoPagoEntradaSchema, input);
  if (!entrada.ok) return entrada;
  const datos = entrada.datos;
  const p = new Problemas();
  const { fecha, errors } = resolverFecha(datos.fecha, emisor.lugarExpedicion, opts.ahora ?? new Date());
  p.lista.push(...errors);
  validarEmisor(emisor, fecha, p.add);
  validarReceptor(datos.receptor, emisor, fecha, p.add);
  const calculo = calcularPagos(datos.pagos, fecha);
  if (!calculo.ok) p.lista.push(...calculo.errors);
  if (p.lista.length || !calculo.ok) return { ok: false, errors: p.lista };

  return {
    ok: true,
    pagos: calculo.pagos,
    comprobante: {
      version: '4.0',
      serie: datos.serie,
      folio: datos.folio,
      fecha,
      subTotal: '0',
      moneda: 'XXX',
      total: '0',
      tipoDeComprobante: 'P',
      exportacion: '01',
      lugarExpedicion: emisor.lugarExpedicion,
      cfdiRelacionados: [],
      emisor: { rfc: emisor.rfc, nombre: emisor.nombre, regimenFiscal: emisor.regimenFiscal },
      receptor: receptorDe(datos.receptor),
      conceptos: [{ claveProdServ: '84111506', cantidad: '1', claveUnidad: 'ACT', descripcion: 'Pago', valorUnitario: '0', importe: '0', objetoImp: '01' }],
      complementos: [complementoPagos(calculo.pagos)],
    },
  };
}
