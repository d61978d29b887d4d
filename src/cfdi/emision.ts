/**
 * From JSON to a sealed CFDI 4.0: prepararComprobante (shape + fiscal rules + arithmetic),
 * comprobanteXml (the unsigned XML) and emitirCfdi (both, then the sello with the CSD).
 */
import { calcularComprobante } from './calc';
import { decimalesMoneda } from './catalogs';
import type { Csd } from './csd';
import { FacturaInputSchema, type Comprobante, type Concepto, type Emisor, type FacturaInput, type ImpuestoConcepto } from './model';
import { cadenaOriginalDe } from './cadena';
import { firmarRsaSha256 } from './sello';
import { instanteDeFechaLocal, resolverFecha, validarFactura, zonaHoraria, type ValidationIssue } from './validate';
import { arbolLeido, el, renderXml, type XmlElement } from './xml';

export const CFDI_NS = 'http://www.sat.gob.mx/cfd/4';
export const CFDI_XSD = 'http://www.sat.gob.mx/sitio_internet/cfd/4/cfdv40.xsd';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export type Preparacion = { ok: true; comprobante: Comprobante } | { ok: false; errors: ValidationIssue[] };

/** "conceptos[0].impuestos.traslados[1].tasa_o_cuota" from a zod issue path. */
export function rutaJson(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

/** The Receptor node from the request's snake_case receptor (shared by every tipo de comprobante). */
export function receptorDe(r: FacturaInput['receptor']): Comprobante['receptor'] {
  return {
    rfc: r.rfc,
    nombre: r.nombre,
    domicilioFiscalReceptor: r.domicilio_fiscal,
    residenciaFiscal: r.residencia_fiscal,
    numRegIdTrib: r.num_reg_id_trib,
    regimenFiscalReceptor: r.regimen_fiscal,
    usoCfdi: r.uso_cfdi,
  };
}

/**
 * Validates `input` (shape with FacturaInputSchema, then every fiscal rule, all problems at once)
 * and computes the Comprobante. Shape errors are reported alone: the fiscal rules need a well-formed
 * input. Fecha defaults to `ahora` as local time at the emisor's LugarExpedicion.
 */
export function prepararComprobante(input: unknown, emisor: Emisor, opts: { tipo: 'I' | 'E'; ahora?: Date }): Preparacion {
  const parsed = FacturaInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: rutaJson(i.path), message: i.message })) };
  }
  const datos: FacturaInput = parsed.data;
  const { fecha, errors: erroresFecha } = resolverFecha(datos.fecha, emisor.lugarExpedicion, opts.ahora ?? new Date());

  const errors = [...erroresFecha, ...validarFactura(datos, emisor, { tipo: opts.tipo, fecha })];
  if (errors.length) return { ok: false, errors };

  const totales = calcularComprobante(datos.conceptos, decimalesMoneda(datos.moneda)!);
  const r = datos.receptor;
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
      receptor: receptorDe(r),
      conceptos: totales.conceptos,
      impuestos: totales.impuestos,
    },
  };
}

const impuestoConceptoXml = (name: string, i: ImpuestoConcepto) =>
  el(name, { Base: i.base, Impuesto: i.impuesto, TipoFactor: i.tipoFactor, TasaOCuota: i.tasaOCuota, Importe: i.importe });

function conceptoXml(c: Concepto): XmlElement {
  const imp = c.impuestos;
  return el(
    'cfdi:Concepto',
    {
      ClaveProdServ: c.claveProdServ,
      NoIdentificacion: c.noIdentificacion,
      Cantidad: c.cantidad,
      ClaveUnidad: c.claveUnidad,
      Unidad: c.unidad,
      Descripcion: c.descripcion,
      ValorUnitario: c.valorUnitario,
      Importe: c.importe,
      Descuento: c.descuento,
      ObjetoImp: c.objetoImp,
    },
    [
      imp &&
        el('cfdi:Impuestos', {}, [
          imp.traslados.length > 0 && el('cfdi:Traslados', {}, imp.traslados.map((t) => impuestoConceptoXml('cfdi:Traslado', t))),
          imp.retenciones.length > 0 && el('cfdi:Retenciones', {}, imp.retenciones.map((r) => impuestoConceptoXml('cfdi:Retencion', r))),
        ]),
    ],
  );
}

/** What sealing adds to cfdi:Comprobante. */
interface DatosSello {
  sello: string;
  noCertificado: string;
  certificadoBase64: string;
}

/**
 * The cfdi:Comprobante node of a Comprobante, with or without the sello's attributes. Attributes in
 * cfdv40.xsd order; empty optional attributes and nodes are omitted when rendered.
 */
function comprobanteNodo(c: Comprobante, sello?: DatosSello): XmlElement {
  const complementos = c.complementos ?? [];
  const namespaces: Record<string, string> = {};
  for (const comp of complementos) {
    for (const [prefix, uri] of Object.entries(comp.namespaces)) namespaces[`xmlns:${prefix}`] = uri;
  }
  const schemaLocation = [`${CFDI_NS} ${CFDI_XSD}`, ...complementos.flatMap((comp) => comp.schemaLocation)].join(' ');
  const imp = c.impuestos;

  return el(
    'cfdi:Comprobante',
    {
      'xmlns:cfdi': CFDI_NS,
      'xmlns:xsi': XSI_NS,
      ...namespaces,
      'xsi:schemaLocation': schemaLocation,
      Version: c.version,
      Serie: c.serie,
      Folio: c.folio,
      Fecha: c.fecha,
      Sello: sello?.sello,
      FormaPago: c.formaPago,
      NoCertificado: sello?.noCertificado,
      Certificado: sello?.certificadoBase64,
      CondicionesDePago: c.condicionesDePago,
      SubTotal: c.subTotal,
      Descuento: c.descuento,
      Moneda: c.moneda,
      TipoCambio: c.tipoCambio,
      Total: c.total,
      TipoDeComprobante: c.tipoDeComprobante,
      Exportacion: c.exportacion,
      MetodoPago: c.metodoPago,
      LugarExpedicion: c.lugarExpedicion,
    },
    [
      c.informacionGlobal &&
        el('cfdi:InformacionGlobal', { Periodicidad: c.informacionGlobal.periodicidad, Meses: c.informacionGlobal.meses, Año: c.informacionGlobal.año }),
      ...c.cfdiRelacionados.map((rel) =>
        el('cfdi:CfdiRelacionados', { TipoRelacion: rel.tipoRelacion }, rel.uuids.map((uuid) => el('cfdi:CfdiRelacionado', { UUID: uuid }))),
      ),
      el('cfdi:Emisor', { Rfc: c.emisor.rfc, Nombre: c.emisor.nombre, RegimenFiscal: c.emisor.regimenFiscal }),
      el('cfdi:Receptor', {
        Rfc: c.receptor.rfc,
        Nombre: c.receptor.nombre,
        DomicilioFiscalReceptor: c.receptor.domicilioFiscalReceptor,
        ResidenciaFiscal: c.receptor.residenciaFiscal,
        NumRegIdTrib: c.receptor.numRegIdTrib,
        RegimenFiscalReceptor: c.receptor.regimenFiscalReceptor,
        UsoCFDI: c.receptor.usoCfdi,
      }),
      el('cfdi:Conceptos', {}, c.conceptos.map(conceptoXml)),
      imp &&
        el('cfdi:Impuestos', { TotalImpuestosRetenidos: imp.totalImpuestosRetenidos, TotalImpuestosTrasladados: imp.totalImpuestosTrasladados }, [
          imp.retenciones.length > 0 &&
            el('cfdi:Retenciones', {}, imp.retenciones.map((r) => el('cfdi:Retencion', { Impuesto: r.impuesto, Importe: r.importe }))),
          imp.traslados.length > 0 &&
            el('cfdi:Traslados', {}, imp.traslados.map((t) => impuestoConceptoXml('cfdi:Traslado', t))),
        ]),
      complementos.length > 0 && el('cfdi:Complemento', {}, complementos.map((comp) => comp.nodo)),
    ],
  );
}

/** The unsealed CFDI 4.0 XML of a Comprobante (sellarCfdi can seal it). */
export function comprobanteXml(c: Comprobante): string {
  return renderXml(comprobanteNodo(c));
}

// Stands in for the Sello while the XML is rendered. The first ` Sello="…"` of the document is the
// Comprobante's: every attribute written before it escapes '"'.
const SELLO_PENDIENTE = 'SELLO-PENDIENTE';

export type Emision = { ok: true; xml: string; comprobante: Comprobante } | { ok: false; errors: ValidationIssue[] };

/**
 * Seals a prepared Comprobante of any tipo (pagos.ts seals tipo P with it): the cadena original is
 * read from the node being built (no render and re-parse), and the XML is rendered while the
 * signature is computed (Web Crypto signs off the main thread in Node). The CSD must belong to the
 * emisor and be valid at the comprobante's Fecha.
 */
export async function sellarComprobante(comprobante: Comprobante, emisor: Emisor, csd: Csd): Promise<Emision> {
  const errors: ValidationIssue[] = [];
  if (csd.rfc !== emisor.rfc) errors.push({ path: 'emisor.rfc', message: `El CSD es del RFC ${csd.rfc}, no del emisor ${emisor.rfc}.` });
  const emitido = instanteDeFechaLocal(comprobante.fecha, zonaHoraria(emisor.lugarExpedicion));
  if (emitido < csd.validoDesde || emitido > csd.validoHasta) {
    errors.push({ path: 'fecha', message: `El CSD ${csd.noCertificado} no está vigente en la fecha del comprobante (${comprobante.fecha}).` });
  }
  if (errors.length) return { ok: false, errors };
  const datos = { sello: SELLO_PENDIENTE, noCertificado: csd.noCertificado, certificadoBase64: csd.certificadoBase64 };
  const nodo = comprobanteNodo(comprobante, datos);
  const firma = firmarRsaSha256(cadenaOriginalDe(arbolLeido(nodo)), csd.privateKey);
  const xml = renderXml(nodo);
  const sello = await firma;
  return { ok: true, xml: xml.replace(` Sello="${SELLO_PENDIENTE}"`, () => ` Sello="${sello}"`), comprobante };
}

/** prepararComprobante → sellarComprobante. */
export async function emitirCfdi(
  input: unknown,
  emisor: Emisor,
  csd: Csd,
  opts: { tipo?: 'I' | 'E'; ahora?: Date } = {},
): Promise<Emision> {
  const prep = prepararComprobante(input, emisor, { tipo: opts.tipo ?? 'I', ahora: opts.ahora });
  if (!prep.ok) return prep;
  return sellarComprobante(prep.comprobante, emisor, csd);
}
