/**
 * From a prepared Comprobante (any kind) to the sealed CFDI 4.0: the cfdi:Comprobante node, attributes
 * and children in cfdv40.xsd order, and the sello with the issuer's CSD.
 */
import { cadenaOriginalDe } from './cadena';
import type { Comprobante, Concepto, Emisor, ImpuestoConcepto } from './comprobante';
import type { Csd } from './csd';
import { instanteDeFechaLocal, zonaHoraria } from './fecha';
import { NS, ubicacionEsquema } from './namespaces';
import { firmarRsaSha256 } from './sello';
import type { ValidationIssue } from './validar';
import { arbolLeido, el, renderXml, type XmlElement } from './xml';

/** What a kind's `preparar` gives: the Comprobante (plus what the kind adds, e.g. its complement) or every problem. */
/**
 * `advertencias`: what the SAT does not reject but a contador would question (e.g. IVA 8 % outside the franja
 * fronteriza, forma de pago 99 with PUE), each with its path and code; never a reason to refuse.
 */
export type Preparacion<T = object> =
  | ({ ok: true; comprobante: Comprobante; advertencias?: ValidationIssue[] } & T)
  | { ok: false; errors: ValidationIssue[]; advertencias?: ValidationIssue[] };

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
  const schemaLocation = [ubicacionEsquema('cfdi'), ...complementos.flatMap((comp) => comp.schemaLocation)].join(' ');
  const imp = c.impuestos;

  return el(
    'cfdi:Comprobante',
    {
      'xmlns:cfdi': NS.cfdi,
      'xmlns:xsi': NS.xsi,
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

/** The cadena original the Comprobante will carry once sealed with this certificate (the Sello is not part of it). */
export function cadenaPrevista(c: Comprobante, certificado: { noCertificado: string; certificadoBase64: string }): string {
  return cadenaOriginalDe(arbolLeido(comprobanteNodo(c, { sello: '', ...certificado })));
}

// Stands in for the Sello while the XML is rendered. The first ` Sello="…"` of the document is the
// Comprobante's: every attribute written before it escapes '"'.
const SELLO_PENDIENTE = 'SELLO-PENDIENTE';

export type Emision = { ok: true; xml: string; comprobante: Comprobante } | { ok: false; errors: ValidationIssue[] };

/**
 * Seals a prepared Comprobante of any kind: the cadena original is
 * read from the node being built (no render and re-parse), and the XML is rendered while the
 * signature is computed (Web Crypto signs off the main thread in Node). The CSD must belong to the
 * emisor and be valid at the comprobante's Fecha.
 */
export async function sellarComprobante(comprobante: Comprobante, emisor: Emisor, csd: Csd): Promise<Emision> {
  const errors: ValidationIssue[] = [];
  if (csd.rfc !== emisor.rfc) errors.push({ path: 'emisor.rfc', code: 'HFX_CSD_OTRO_RFC', message: `El CSD es del RFC ${csd.rfc}, no del emisor ${emisor.rfc}.` });
  const emitido = instanteDeFechaLocal(comprobante.fecha, zonaHoraria(emisor.lugarExpedicion));
  if (emitido < csd.validoDesde || emitido > csd.validoHasta) {
    errors.push({ path: 'fecha', code: 'HFX_CSD_NO_VIGENTE', message: `El CSD ${csd.noCertificado} no está vigente en la fecha del comprobante (${comprobante.fecha}).` });
  }
  if (errors.length) return { ok: false, errors };
  const datos = { sello: SELLO_PENDIENTE, noCertificado: csd.noCertificado, certificadoBase64: csd.certificadoBase64 };
  const nodo = comprobanteNodo(comprobante, datos);
  const firma = firmarRsaSha256(cadenaOriginalDe(arbolLeido(nodo)), csd.privateKey);
  const xml = renderXml(nodo);
  const sello = await firma;
  return { ok: true, xml: xml.replace(` Sello="${SELLO_PENDIENTE}"`, () => ` Sello="${sello}"`), comprobante };
}
