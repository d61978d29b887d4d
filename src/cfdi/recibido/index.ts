/**
 * A CFDI 4.0 received from a supplier, checked as accounts payable must before paying: the Sello against the
 * recomputed cadena original and the certificate inside the document, the TimbreFiscalDigital (SelloCFD, and
 * SelloSAT when the stamping certificate is known), the SAT's XSDs and the SAT's rules that the document alone
 * decides; plus the CFDI as JSON. The same result serves the API (POST /cfdi/verificar), the CLI and the admin panel.
 */
import { CADENA_CFDI40 } from '../cadena.generated';
import { textoXml } from '../codificacion';
import { attr, child, children, parseXml, XmlError, type XmlElement } from '../dom';
import { NS } from '../namespaces';
import type { ValidationIssue } from '../validar';
import { verificarSello, verificarTimbre } from '../verify';
import { validateXsd } from '../xsd/validate';
import { cfdiJson, type Json } from './json';
import { reglasRecibido } from './reglas';

export { cfdiJson, snake, type Json, type NodoGenerico } from './json';
export { REGLAS_RECIBIDO, reglasRecibido } from './reglas';

const CFDI33 = 'http://www.sat.gob.mx/cfd/3';

export type CodigoRecibido = 'HFX_XML_MAL_FORMADO' | 'HFX_NO_ES_CFDI40';

/** The input is not a CFDI 4.0 that can be read at all: nothing to verify. */
export class RecibidoError extends Error {
  constructor(
    readonly code: CodigoRecibido,
    message: string,
    readonly details: ValidationIssue[],
  ) {
    super(message);
    this.name = 'RecibidoError';
  }
}

/** A problem found in the document: always with a code (the SAT's, or HFX_XSD for what only the XSD refuses). */
export type Problema = Required<ValidationIssue>;

export interface VerificacionRecibido {
  /** Sello valid, stamped, SelloCFD = Sello, SelloSAT not refuted, and no XSD or rule error. */
  valido: boolean;
  version: string | null;
  tipo_de_comprobante: string | null;
  fecha: string | null;
  sello: { valido: boolean; no_certificado: string | null; rfc: string | null; motivo: string | null };
  timbre:
    | { presente: false }
    | {
        presente: true;
        uuid: string;
        fecha: string;
        rfc_prov_certif: string | null;
        no_certificado_sat: string;
        sello_cfd_coincide: boolean;
        /** desconocido: HexaFac does not hold the certificate with that NoCertificadoSAT; never guessed. */
        sello_sat: 'valido' | 'invalido' | 'desconocido';
      };
  estructura: { errores: Problema[] };
  reglas: { errores: Problema[] };
  /** Vigente/cancelado from the SAT's status service: not consulted yet (null), a later capability fills it. */
  estado_sat: null;
  emisor: { rfc: string | null; nombre: string | null; regimen_fiscal: string | null };
  receptor: { rfc: string | null; nombre: string | null; domicilio_fiscal: string | null; regimen_fiscal: string | null; uso_cfdi: string | null };
  totales: {
    moneda: string | null;
    tipo_cambio: string | null;
    subtotal: string | null;
    descuento: string | null;
    total_impuestos_trasladados: string | null;
    total_impuestos_retenidos: string | null;
    total: string | null;
  };
  /** Complementos (of the comprobante and of its conceptos) by the SAT's prefix, e.g. pago20:Pagos, nomina12:Nomina. */
  complementos: string[];
  cfdi: { [k: string]: Json };
}

const PREFIJO_SAT = new Map<string, string>([...Object.entries(CADENA_CFDI40.espacios).map(([p, ns]) => [ns, p] as [string, string]), [NS.tfd, 'tfd']]);

const rechazo = (code: CodigoRecibido, path: string, detalle: string, mensaje = detalle) => new RecibidoError(code, mensaje, [{ path, message: detalle, code }]);

/** Reads the document (bytes decoded as its declaration says, or text) and refuses what is not a CFDI 4.0. */
export function leerRecibido(entrada: Uint8Array | string): XmlElement {
  let raiz: XmlElement;
  try {
    const texto = typeof entrada === 'string' ? (entrada.charCodeAt(0) === 0xfeff ? entrada.slice(1) : entrada) : textoXml(entrada);
    raiz = parseXml(texto);
  } catch (e) {
    if (!(e instanceof XmlError)) throw e;
    const donde = e.linea ? `línea ${e.linea}, columna ${e.columna}` : `byte ${e.posicion}`;
    throw rechazo('HFX_XML_MAL_FORMADO', '/', `${donde}: ${e.motivo}`, e.message);
  }
  if (raiz.local === 'Comprobante' && raiz.ns === CFDI33) {
    throw rechazo('HFX_NO_ES_CFDI40', `/${raiz.qname}`, 'Es un CFDI 3.3: solo se leen CFDI 4.0 (el SAT dejó de aceptar la versión 3.3 en 2023).');
  }
  if (raiz.local !== 'Comprobante' || raiz.ns !== NS.cfdi) {
    throw rechazo('HFX_NO_ES_CFDI40', `/${raiz.qname}`, `El elemento raíz ${raiz.qname}${raiz.ns ? ` (${raiz.ns})` : ''} no es un cfdi:Comprobante 4.0 (${NS.cfdi}).`);
  }
  return raiz;
}

function complementos(c: XmlElement): string[] {
  const nombres: string[] = [];
  const de = (contenedor: XmlElement) => {
    for (const k of contenedor.children) {
      if (typeof k === 'string') continue;
      const n = PREFIJO_SAT.has(k.ns) ? `${PREFIJO_SAT.get(k.ns)}:${k.local}` : k.qname;
      if (!nombres.includes(n)) nombres.push(n);
    }
  };
  children(c, NS.cfdi, 'Complemento').forEach(de);
  const conceptos = child(c, NS.cfdi, 'Conceptos');
  for (const concepto of conceptos ? children(conceptos, NS.cfdi, 'Concepto') : []) children(concepto, NS.cfdi, 'ComplementoConcepto').forEach(de);
  return nombres;
}

/**
 * Verifies a received CFDI 4.0. `certificadosPac` (DER) are the stamping certificates HexaFac trusts for
 * SelloSAT (the sandbox PAC's, and those the operator configures). Throws RecibidoError only when the input
 * cannot be read as a CFDI 4.0; everything wrong inside one is reported in the result.
 */
export async function verificarRecibido(entrada: Uint8Array | string | XmlElement, opts: { certificadosPac?: Uint8Array[] } = {}): Promise<VerificacionRecibido> {
  const c = typeof entrada === 'object' && 'qname' in entrada ? entrada : leerRecibido(entrada);
  const a = (el: XmlElement | undefined, n: string) => (el ? (attr(el, n) ?? null) : null);
  const sello = await verificarSello(c);
  const tfd = await verificarTimbre(c, opts.certificadosPac ?? []);
  const estructura = validateXsd(c).map((i) => ({ ...i, code: i.code ?? 'HFX_XSD' }));
  const reglas = reglasRecibido(c);
  const emisor = child(c, NS.cfdi, 'Emisor');
  const receptor = child(c, NS.cfdi, 'Receptor');
  const impuestos = child(c, NS.cfdi, 'Impuestos');
  const timbre: VerificacionRecibido['timbre'] = tfd
    ? {
        presente: true,
        uuid: tfd.uuid,
        fecha: tfd.fechaTimbrado,
        rfc_prov_certif: tfd.rfcProvCertif || null,
        no_certificado_sat: tfd.noCertificadoSAT,
        sello_cfd_coincide: tfd.selloCfdCoincide,
        sello_sat: tfd.selloSat === 'certificado_desconocido' ? 'desconocido' : tfd.selloSat,
      }
    : { presente: false };
  return {
    valido: sello.valido && timbre.presente && timbre.sello_cfd_coincide && timbre.sello_sat !== 'invalido' && !estructura.length && !reglas.length,
    version: a(c, 'Version'),
    tipo_de_comprobante: a(c, 'TipoDeComprobante'),
    fecha: a(c, 'Fecha'),
    sello: { valido: sello.valido, no_certificado: sello.noCertificado ?? null, rfc: sello.rfc ?? null, motivo: sello.motivo ?? null },
    timbre,
    estructura: { errores: estructura },
    reglas: { errores: reglas },
    estado_sat: null,
    emisor: { rfc: a(emisor, 'Rfc'), nombre: a(emisor, 'Nombre'), regimen_fiscal: a(emisor, 'RegimenFiscal') },
    receptor: {
      rfc: a(receptor, 'Rfc'),
      nombre: a(receptor, 'Nombre'),
      domicilio_fiscal: a(receptor, 'DomicilioFiscalReceptor'),
      regimen_fiscal: a(receptor, 'RegimenFiscalReceptor'),
      uso_cfdi: a(receptor, 'UsoCFDI'),
    },
    totales: {
      moneda: a(c, 'Moneda'),
      tipo_cambio: a(c, 'TipoCambio'),
      subtotal: a(c, 'SubTotal'),
      descuento: a(c, 'Descuento'),
      total_impuestos_trasladados: a(impuestos, 'TotalImpuestosTrasladados'),
      total_impuestos_retenidos: a(impuestos, 'TotalImpuestosRetenidos'),
      total: a(c, 'Total'),
    },
    complementos: complementos(c),
    // a Comprobante is a modeled node: an object
    cfdi: cfdiJson(c) as { [k: string]: Json },
  };
}
