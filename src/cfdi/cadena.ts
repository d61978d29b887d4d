// Cadena original of CFDI 4.0 and of the TimbreFiscalDigital 1.1, written by hand to give byte for byte
// what the SAT's own stylesheets give (cadenaoriginal_4_0.xslt + utilerias.xslt + Pagos20.xslt, and
// cadenaoriginal_TFD_1_1.xslt), without an XSLT engine.
//
// How the stylesheets behave, and how this file mirrors them:
// - "Requerido" always writes `|` + normalize-space(value) (an absent attribute gives a bare `|`);
//   "Opcional" writes it only if the attribute node exists (so a present empty attribute gives `|`).
//   Field lists below are written as names, with a leading `?` for Opcional.
// - normalize-space collapses runs of #x20 #x9 #xD #xA into one space and trims them (only those four).
// - Each `xsl:template match=` is an entry in TEMPLATES, looked up by namespace + local name as
//   apply-templates would. An element with no template gets XSLT's built-in rule: its text is copied
//   and its child elements are processed in turn (that is why the TimbreFiscalDigital, which has no
//   template in the 4.0 stylesheet, contributes nothing).
// - Complements the 4.0 stylesheet does have templates for (other than Pagos 2.0) are not implemented:
//   they raise CadenaError instead of silently producing a wrong cadena.

import { arbolDe, attr, children, type XmlElement, type XmlEntrada } from './dom';
import { NS } from './namespaces';

export class CadenaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CadenaError';
  }
}

type Campos = readonly (readonly [name: string, requerido: boolean])[];

function campos(spec: string): Campos {
  return spec.split(' ').map((n) => (n.startsWith('?') ? ([n.slice(1), false] as const) : ([n, true] as const)));
}

const XML_WHITESPACE_RUN = /[ \t\n\r]+/g;

/** XPath normalize-space(). */
export function normalizeSpace(v: string): string {
  const ultimo = v.length - 1;
  // fast path (indexOf beats a regex): nothing to collapse or trim
  if (
    v.charCodeAt(0) !== 0x20 &&
    v.charCodeAt(ultimo) !== 0x20 &&
    v.indexOf('  ') < 0 &&
    v.indexOf('\n') < 0 &&
    v.indexOf('\t') < 0 &&
    v.indexOf('\r') < 0
  ) {
    return v;
  }
  const collapsed = v.replace(XML_WHITESPACE_RUN, ' ');
  const from = collapsed.charCodeAt(0) === 0x20 ? 1 : 0;
  const to = collapsed.length > from && collapsed.charCodeAt(collapsed.length - 1) === 0x20 ? collapsed.length - 1 : collapsed.length;
  return collapsed.slice(from, to);
}

function escribir(el: XmlElement, lista: Campos): string {
  let out = '';
  for (let i = 0; i < lista.length; i++) {
    const [nombre, requerido] = lista[i];
    const v = attr(el, nombre);
    if (v !== undefined) out += '|' + normalizeSpace(v);
    else if (requerido) out += '|';
  }
  return out;
}

/** Writes the fields of every element reached by a child path (e.g. Impuestos/Traslados/Traslado), in document order. */
function porCada(el: XmlElement, ns: string, pasos: readonly string[], lista: Campos, desde = 0): string {
  let out = '';
  const paso = pasos[desde];
  for (const c of el.children) {
    if (typeof c === 'string' || c.local !== paso || c.ns !== ns) continue;
    out += desde === pasos.length - 1 ? escribir(c, lista) : porCada(c, ns, pasos, lista, desde + 1);
  }
  return out;
}

/** apply-templates select="./ns:local". */
function aplicarHijos(el: XmlElement, ns: string, local: string): string {
  let out = '';
  for (const c of el.children) if (typeof c !== 'string' && c.local === local && c.ns === ns) out += aplicar(c);
  return out;
}

/** `.//ns:local` relative to el, in document order. */
function descendientes(el: XmlElement, ns: string, local: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.local === local && c.ns === ns) out.push(c);
    descendientes(c, ns, local, out);
  }
  return out;
}

function aplicarTodos(els: XmlElement[]): string {
  let out = '';
  for (const e of els) out += aplicar(e);
  return out;
}

/** for-each select="./*": apply-templates to every child element. */
function aplicarElementos(el: XmlElement): string {
  let out = '';
  for (const c of el.children) if (typeof c !== 'string') out += aplicar(c);
  return out;
}

const C = NS.cfdi;
const P = NS.pago20;

const COMPROBANTE = campos(
  'Version ?Serie ?Folio Fecha ?FormaPago NoCertificado ?CondicionesDePago SubTotal ?Descuento Moneda ?TipoCambio Total TipoDeComprobante Exportacion ?MetodoPago LugarExpedicion ?Confirmacion',
);
const INFORMACION_GLOBAL = campos('Periodicidad Meses Año');
const EMISOR = campos('Rfc Nombre RegimenFiscal ?FacAtrAdquirente');
const RECEPTOR = campos('Rfc Nombre DomicilioFiscalReceptor ?ResidenciaFiscal ?NumRegIdTrib RegimenFiscalReceptor UsoCFDI');
const CONCEPTO = campos('ClaveProdServ ?NoIdentificacion Cantidad ClaveUnidad ?Unidad Descripcion ValorUnitario Importe ?Descuento ObjetoImp');
const TRASLADO = campos('Base Impuesto TipoFactor ?TasaOCuota ?Importe');
const RETENCION_CONCEPTO = campos('Base Impuesto TipoFactor TasaOCuota Importe');
const RETENCION = campos('Impuesto Importe');
const TOTAL_RETENIDOS = campos('?TotalImpuestosRetenidos');
const TOTAL_TRASLADADOS = campos('?TotalImpuestosTrasladados');
const A_CUENTA_TERCEROS = campos('RfcACuentaTerceros NombreACuentaTerceros RegimenFiscalACuentaTerceros DomicilioFiscalACuentaTerceros');
const PARTE = campos('ClaveProdServ ?NoIdentificacion Cantidad ?Unidad Descripcion ?ValorUnitario ?Importe');
const PAGOS = campos('Version');
const TOTALES = campos(
  '?TotalRetencionesIVA ?TotalRetencionesISR ?TotalRetencionesIEPS ?TotalTrasladosBaseIVA16 ?TotalTrasladosImpuestoIVA16 ?TotalTrasladosBaseIVA8 ?TotalTrasladosImpuestoIVA8 ?TotalTrasladosBaseIVA0 ?TotalTrasladosImpuestoIVA0 ?TotalTrasladosBaseIVAExento MontoTotalPagos',
);
const PAGO = campos(
  'FechaPago FormaDePagoP MonedaP ?TipoCambioP Monto ?NumOperacion ?RfcEmisorCtaOrd ?NomBancoOrdExt ?CtaOrdenante ?RfcEmisorCtaBen ?CtaBeneficiario ?TipoCadPago ?CertPago ?CadPago ?SelloPago',
);
const DOCTO_RELACIONADO = campos('IdDocumento ?Serie ?Folio MonedaDR ?EquivalenciaDR NumParcialidad ImpSaldoAnt ImpPagado ImpSaldoInsoluto ObjetoImpDR');
const RETENCION_DR = campos('BaseDR ImpuestoDR TipoFactorDR TasaOCuotaDR ImporteDR');
const TRASLADO_DR = campos('BaseDR ImpuestoDR TipoFactorDR ?TasaOCuotaDR ?ImporteDR');
const RETENCION_P = campos('ImpuestoP ImporteP');
const TRASLADO_P = campos('BaseP ImpuestoP TipoFactorP ?TasaOCuotaP ?ImporteP');
const TFD = campos('Version UUID FechaTimbrado RfcProvCertif ?Leyenda SelloCFD NoCertificadoSAT');

type Template = (el: XmlElement) => string;

const TEMPLATES: Record<string, Record<string, Template>> = {
  [C]: {
    Comprobante: (el) =>
      escribir(el, COMPROBANTE) +
      aplicarHijos(el, C, 'InformacionGlobal') +
      aplicarHijos(el, C, 'CfdiRelacionados') +
      aplicarHijos(el, C, 'Emisor') +
      aplicarHijos(el, C, 'Receptor') +
      aplicarHijos(el, C, 'Conceptos') +
      aplicarHijos(el, C, 'Impuestos') +
      aplicarHijos(el, C, 'Complemento'),
    InformacionGlobal: (el) => escribir(el, INFORMACION_GLOBAL),
    CfdiRelacionados: (el) => {
      let out = '|' + normalizeSpace(attr(el, 'TipoRelacion') ?? '');
      for (const r of children(el, C, 'CfdiRelacionado')) out += '|' + normalizeSpace(attr(r, 'UUID') ?? '');
      return out;
    },
    Emisor: (el) => escribir(el, EMISOR),
    Receptor: (el) => escribir(el, RECEPTOR),
    Conceptos: (el) => aplicarHijos(el, C, 'Concepto'),
    Concepto: (el) =>
      escribir(el, CONCEPTO) +
      porCada(el, C, ['Impuestos', 'Traslados', 'Traslado'], TRASLADO) +
      porCada(el, C, ['Impuestos', 'Retenciones', 'Retencion'], RETENCION_CONCEPTO) +
      aplicarHijos(el, C, 'ACuentaTerceros') +
      aplicarHijos(el, C, 'InformacionAduanera') +
      aplicarHijos(el, C, 'CuentaPredial') +
      aplicarHijos(el, C, 'ComplementoConcepto') +
      aplicarTodos(descendientes(el, C, 'Parte')),
    ACuentaTerceros: (el) => escribir(el, A_CUENTA_TERCEROS),
    InformacionAduanera: (el) => '|' + normalizeSpace(attr(el, 'NumeroPedimento') ?? ''),
    CuentaPredial: (el) => '|' + normalizeSpace(attr(el, 'Numero') ?? ''),
    ComplementoConcepto: (el) => aplicarElementos(el),
    Parte: (el) => escribir(el, PARTE) + aplicarTodos(descendientes(el, C, 'InformacionAduanera')),
    Complemento: (el) => aplicarElementos(el),
    Impuestos: (el) =>
      porCada(el, C, ['Retenciones', 'Retencion'], RETENCION) +
      escribir(el, TOTAL_RETENIDOS) +
      porCada(el, C, ['Traslados', 'Traslado'], TRASLADO) +
      escribir(el, TOTAL_TRASLADADOS),
  },
  [P]: {
    Pagos: (el) => escribir(el, PAGOS) + aplicarHijos(el, P, 'Totales') + aplicarHijos(el, P, 'Pago'),
    Totales: (el) => escribir(el, TOTALES),
    Pago: (el) => escribir(el, PAGO) + aplicarHijos(el, P, 'DoctoRelacionado') + aplicarHijos(el, P, 'ImpuestosP'),
    DoctoRelacionado: (el) =>
      escribir(el, DOCTO_RELACIONADO) +
      porCada(el, P, ['ImpuestosDR', 'RetencionesDR', 'RetencionDR'], RETENCION_DR) +
      porCada(el, P, ['ImpuestosDR', 'TrasladosDR', 'TrasladoDR'], TRASLADO_DR),
    ImpuestosP: (el) => aplicarHijos(el, P, 'RetencionesP') + aplicarHijos(el, P, 'TrasladosP'),
    RetencionesP: (el) => aplicarHijos(el, P, 'RetencionP'),
    TrasladosP: (el) => aplicarHijos(el, P, 'TrasladoP'),
    RetencionP: (el) => escribir(el, RETENCION_P),
    TrasladoP: (el) => escribir(el, TRASLADO_P),
  },
};

// Namespaces of the other complements cadenaoriginal_4_0.xslt includes templates for.
const COMPLEMENTOS_NO_SOPORTADOS = new Set([
  'http://www.sat.gob.mx/ComercioExterior11',
  'http://www.sat.gob.mx/ComercioExterior20',
  'http://www.sat.gob.mx/donat',
  'http://www.sat.gob.mx/divisas',
  'http://www.sat.gob.mx/implocal',
  'http://www.sat.gob.mx/leyendasFiscales',
  'http://www.sat.gob.mx/pfic',
  'http://www.sat.gob.mx/TuristaPasajeroExtranjero',
  'http://www.sat.gob.mx/nomina12',
  'http://www.sat.gob.mx/registrofiscal',
  'http://www.sat.gob.mx/pagoenespecie',
  'http://www.sat.gob.mx/aerolineas',
  'http://www.sat.gob.mx/valesdedespensa',
  'http://www.sat.gob.mx/notariospublicos',
  'http://www.sat.gob.mx/vehiculousado',
  'http://www.sat.gob.mx/servicioparcialconstruccion',
  'http://www.sat.gob.mx/renovacionysustitucionvehiculos',
  'http://www.sat.gob.mx/certificadodestruccion',
  'http://www.sat.gob.mx/arteantiguedades',
  'http://www.sat.gob.mx/ine',
  'http://www.sat.gob.mx/iedu',
  'http://www.sat.gob.mx/ventavehiculos',
  'http://www.sat.gob.mx/detallista',
  'http://www.sat.gob.mx/EstadoDeCuentaCombustible12',
  'http://www.sat.gob.mx/ConsumoDeCombustibles11',
  'http://www.sat.gob.mx/GastosHidrocarburos10',
  'http://www.sat.gob.mx/IngresosHidrocarburos10',
  'http://www.sat.gob.mx/CartaPorte20',
  'http://www.sat.gob.mx/CartaPorte30',
  'http://www.sat.gob.mx/CartaPorte31',
  'http://www.sat.gob.mx/hidrocarburospetroliferos',
]);

/** xsl:apply-templates on one element. */
function aplicar(el: XmlElement): string {
  const t = TEMPLATES[el.ns]?.[el.local];
  if (t) return t(el);
  if (COMPLEMENTOS_NO_SOPORTADOS.has(el.ns)) {
    throw new CadenaError(`El complemento ${el.qname} (${el.ns}) no está soportado para la cadena original; solo Pagos 2.0.`);
  }
  // built-in template rule: copy text, recurse into elements
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : aplicar(c);
  return out;
}

/** Cadena original of a parsed cfdi:Comprobante 4.0 (used by sello/verify to avoid parsing twice). */
export function cadenaOriginalDe(comprobante: XmlElement): string {
  if (comprobante.ns !== C || comprobante.local !== 'Comprobante') {
    throw new CadenaError(`El elemento raíz no es un cfdi:Comprobante 4.0 (${C}): ${comprobante.qname}`);
  }
  return '|' + aplicar(comprobante) + '||';
}

/** Cadena original of any CFDI 4.0 XML, identical to the SAT's cadenaoriginal_4_0.xslt output. */
export function cadenaOriginal(xml: string): string {
  return cadenaOriginalDe(arbolDe(xml));
}

/** Cadena original of a parsed tfd:TimbreFiscalDigital. */
export function cadenaOriginalTfdDe(tfd: XmlElement): string {
  return '|' + escribir(tfd, TFD) + '||';
}

/**
 * Cadena original of the TimbreFiscalDigital 1.1, identical to cadenaoriginal_TFD_1_1.xslt applied to
 * the TFD as its own document. Accepts that document or a whole stamped CFDI.
 */
export function cadenaOriginalTfd(xmlOrTfdXml: XmlEntrada): string {
  const root = arbolDe(xmlOrTfdXml);
  const tfd = root.ns === NS.tfd && root.local === 'TimbreFiscalDigital' ? root : buscarTfd(root);
  if (!tfd) throw new CadenaError('No hay tfd:TimbreFiscalDigital en el documento');
  return cadenaOriginalTfdDe(tfd);
}

/** The TimbreFiscalDigital inside cfdi:Complemento of a Comprobante, if any. */
export function buscarTfd(comprobante: XmlElement): XmlElement | undefined {
  for (const comp of children(comprobante, C, 'Complemento')) {
    const t = children(comp, NS.tfd, 'TimbreFiscalDigital')[0];
    if (t) return t;
  }
  return undefined;
}
