/**
 * The rules of the SAT's matrices de errores (CFDI 4.0 and Pagos 2.0) that a received CFDI can be checked
 * against from its XML alone, exactly as the matrix states them (docs/recibidos-reglas.md lists what is
 * checked and what is not, and why). Every rule is one entry: its code, the node it runs on, the tipos de
 * comprobante it applies to, and a short function that answers the problem of one element or nothing.
 * The document need not be XSD-valid: a missing or malformed value skips the rule (validateXsd reports it).
 */
import type Decimal from 'decimal.js';
import * as cat from '../catalogs';
import { limitesImpPagado } from '../comprobantes/pago/calcular';
import { Dec, dec, redondear } from '../decimal';
import { attr, child, children, type XmlElement } from '../dom';
import { NS } from '../namespaces';
import { NOMBRE_PUBLICO_EN_GENERAL, personaDeRfc, RFC_EXTRANJERO, RFC_PUBLICO_EN_GENERAL } from '../rfc';
import { cumplePatronSat, type ValidationIssue } from '../validar';
import { pathOf } from '../xsd/validate';

type Tipo = 'I' | 'E' | 'T' | 'N' | 'P';
const TIPOS: readonly Tipo[] = ['I', 'E', 'T', 'N', 'P'];
const IEN: readonly Tipo[] = ['I', 'E', 'N'];
const TP: readonly Tipo[] = ['T', 'P'];
const TNP: readonly Tipo[] = ['T', 'N', 'P'];

const NS_CCE = 'http://www.sat.gob.mx/ComercioExterior20';
const NS_IMPLOCAL = 'http://www.sat.gob.mx/implocal';
const { cfdi: C, pago20: P } = NS;
const IVA = '002';
const IEPS = '003';
/** The RFC of a foreign third party in ACuentaTerceros (CFDI40189, CFDI40193, CFDI40223). */
const RFC_TERCERO_EXTRANJERO = 'EXT990101NI1';
const NOMBRE_TERCERO_EXTRANJERO =
  'EXPEDICIÓN DE CFDI POR RESIDENTES EN MÉXICO QUE PRESTAN SERVICIOS DE INTERMEDIACIÓN ENTRE TERCEROS A OFERENTES DE BIENES Y SERVICIOS RESIDENTES EN EL EXTRANJERO';
// FormaDePagoP that admit the banking data, as the Pagos 2.0 matrix lists them (CRP20221, CRP20224, CRP20227, CRP20228).
const FORMAS_ORDENANTE = new Set(['02', '03', '04', '05', '06', '28', '29']);
const FORMAS_BENEFICIARIO = new Set(['02', '03', '04', '05', '28', '29']);
const FECHA_RE = /^(20[1-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])$/;
const TIPO_CAMBIO_RE = /^[0-9]{1,18}(\.[0-9]{1,6})?$/;

// ---------------------------------------------------------------------------------------------------------
// Reading values without trusting the document

/** xs:decimal's lexical form (surrounding white space collapsed), else undefined. */
const DECIMAL_RE = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;
function num(el: XmlElement | undefined, nombre: string): Decimal | undefined {
  const v = el && attr(el, nombre)?.trim();
  return v !== undefined && DECIMAL_RE.test(v) ? dec(v) : undefined;
}
/** Decimals as written ("100.50" has 2): the SAT counts the written ones. */
function lugares(el: XmlElement, nombre: string): number | undefined {
  const v = attr(el, nombre)?.trim();
  if (v === undefined || !DECIMAL_RE.test(v)) return undefined;
  const punto = v.indexOf('.');
  return punto < 0 ? 0 : v.length - punto - 1;
}
const tiene = (el: XmlElement | undefined, nombre: string) => el !== undefined && attr(el, nombre) !== undefined;
/** Elements down a path of local names in one namespace. */
function bajo(el: XmlElement | undefined, ns: string, ...ruta: string[]): XmlElement[] {
  let nivel = el ? [el] : [];
  for (const local of ruta) nivel = nivel.flatMap((e) => children(e, ns, local));
  return nivel;
}
/** Sum of an attribute over elements; undefined if one lacks it or it is malformed. */
function suma(els: readonly XmlElement[], nombre: string, factor?: (el: XmlElement) => Decimal | undefined): Decimal | undefined {
  let s: Decimal = new Dec(0);
  for (const el of els) {
    const v = num(el, nombre);
    const f = factor ? factor(el) : undefined;
    if (v === undefined || (factor && f === undefined)) return undefined;
    s = s.plus(f ? v.times(f) : v);
  }
  return s;
}
const tasaClave = (el: XmlElement, nombre: string) => (tiene(el, nombre) ? (num(el, nombre)?.toFixed(6) ?? '?') : '');
const ancestro = (el: XmlElement, niveles: number) => {
  let e: XmlElement | null = el;
  for (let i = 0; i < niveles && e; i++) e = e.parent;
  return e ?? undefined;
};
const persona = (rfc: string | undefined) => (rfc?.length === 12 || rfc?.length === 13 ? personaDeRfc(rfc) : undefined);
const decimalesDe = (moneda: string | undefined, fecha: string | undefined) => (moneda === undefined ? undefined : cat.moneda(moneda, fecha)?.decimales);

/** SAT limits of a product (guía de llenado): lower truncated, upper rounded up, to the decimals of the value compared. */
function fueraDeLimites(valor: XmlElement, nombre: string, inferior: Decimal, superior: Decimal): boolean {
  const v = num(valor, nombre);
  const n = lugares(valor, nombre);
  if (v === undefined || n === undefined) return false;
  return v.lt(inferior.toDecimalPlaces(n, Dec.ROUND_DOWN)) || v.gt(superior.toDecimalPlaces(n, Dec.ROUND_UP));
}
const MEDIO = (n: number) => dec(10).pow(-n).div(2);
const AJUSTE = dec('1e-12');
/** Importe = Cantidad × ValorUnitario within (Cantidad ∓ ½·10^−dc)(ValorUnitario ∓ ½·10^−dv), the upper less 10^−12 each. */
function importeFueraDeLimites(el: XmlElement): boolean | undefined {
  const [c, v, dc, dv] = [num(el, 'Cantidad'), num(el, 'ValorUnitario'), lugares(el, 'Cantidad'), lugares(el, 'ValorUnitario')];
  if (c === undefined || v === undefined || dc === undefined || dv === undefined || !tiene(el, 'Importe')) return undefined;
  const inferior = c.minus(MEDIO(dc)).times(v.minus(MEDIO(dv)));
  const superior = c.plus(MEDIO(dc)).minus(AJUSTE).times(v.plus(MEDIO(dv)).minus(AJUSTE));
  return fueraDeLimites(el, 'Importe', inferior, superior);
}
/** An impuesto's Importe = Base × TasaOCuota within (Base − ½·10^−d) × tasa and (Base + ½·10^−d − 10^−12) × tasa. */
function impuestoFueraDeLimites(el: XmlElement, sufijo = ''): boolean | undefined {
  const [b, t, d] = [num(el, `Base${sufijo}`), num(el, `TasaOCuota${sufijo}`), lugares(el, `Base${sufijo}`)];
  if (b === undefined || t === undefined || d === undefined || !tiene(el, `Importe${sufijo}`)) return undefined;
  return fueraDeLimites(el, `Importe${sufijo}`, b.minus(MEDIO(d)).times(t), b.plus(MEDIO(d)).minus(AJUSTE).times(t));
}
/** A sum written with its own decimals (at least the currency's): equal to the exact one rounded to them. */
function igualRedondeado(el: XmlElement, nombre: string, exacto: Decimal, minimo: number): boolean {
  const v = num(el, nombre);
  const n = lugares(el, nombre);
  return v === undefined || n === undefined || v.eq(redondear(exacto, Math.max(n, minimo)));
}

// ---------------------------------------------------------------------------------------------------------
// The document as the rules see it

interface Documento {
  c: XmlElement;
  tipo: string | undefined;
  /** Fecha when it is well formed: catalogs must be in force that day. */
  fecha: string | undefined;
  moneda: string | undefined;
  /** Decimals of the comprobante's Moneda (c_Moneda), when it is known. */
  decimales: number | undefined;
  emisor: XmlElement | undefined;
  receptor: XmlElement | undefined;
  conceptos: XmlElement[];
  impuestos: XmlElement | undefined;
  complementos: XmlElement[];
  comercioExterior: boolean;
  pagos: XmlElement | undefined;
}

function documento(c: XmlElement): Documento {
  const fecha = attr(c, 'Fecha');
  const moneda = attr(c, 'Moneda');
  const valida = fecha !== undefined && FECHA_RE.test(fecha) ? fecha : undefined;
  const complementos = bajo(c, C, 'Complemento').flatMap((k) => k.children.filter((e): e is XmlElement => typeof e !== 'string'));
  return {
    c,
    tipo: attr(c, 'TipoDeComprobante'),
    fecha: valida,
    moneda,
    decimales: decimalesDe(moneda, valida),
    emisor: child(c, C, 'Emisor'),
    receptor: child(c, C, 'Receptor'),
    conceptos: bajo(c, C, 'Conceptos', 'Concepto'),
    impuestos: child(c, C, 'Impuestos'),
    complementos,
    comercioExterior: complementos.some((e) => e.ns === NS_CCE && e.local === 'ComercioExterior'),
    pagos: complementos.find((e) => e.ns === P && e.local === 'Pagos'),
  };
}

/** The elements each kind of rule runs on. */
const NODOS = {
  comprobante: (d: Documento) => [d.c],
  informacionGlobal: (d: Documento) => bajo(d.c, C, 'InformacionGlobal'),
  relacionados: (d: Documento) => bajo(d.c, C, 'CfdiRelacionados'),
  emisor: (d: Documento) => (d.emisor ? [d.emisor] : []),
  receptor: (d: Documento) => (d.receptor ? [d.receptor] : []),
  conceptos: (d: Documento) => bajo(d.c, C, 'Conceptos'),
  concepto: (d: Documento) => d.conceptos,
  trasladoConcepto: (d: Documento) => d.conceptos.flatMap((k) => bajo(k, C, 'Impuestos', 'Traslados', 'Traslado')),
  retencionConcepto: (d: Documento) => d.conceptos.flatMap((k) => bajo(k, C, 'Impuestos', 'Retenciones', 'Retencion')),
  aCuentaTerceros: (d: Documento) => d.conceptos.flatMap((k) => bajo(k, C, 'ACuentaTerceros')),
  aduanaConcepto: (d: Documento) => d.conceptos.flatMap((k) => bajo(k, C, 'InformacionAduanera')),
  parte: (d: Documento) => d.conceptos.flatMap((k) => bajo(k, C, 'Parte')),
  aduanaParte: (d: Documento) => d.conceptos.flatMap((k) => bajo(k, C, 'Parte', 'InformacionAduanera')),
  impuestos: (d: Documento) => (d.impuestos ? [d.impuestos] : []),
  traslado: (d: Documento) => bajo(d.impuestos, C, 'Traslados', 'Traslado'),
  retencion: (d: Documento) => bajo(d.impuestos, C, 'Retenciones', 'Retencion'),
  pagos: (d: Documento) => (d.pagos ? [d.pagos] : []),
  pago: (d: Documento) => bajo(d.pagos, P, 'Pago'),
  docto: (d: Documento) => bajo(d.pagos, P, 'Pago', 'DoctoRelacionado'),
  trasladoDR: (d: Documento) => bajo(d.pagos, P, 'Pago', 'DoctoRelacionado', 'ImpuestosDR', 'TrasladosDR', 'TrasladoDR'),
  retencionDR: (d: Documento) => bajo(d.pagos, P, 'Pago', 'DoctoRelacionado', 'ImpuestosDR', 'RetencionesDR', 'RetencionDR'),
  trasladoP: (d: Documento) => bajo(d.pagos, P, 'Pago', 'ImpuestosP', 'TrasladosP', 'TrasladoP'),
  retencionP: (d: Documento) => bajo(d.pagos, P, 'Pago', 'ImpuestosP', 'RetencionesP', 'RetencionP'),
} as const;

/** A problem: at the attribute `atributo` of the rule's element (or of `en`), or at the element itself. */
interface Hallazgo {
  atributo?: string;
  en?: XmlElement;
  mensaje: string;
}
type Revisar = (el: XmlElement, d: Documento) => Hallazgo | undefined | false;
interface Regla {
  codigo: string;
  nodo: keyof typeof NODOS;
  /** The tipos de comprobante the matrix applies it to; every one when absent. */
  tipos?: readonly Tipo[];
  revisar: Revisar;
}

const regla = (codigo: string, nodo: keyof typeof NODOS, revisar: Revisar, tipos?: readonly Tipo[]): Regla => ({ codigo, nodo, revisar, tipos });
const en = (atributo: string | undefined, mensaje: string, el?: XmlElement): Hallazgo => ({ atributo, mensaje, en: el });

/** A clave of a catalog: present and not found (in force on the Fecha) is the problem. */
const clave = (nombre: string, buscar: (v: string) => unknown, catalogo: string): Revisar => (el) => {
  const v = attr(el, nombre);
  return v !== undefined && !buscar(v) && en(nombre, `${v} no está en el catálogo ${catalogo}.`);
};
const ausente = (nombre: string, mensaje: string): Revisar => (el) => tiene(el, nombre) && en(nombre, mensaje);
const valorFijo = (nombre: string, esperado: string, numerico = false): Revisar => (el) => {
  const v = attr(el, nombre);
  if (v === undefined) return undefined;
  const igual = numerico ? num(el, nombre)?.eq(esperado) !== false : v === esperado;
  return !igual && en(nombre, `Debe ser "${esperado}", no "${v}".`);
};
const masDecimales = (nombre: string, decimales: (el: XmlElement, d: Documento) => number | undefined, de: string): Revisar => (el, d) => {
  const n = lugares(el, nombre);
  const max = decimales(el, d);
  return n !== undefined && max !== undefined && n > max && en(nombre, `Tiene ${n} decimales; ${de} admite ${max}.`);
};
const positivo = (nombre: string): Revisar => (el) => num(el, nombre)?.lte(0) === true && en(nombre, 'Debe ser mayor que cero.');
const monedaComprobante = (_: XmlElement, d: Documento) => d.decimales;

// ---------------------------------------------------------------------------------------------------------
// Comprobante

const totalLocal = (d: Documento, nombre: string) => {
  const local = d.complementos.find((e) => e.ns === NS_IMPLOCAL && e.local === 'ImpuestosLocales');
  return local === undefined ? dec(0) : tiene(local, nombre) ? num(local, nombre) : dec(0);
};
const valorMaximo = (d: Documento) => (d.tipo === undefined ? undefined : cat.tipoDeComprobante(d.tipo, d.fecha)?.valorMaximo);

const COMPROBANTE: Regla[] = [
  regla('CFDI40101', 'comprobante', (c) => {
    const v = attr(c, 'Fecha');
    return v !== undefined && !FECHA_RE.test(v) && en('Fecha', 'La Fecha no cumple el patrón AAAA-MM-DDThh:mm:ss de la matriz.');
  }),
  regla('CFDI40103', 'comprobante', ausente('FormaPago', 'Un comprobante de traslado, nómina o pago no lleva FormaPago.'), TNP),
  regla('CFDI40104', 'comprobante', (c, d) => clave('FormaPago', (v) => cat.formaPago(v, d.fecha), 'c_FormaPago')(c, d)),
  regla('CFDI40105', 'comprobante', (c) => attr(c, 'MetodoPago') === 'PPD' && tiene(c, 'FormaPago') && attr(c, 'FormaPago') !== '99' && en('FormaPago', 'Con MetodoPago PPD la FormaPago es 99.')),
  regla('CFDI40107', 'comprobante', masDecimales('SubTotal', monedaComprobante, 'la moneda')),
  regla(
    'CFDI40108',
    'comprobante',
    (c, d) => {
      const s = suma(d.conceptos, 'Importe');
      const v = num(c, 'SubTotal');
      return s !== undefined && v !== undefined && d.decimales !== undefined && !v.eq(redondear(s, d.decimales)) &&
        en('SubTotal', `Debe ser el redondeo de la suma de los Importe de los conceptos: ${redondear(s, d.decimales).toFixed(d.decimales)}.`);
    },
    IEN,
  ),
  regla('CFDI40109', 'comprobante', (c) => num(c, 'SubTotal')?.isZero() === false && en('SubTotal', 'En un traslado o pago el SubTotal es 0.'), TP),
  regla('CFDI40110', 'comprobante', (c) => {
    const [desc, sub] = [num(c, 'Descuento'), num(c, 'SubTotal')];
    return desc !== undefined && sub !== undefined && desc.gt(sub) && en('Descuento', 'El Descuento es mayor que el SubTotal.');
  }),
  regla('CFDI40111', 'comprobante', (c, d) => {
    const conDescuento = d.conceptos.filter((k) => tiene(k, 'Descuento'));
    if (!TIPOS.includes(d.tipo as Tipo)) return undefined;
    if (!(d.tipo === 'I' || d.tipo === 'E' || d.tipo === 'N') || conDescuento.length === 0) {
      return tiene(c, 'Descuento') && en('Descuento', 'Ningún concepto lleva Descuento (o el tipo no es I, E ni N): se omite.');
    }
    if (!tiene(c, 'Descuento')) return en(undefined, 'Un concepto lleva Descuento: el comprobante debe llevar su suma en Descuento.');
    const s = suma(conDescuento, 'Descuento');
    const v = num(c, 'Descuento');
    return s !== undefined && v !== undefined && d.decimales !== undefined && !v.eq(redondear(s, d.decimales)) &&
      en('Descuento', `Debe ser el redondeo de la suma de los Descuento de los conceptos: ${redondear(s, d.decimales).toFixed(d.decimales)}.`);
  }),
  regla('CFDI40112', 'comprobante', masDecimales('Descuento', monedaComprobante, 'la moneda')),
  regla('CFDI40113', 'comprobante', (c, d) => clave('Moneda', (v) => cat.moneda(v, d.fecha), 'c_Moneda')(c, d)),
  regla('CFDI40114', 'comprobante', (c) => attr(c, 'Moneda') === 'MXN' && num(c, 'TipoCambio')?.eq(1) === false && en('TipoCambio', 'Con Moneda MXN el TipoCambio se omite o es 1.')),
  regla('CFDI40115', 'comprobante', (c, d) => d.moneda !== undefined && d.moneda !== 'MXN' && d.moneda !== 'XXX' && !tiene(c, 'TipoCambio') && en(undefined, `Con Moneda ${d.moneda} se registra TipoCambio.`)),
  regla('CFDI40116', 'comprobante', (c) => attr(c, 'Moneda') === 'XXX' && tiene(c, 'TipoCambio') && en('TipoCambio', 'Con Moneda XXX no se registra TipoCambio.')),
  regla('CFDI40117', 'comprobante', (c) => {
    const v = attr(c, 'TipoCambio');
    return v !== undefined && !TIPO_CAMBIO_RE.test(v) && en('TipoCambio', 'El TipoCambio no cumple el patrón [0-9]{1,18}(.[0-9]{1,6})?.');
  }),
  regla('CFDI40119', 'comprobante', (c, d) => {
    const [total, sub] = [num(c, 'Total'), num(c, 'SubTotal')];
    const i = d.impuestos;
    const partes = [
      tiene(c, 'Descuento') ? num(c, 'Descuento') : dec(0),
      tiene(i, 'TotalImpuestosTrasladados') ? num(i, 'TotalImpuestosTrasladados') : dec(0),
      tiene(i, 'TotalImpuestosRetenidos') ? num(i, 'TotalImpuestosRetenidos') : dec(0),
      totalLocal(d, 'TotaldeTraslados'),
      totalLocal(d, 'TotaldeRetenciones'),
    ];
    if (total === undefined || sub === undefined || partes.some((p) => p === undefined)) return undefined;
    const [desc, tras, ret, tLocal, rLocal] = partes as Decimal[];
    const esperado = sub.minus(desc).plus(tras).minus(ret).plus(tLocal).minus(rLocal);
    return !total.eq(esperado) && en('Total', `El Total debe ser SubTotal − Descuento + traslados − retenciones (locales incluidos): ${esperado.toFixed()}.`);
  }),
  regla('CFDI40120', 'comprobante', (c, d) => {
    const [total, max] = [num(c, 'Total'), valorMaximo(d)];
    return total !== undefined && max !== undefined && total.gt(max) && !tiene(c, 'Confirmacion') &&
      en('Total', `El Total pasa del límite ${max} de c_TipoDeComprobante y no hay Confirmacion.`);
  }),
  regla('CFDI40121', 'comprobante', (c, d) => clave('TipoDeComprobante', (v) => cat.tipoDeComprobante(v, d.fecha), 'c_TipoDeComprobante')(c, d)),
  regla('CFDI40122', 'comprobante', (c, d) => attr(c, 'Exportacion') === '02' && !d.comercioExterior && en('Exportacion', 'Exportacion 02 exige el complemento de Comercio Exterior.')),
  regla('CFDI40123', 'comprobante', (c, d) => clave('Exportacion', (v) => cat.exportacion(v, d.fecha), 'c_Exportacion')(c, d)),
  regla('CFDI40124', 'comprobante', (c, d) => clave('MetodoPago', (v) => cat.metodoPago(v, d.fecha), 'c_MetodoPago')(c, d)),
  regla('CFDI40125', 'comprobante', ausente('MetodoPago', 'Un comprobante de traslado o pago no lleva MetodoPago.'), TP),
  regla('CFDI40126', 'comprobante', clave('LugarExpedicion', (v) => cat.codigoPostal(v), 'c_CodigoPostal')),
  // TipoCambio has no variation to confirm in MXN or XXX: only there is a Confirmacion decidable without the published rate.
  regla('CFDI40127', 'comprobante', (c, d) => {
    const [total, max] = [num(c, 'Total'), valorMaximo(d)];
    return tiene(c, 'Confirmacion') && (d.moneda === 'MXN' || d.moneda === 'XXX') && total !== undefined && max !== undefined && total.lte(max) &&
      en('Confirmacion', 'Con el Total dentro del límite y sin tipo de cambio que confirmar no se registra Confirmacion.');
  }),
  regla('CFDI40222', 'comprobante', (c, d) => {
    const v = attr(c, 'Exportacion');
    return (v === '01' || v === '03') && d.comercioExterior && en('Exportacion', `Con Exportacion ${v} no existe el complemento de Comercio Exterior.`);
  }),
];

/** The matrix: the year in course "o … hasta 5 ejercicios anteriores" (CFDI40136), the Fecha's year. */
const EJERCICIOS_ANTERIORES = 5;
const periodicidadDe = (g: XmlElement, d: Documento) => cat.periodicidad(attr(g, 'Periodicidad'), d.fecha)?.id;
const mesDe = (g: XmlElement, d: Documento) => cat.mes(attr(g, 'Meses'), d.fecha)?.id;

const INFORMACION_GLOBAL: Regla[] = [
  regla(
    'CFDI40130',
    'comprobante',
    (c, d) => attr(d.receptor ?? c, 'Rfc') === RFC_PUBLICO_EN_GENERAL && attr(d.receptor ?? c, 'Nombre') === NOMBRE_PUBLICO_EN_GENERAL && bajo(c, C, 'InformacionGlobal').length === 0 &&
      en(undefined, `Un ingreso a ${NOMBRE_PUBLICO_EN_GENERAL} (${RFC_PUBLICO_EN_GENERAL}) lleva InformacionGlobal.`),
    ['I'],
  ),
  regla('CFDI40131', 'informacionGlobal', (g, d) => clave('Periodicidad', (v) => cat.periodicidad(v, d.fecha), 'c_Periodicidad')(g, d)),
  regla('CFDI40132', 'informacionGlobal', (g, d) => attr(g, 'Periodicidad') === '05' && d.emisor !== undefined && attr(d.emisor, 'RegimenFiscal') !== '621' && en('Periodicidad', 'La periodicidad 05 es del RegimenFiscal 621 del emisor.')),
  regla('CFDI40133', 'informacionGlobal', (g, d) => clave('Meses', (v) => cat.mes(v, d.fecha), 'c_Meses')(g, d)),
  regla('CFDI40134', 'informacionGlobal', (g, d) => {
    const [p, m] = [periodicidadDe(g, d), mesDe(g, d)];
    return p !== undefined && p !== '05' && m !== undefined && !(m >= '01' && m <= '12') && en('Meses', `Con periodicidad ${p} los Meses son 01 a 12.`);
  }),
  regla('CFDI40135', 'informacionGlobal', (g, d) => {
    const [p, m] = [periodicidadDe(g, d), mesDe(g, d)];
    return p === '05' && m !== undefined && !(m >= '13' && m <= '18') && en('Meses', 'Con periodicidad 05 los Meses son 13 a 18.');
  }),
  regla('CFDI40136', 'informacionGlobal', (g, d) => {
    const v = attr(g, 'Año');
    if (v === undefined || !/^[0-9]{4}$/.test(v) || d.fecha === undefined) return undefined;
    const anio = Number(d.fecha.slice(0, 4));
    return (Number(v) > anio || Number(v) < anio - EJERCICIOS_ANTERIORES) && en('Año', `El Año es el de la Fecha (${anio}) o uno de los ${EJERCICIOS_ANTERIORES} anteriores.`);
  }),
  regla('CFDI40137', 'relacionados', (r, d) => clave('TipoRelacion', (v) => cat.tipoRelacion(v, d.fecha), 'c_TipoRelacion')(r, d)),
];

// ---------------------------------------------------------------------------------------------------------
// Emisor and Receptor

const rfcReceptor = (d: Documento) => (d.receptor ? attr(d.receptor, 'Rfc') : undefined);
const generico = (rfc: string | undefined) => rfc === RFC_PUBLICO_EN_GENERAL || rfc === RFC_EXTRANJERO;
const regimenDe = (el: XmlElement, nombre: string, d: Documento) => cat.regimenFiscal(attr(el, nombre), d.fecha);
const aplica = (r: { aplicaFisica: boolean; aplicaMoral: boolean }, p: 'fisica' | 'moral') => (p === 'moral' ? r.aplicaMoral : r.aplicaFisica);
const nombrePersona = (p: 'fisica' | 'moral') => (p === 'moral' ? 'moral' : 'física');

const EMISOR_RECEPTOR: Regla[] = [
  regla('CFDI40140', 'emisor', (e, d) => clave('RegimenFiscal', (v) => cat.regimenFiscal(v, d.fecha), 'c_RegimenFiscal')(e, d)),
  regla('CFDI40141', 'emisor', (e, d) => {
    const [r, p] = [regimenDe(e, 'RegimenFiscal', d), persona(attr(e, 'Rfc'))];
    return r !== undefined && p !== undefined && !aplica(r, p) && en('RegimenFiscal', `El régimen ${r.id} no aplica a una persona ${nombrePersona(p)}.`);
  }),
  regla('CFDI40146', 'receptor', (r) => attr(r, 'Nombre') === NOMBRE_PUBLICO_EN_GENERAL && tiene(r, 'Rfc') && attr(r, 'Rfc') !== RFC_PUBLICO_EN_GENERAL && en('Rfc', `Con el nombre ${NOMBRE_PUBLICO_EN_GENERAL} el Rfc es ${RFC_PUBLICO_EN_GENERAL}.`)),
  regla('CFDI40149', 'receptor', (r, d) => {
    const [dom, lugar] = [attr(r, 'DomicilioFiscalReceptor'), attr(d.c, 'LugarExpedicion')];
    return generico(attr(r, 'Rfc')) && dom !== undefined && lugar !== undefined && dom !== lugar && en('DomicilioFiscalReceptor', `Con un RFC genérico el domicilio es el LugarExpedicion (${lugar}).`);
  }),
  regla('CFDI40150', 'receptor', clave('ResidenciaFiscal', (v) => cat.pais(v), 'c_Pais')),
  // Any RFC but the generic foreign one is registered or generic nacional (an unregistered one fails CFDI40143 anyway).
  regla('CFDI40151', 'receptor', (r) => tiene(r, 'ResidenciaFiscal') && tiene(r, 'Rfc') && attr(r, 'Rfc') !== RFC_EXTRANJERO && en('ResidenciaFiscal', `La ResidenciaFiscal es del RFC genérico extranjero ${RFC_EXTRANJERO}.`)),
  regla('CFDI40152', 'receptor', (r) => attr(r, 'ResidenciaFiscal') === 'MEX' && en('ResidenciaFiscal', 'La ResidenciaFiscal no puede ser MEX.')),
  regla('CFDI40153', 'receptor', (r, d) =>
    !tiene(r, 'ResidenciaFiscal') && (tiene(r, 'NumRegIdTrib') || (attr(r, 'Rfc') === RFC_EXTRANJERO && d.comercioExterior)) &&
    en(undefined, 'Con NumRegIdTrib (o un extranjero con Comercio Exterior) se registra ResidenciaFiscal.'),
  ),
  regla('CFDI40154', 'receptor', (r) => tiene(r, 'NumRegIdTrib') && tiene(r, 'Rfc') && attr(r, 'Rfc') !== RFC_EXTRANJERO && en('NumRegIdTrib', `El NumRegIdTrib es del RFC genérico extranjero ${RFC_EXTRANJERO}.`)),
  regla('CFDI40155', 'receptor', (r, d) => attr(r, 'Rfc') === RFC_EXTRANJERO && d.comercioExterior && !tiene(r, 'NumRegIdTrib') && en(undefined, 'Un extranjero con Comercio Exterior lleva NumRegIdTrib.')),
  regla('CFDI40156', 'receptor', (r) => {
    const [id, residencia] = [attr(r, 'NumRegIdTrib'), attr(r, 'ResidenciaFiscal')];
    // MEX is no residencia fiscal (CFDI40152); a country without a pattern in c_Pais takes any format.
    const patron = residencia === 'MEX' ? undefined : cat.pais(residencia)?.patronIdentidadTributaria;
    return id !== undefined && patron !== undefined && !cumplePatronSat(patron, id) && en('NumRegIdTrib', `No cumple el patrón ${patron} de ${residencia} (c_Pais).`);
  }),
  regla('CFDI40157', 'receptor', (r, d) => clave('RegimenFiscalReceptor', (v) => cat.regimenFiscal(v, d.fecha), 'c_RegimenFiscal')(r, d)),
  regla('CFDI40158', 'receptor', (r, d) => {
    const [reg, p] = [regimenDe(r, 'RegimenFiscalReceptor', d), persona(attr(r, 'Rfc'))];
    return reg !== undefined && p !== undefined && !aplica(reg, p) && en('RegimenFiscalReceptor', `El régimen ${reg.id} no aplica a una persona ${nombrePersona(p)}.`);
  }),
  regla('CFDI40159', 'receptor', (r) => generico(attr(r, 'Rfc')) && tiene(r, 'RegimenFiscalReceptor') && attr(r, 'RegimenFiscalReceptor') !== '616' && en('RegimenFiscalReceptor', 'Con un RFC genérico el régimen es 616.')),
  regla('CFDI40160', 'receptor', (r, d) => clave('UsoCFDI', (v) => cat.usoCfdi(v, d.fecha), 'c_UsoCFDI')(r, d)),
  regla('CFDI40161', 'receptor', (r, d) => {
    const uso = cat.usoCfdi(attr(r, 'UsoCFDI'), d.fecha);
    if (!uso) return undefined;
    const [reg, p] = [regimenDe(r, 'RegimenFiscalReceptor', d), persona(attr(r, 'Rfc'))];
    if (p !== undefined && !aplica(uso, p)) return en('UsoCFDI', `El UsoCFDI ${uso.id} no aplica a una persona ${nombrePersona(p)}.`);
    return reg !== undefined && !uso.regimenesFiscalesReceptores.includes(reg.id) && en('UsoCFDI', `El UsoCFDI ${uso.id} no aplica al régimen ${reg.id}.`);
  }),
];

// ---------------------------------------------------------------------------------------------------------
// Concepto

const impuestoDe = (el: XmlElement, nombre: string, d: Documento) => cat.impuesto(attr(el, nombre), d.fecha);
const lineasConcepto = (k: XmlElement) => [...bajo(k, C, 'Impuestos', 'Traslados', 'Traslado'), ...bajo(k, C, 'Impuestos', 'Retenciones', 'Retencion')];
const OBJETO_SIN_IMPUESTOS = new Set(['01', '03', '04', '05']);

/** The rules of a Traslado or Retencion line (concepto, Parte-less): their codes differ, the checks do not. */
function lineaImpuesto(uso: 'traslado' | 'retencion', codigos: { base: string; impuesto: string; factor: string; tasa: string; importe: string }): Regla[] {
  const nodo = uso === 'traslado' ? 'trasladoConcepto' : 'retencionConcepto';
  const nombre = uso === 'traslado' ? 'trasladable (002 IVA, 003 IEPS)' : 'retenible (001 ISR, 002 IVA, 003 IEPS)';
  return [
    regla(codigos.base, nodo, positivo('Base')),
    regla(codigos.impuesto, nodo, (t, d) => {
      const v = attr(t, 'Impuesto');
      return v !== undefined && impuestoDe(t, 'Impuesto', d)?.[uso] !== true && en('Impuesto', `${v} no es un impuesto ${nombre} de c_Impuesto.`);
    }),
    regla(codigos.factor, nodo, (t, d) => clave('TipoFactor', (v) => cat.tipoFactor(v, d.fecha), 'c_TipoFactor')(t, d)),
    regla(codigos.tasa, nodo, (t, d) => {
      const [f, tasa] = [attr(t, 'TipoFactor'), num(t, 'TasaOCuota')];
      if (f === undefined || f === 'Exento' || !cat.tipoFactor(f, d.fecha) || tasa === undefined || impuestoDe(t, 'Impuesto', d)?.[uso] !== true) return undefined;
      return !cat.reglaTasaCuota(attr(t, 'Impuesto')!, f, tasa, uso, d.fecha) && en('TasaOCuota', `${attr(t, 'TasaOCuota')} no está en c_TasaOCuota para ${attr(t, 'Impuesto')} ${f}.`);
    }),
    regla(codigos.importe, nodo, (t) => attr(t, 'TipoFactor') !== 'Exento' && impuestoFueraDeLimites(t) === true && en('Importe', 'El Importe no está entre los límites de Base × TasaOCuota.')),
  ];
}

const CONCEPTO: Regla[] = [
  regla('CFDI40162', 'concepto', (k, d) => clave('ClaveProdServ', (v) => cat.claveProdServ(v, d.fecha), 'c_ClaveProdServ')(k, d)),
  regla('CFDI40165', 'concepto', (k, d) => clave('ClaveUnidad', (v) => cat.claveUnidad(v, d.fecha), 'c_ClaveUnidad')(k, d)),
  regla('CFDI40166', 'concepto', positivo('ValorUnitario'), IEN),
  regla('CFDI40167', 'concepto', (k) => importeFueraDeLimites(k) === true && en('Importe', 'El Importe no está entre los límites de Cantidad × ValorUnitario.')),
  regla('CFDI40168', 'concepto', masDecimales('Descuento', (k) => lugares(k, 'Importe'), 'el Importe del concepto')),
  regla('CFDI40169', 'concepto', (k) => {
    const [desc, imp] = [num(k, 'Descuento'), num(k, 'Importe')];
    return desc !== undefined && imp !== undefined && desc.gt(imp) && en('Descuento', 'El Descuento es mayor que el Importe.');
  }),
  regla('CFDI40170', 'concepto', (k, d) => clave('ObjetoImp', (v) => cat.objetoImp(v, d.fecha), 'c_ObjetoImp')(k, d)),
  regla('CFDI40171', 'concepto', (k) => attr(k, 'ObjetoImp') === '02' && !child(k, C, 'Impuestos') && en('ObjetoImp', 'Con ObjetoImp 02 el concepto lleva Impuestos.')),
  regla('CFDI40172', 'concepto', (k) => {
    const i = child(k, C, 'Impuestos');
    return OBJETO_SIN_IMPUESTOS.has(attr(k, 'ObjetoImp') ?? '') && i !== undefined && en(undefined, `Con ObjetoImp ${attr(k, 'ObjetoImp')} el concepto no lleva Impuestos.`, i);
  }),
  regla('CFDI40173', 'concepto', (k) => {
    const i = child(k, C, 'Impuestos');
    return i !== undefined && lineasConcepto(k).length === 0 && en(undefined, 'El nodo Impuestos del concepto lleva traslados o retenciones.', i);
  }),
  ...lineaImpuesto('traslado', { base: 'CFDI40174', impuesto: 'CFDI40175', factor: 'CFDI40176', tasa: 'CFDI40179', importe: 'CFDI40180' }),
  regla('CFDI40177', 'trasladoConcepto', (t) => {
    const sobra = ['TasaOCuota', 'Importe'].find((a) => tiene(t, a));
    return attr(t, 'TipoFactor') === 'Exento' && sobra !== undefined && en(sobra, 'Un traslado Exento no lleva TasaOCuota ni Importe.');
  }),
  regla('CFDI40178', 'trasladoConcepto', (t) => {
    const f = attr(t, 'TipoFactor');
    return (f === 'Tasa' || f === 'Cuota') && !(tiene(t, 'TasaOCuota') && tiene(t, 'Importe')) && en(undefined, `Un traslado ${f} lleva TasaOCuota e Importe.`);
  }),
  ...lineaImpuesto('retencion', { base: 'CFDI40181', impuesto: 'CFDI40182', factor: 'CFDI40183', tasa: 'CFDI40185', importe: 'CFDI40186' }),
  regla('CFDI40184', 'retencionConcepto', (t) => attr(t, 'TipoFactor') === 'Exento' && en('TipoFactor', 'Una retención no puede ser Exento.')),
  regla('CFDI40188', 'aCuentaTerceros', (t, d) => {
    const v = attr(t, 'RfcACuentaTerceros');
    const otros = [d.emisor && attr(d.emisor, 'Rfc'), rfcReceptor(d)];
    return v !== undefined && otros.includes(v) && en('RfcACuentaTerceros', 'El RfcACuentaTerceros es el del emisor o el del receptor.');
  }),
  regla('CFDI40189', 'aCuentaTerceros', (t) =>
    attr(t, 'RfcACuentaTerceros') === RFC_TERCERO_EXTRANJERO && tiene(t, 'NombreACuentaTerceros') && attr(t, 'NombreACuentaTerceros') !== NOMBRE_TERCERO_EXTRANJERO &&
    en('NombreACuentaTerceros', `Con ${RFC_TERCERO_EXTRANJERO} el nombre es «${NOMBRE_TERCERO_EXTRANJERO}».`),
  ),
  regla('CFDI40191', 'aCuentaTerceros', (t, d) => clave('RegimenFiscalACuentaTerceros', (v) => cat.regimenFiscal(v, d.fecha), 'c_RegimenFiscal')(t, d)),
  regla('CFDI40193', 'aCuentaTerceros', (t, d) => {
    const [dom, lugar] = [attr(t, 'DomicilioFiscalACuentaTerceros'), attr(d.c, 'LugarExpedicion')];
    return attr(t, 'RfcACuentaTerceros') === RFC_TERCERO_EXTRANJERO && dom !== undefined && lugar !== undefined && dom !== lugar &&
      en('DomicilioFiscalACuentaTerceros', `Con ${RFC_TERCERO_EXTRANJERO} el domicilio es el LugarExpedicion (${lugar}).`);
  }),
  regla('CFDI40223', 'aCuentaTerceros', (t) =>
    attr(t, 'RfcACuentaTerceros') === RFC_TERCERO_EXTRANJERO && tiene(t, 'RegimenFiscalACuentaTerceros') && attr(t, 'RegimenFiscalACuentaTerceros') !== '616' &&
    en('RegimenFiscalACuentaTerceros', `Con ${RFC_TERCERO_EXTRANJERO} el régimen es 616.`),
  ),
  regla('CFDI40195', 'aduanaConcepto', (a, d) => d.comercioExterior && tiene(a, 'NumeroPedimento') && en('NumeroPedimento', 'Con Comercio Exterior no se registra NumeroPedimento.')),
  regla('CFDI40196', 'parte', (p, d) => clave('ClaveProdServ', (v) => cat.claveProdServ(v, d.fecha), 'c_ClaveProdServ')(p, d)),
  regla('CFDI40197', 'parte', positivo('ValorUnitario')),
  regla('CFDI40198', 'parte', (p) => importeFueraDeLimites(p) === true && en('Importe', 'El Importe no está entre los límites de Cantidad × ValorUnitario.')),
  regla('CFDI40200', 'aduanaParte', (a, d) => d.comercioExterior && tiene(a, 'NumeroPedimento') && en('NumeroPedimento', 'Con Comercio Exterior no se registra NumeroPedimento.')),
  regla('CFDI40226', 'concepto', (k) => {
    const o = attr(k, 'ObjetoImp');
    return (o === '06' || o === '08') && lineasConcepto(k).some((l) => attr(l, 'Impuesto') === IVA || attr(l, 'Impuesto') === IEPS) &&
      en('ObjetoImp', `Con ObjetoImp ${o} el concepto no traslada ni retiene IVA ni IEPS.`);
  }),
  regla('CFDI40227', 'concepto', (k) => {
    const lineas = lineasConcepto(k);
    return attr(k, 'ObjetoImp') === '07' &&
      (lineas.some((l) => attr(l, 'Impuesto') === IVA) || !bajo(k, C, 'Impuestos', 'Traslados', 'Traslado').some((l) => attr(l, 'Impuesto') === IEPS)) &&
      en('ObjetoImp', 'Con ObjetoImp 07 el concepto no lleva IVA y traslada IEPS.');
  }),
];

// ---------------------------------------------------------------------------------------------------------
// Impuestos del comprobante

/** The concepto traslados of the same Impuesto, TipoFactor and TasaOCuota as a summary row (CFDI40215, CFDI40221). */
const clave3 = (el: XmlElement) => `${attr(el, 'Impuesto')}|${attr(el, 'TipoFactor')}|${tasaClave(el, 'TasaOCuota')}`;
const soloExentos = (d: Documento) => {
  const t = NODOS.trasladoConcepto(d);
  return t.length > 0 && t.every((x) => attr(x, 'TipoFactor') === 'Exento');
};
/** A summary amount against the rounded sum of the concepto lines it groups. */
const resumen = (nombre: string, lineas: (el: XmlElement, d: Documento) => XmlElement[], mensaje: string): Revisar => (el, d) => {
  const v = num(el, nombre);
  const s = suma(lineas(el, d), nombre);
  return v !== undefined && s !== undefined && d.decimales !== undefined && !v.eq(redondear(s, d.decimales)) &&
    en(nombre, `${mensaje}: ${redondear(s, d.decimales).toFixed(d.decimales)}.`);
};
const mismosTraslados = (t: XmlElement, d: Documento) => NODOS.trasladoConcepto(d).filter((k) => clave3(k) === clave3(t));
const repetido = (el: XmlElement, clave: (e: XmlElement) => string) => {
  const hermanos = children(el.parent!, el.ns, el.local);
  return hermanos.slice(0, hermanos.indexOf(el)).some((h) => clave(h) === clave(el));
};

const IMPUESTOS: Regla[] = [
  regla('CFDI40201', 'impuestos', (i) => en(undefined, 'Un traslado o pago no lleva el nodo Impuestos.', i), TP),
  regla('CFDI40202', 'impuestos', masDecimales('TotalImpuestosRetenidos', monedaComprobante, 'la moneda')),
  regla('CFDI40203', 'impuestos', (i) => {
    const [s, v] = [suma(bajo(i, C, 'Retenciones', 'Retencion'), 'Importe'), num(i, 'TotalImpuestosRetenidos')];
    return s !== undefined && v !== undefined && !v.eq(s) && en('TotalImpuestosRetenidos', `Debe ser la suma de las retenciones: ${s.toFixed()}.`);
  }),
  regla('CFDI40204', 'impuestos', masDecimales('TotalImpuestosTrasladados', monedaComprobante, 'la moneda')),
  regla('CFDI40205', 'impuestos', (i) => {
    const [s, v] = [suma(bajo(i, C, 'Traslados', 'Traslado').filter((t) => tiene(t, 'Importe')), 'Importe'), num(i, 'TotalImpuestosTrasladados')];
    return s !== undefined && v !== undefined && !v.eq(s) && en('TotalImpuestosTrasladados', `Debe ser la suma de los traslados: ${s.toFixed()}.`);
  }),
  regla('CFDI40206', 'impuestos', (i) => child(i, C, 'Retenciones') !== undefined && !tiene(i, 'TotalImpuestosRetenidos') && en(undefined, 'Con Retenciones se registra TotalImpuestosRetenidos.')),
  regla('CFDI40207', 'retencion', (r, d) => {
    const v = attr(r, 'Impuesto');
    return v !== undefined && impuestoDe(r, 'Impuesto', d)?.retencion !== true && en('Impuesto', `${v} no es un impuesto retenible de c_Impuesto.`);
  }),
  regla('CFDI40208', 'retencion', (r) => repetido(r, (e) => attr(e, 'Impuesto') ?? '') && en('Impuesto', `Ya hay una Retencion del impuesto ${attr(r, 'Impuesto')}.`)),
  regla('CFDI40209', 'retencion', (r, d) => tiene(r, 'Importe') && !tiene(d.impuestos, 'TotalImpuestosRetenidos') && en('Importe', 'Con retenciones se registra TotalImpuestosRetenidos.')),
  regla('CFDI40210', 'retencion', masDecimales('Importe', monedaComprobante, 'la moneda')),
  regla('CFDI40211', 'retencion', resumen('Importe', (r, d) => NODOS.retencionConcepto(d).filter((k) => attr(k, 'Impuesto') === attr(r, 'Impuesto')), 'Debe ser el redondeo de la suma de las retenciones de ese impuesto en los conceptos')),
  regla('CFDI40212', 'impuestos', (i, d) =>
    child(i, C, 'Traslados') !== undefined && !tiene(i, 'TotalImpuestosTrasladados') && NODOS.trasladoConcepto(d).some((t) => attr(t, 'TipoFactor') !== 'Exento') &&
    en(undefined, 'Con traslados que no son Exento se registra TotalImpuestosTrasladados.'),
  ),
  regla('CFDI40213', 'traslado', (t, d) => {
    const sobra = ['TasaOCuota', 'Importe'].find((a) => tiene(t, a));
    return soloExentos(d) && sobra !== undefined && en(sobra, 'Con solo conceptos Exento el traslado lleva solo Base, Impuesto y TipoFactor.');
  }),
  regla('CFDI40214', 'traslado', masDecimales('Base', monedaComprobante, 'la moneda')),
  regla('CFDI40215', 'traslado', resumen('Base', mismosTraslados, 'Debe ser el redondeo de la suma de las bases de ese impuesto, factor y tasa en los conceptos')),
  regla('CFDI40216', 'impuestos', (i, d) => {
    const traslados = child(i, C, 'Traslados');
    if (!traslados || !soloExentos(d) || d.decimales === undefined) return undefined;
    const [filas, conceptos] = [suma(children(traslados, C, 'Traslado'), 'Base'), suma(NODOS.trasladoConcepto(d), 'Base')];
    return filas !== undefined && conceptos !== undefined && !filas.eq(redondear(conceptos, d.decimales)) &&
      en(undefined, `Con solo conceptos Exento la suma de las Base es el redondeo de la de los conceptos: ${redondear(conceptos, d.decimales).toFixed(d.decimales)}.`, traslados);
  }),
  regla('CFDI40217', 'traslado', (t, d) => {
    const v = attr(t, 'Impuesto');
    return v !== undefined && impuestoDe(t, 'Impuesto', d)?.traslado !== true && en('Impuesto', `${v} no es un impuesto trasladable de c_Impuesto.`);
  }),
  regla('CFDI40218', 'traslado', (t) => repetido(t, clave3) && en('Impuesto', 'Ya hay un Traslado con ese impuesto, factor y tasa.')),
  regla('CFDI40219', 'traslado', (t, d) => {
    const [f, tasa] = [attr(t, 'TipoFactor'), num(t, 'TasaOCuota')];
    if (f === undefined || f === 'Exento' || tasa === undefined || impuestoDe(t, 'Impuesto', d)?.traslado !== true) return undefined;
    return !cat.reglaTasaCuota(attr(t, 'Impuesto')!, f, tasa, 'traslado', d.fecha) && en('TasaOCuota', `${attr(t, 'TasaOCuota')} no está en c_TasaOCuota para ${attr(t, 'Impuesto')} ${f}.`);
  }),
  regla('CFDI40220', 'traslado', masDecimales('Importe', monedaComprobante, 'la moneda')),
  regla('CFDI40221', 'traslado', resumen('Importe', mismosTraslados, 'Debe ser el redondeo de la suma de los importes de ese impuesto, factor y tasa en los conceptos')),
];

// ---------------------------------------------------------------------------------------------------------
// Pagos 2.0: the comprobante that carries it

const COMPROBANTE_PAGO: Regla[] = [
  regla('CRP20101', 'comprobante', valorFijo('TipoDeComprobante', 'P')),
  regla('CRP20102', 'comprobante', valorFijo('Exportacion', '01')),
  regla('CRP20103', 'comprobante', valorFijo('SubTotal', '0', true)),
  regla('CRP20104', 'comprobante', valorFijo('Moneda', 'XXX')),
  regla('CRP20105', 'comprobante', ausente('FormaPago', 'Un CFDI de pago no lleva FormaPago.')),
  regla('CRP20106', 'comprobante', ausente('MetodoPago', 'Un CFDI de pago no lleva MetodoPago.')),
  regla('CRP20107', 'comprobante', ausente('CondicionesDePago', 'Un CFDI de pago no lleva CondicionesDePago.')),
  regla('CRP20108', 'comprobante', ausente('Descuento', 'Un CFDI de pago no lleva Descuento.')),
  regla('CRP20109', 'comprobante', ausente('TipoCambio', 'Un CFDI de pago no lleva TipoCambio.')),
  regla('CRP20110', 'comprobante', valorFijo('Total', '0', true)),
  regla('CRP20111', 'conceptos', (k) => children(k, C, 'Concepto').length > 1 && en(undefined, 'Un CFDI de pago lleva un solo Concepto.')),
  regla('CRP20112', 'concepto', (k) => {
    const hijo = k.children.find((e): e is XmlElement => typeof e !== 'string' && !(e.ns === C && e.local === 'ACuentaTerceros'));
    return hijo !== undefined && en(undefined, 'El Concepto de un pago no lleva nodos hijo, salvo ACuentaTerceros.', hijo);
  }),
  regla('CRP20113', 'concepto', valorFijo('ClaveProdServ', '84111506')),
  regla('CRP20114', 'concepto', ausente('NoIdentificacion', 'El Concepto de un pago no lleva NoIdentificacion.')),
  regla('CRP20115', 'concepto', valorFijo('Cantidad', '1', true)),
  regla('CRP20116', 'concepto', valorFijo('ClaveUnidad', 'ACT')),
  regla('CRP20117', 'concepto', ausente('Unidad', 'El Concepto de un pago no lleva Unidad.')),
  regla('CRP20118', 'concepto', valorFijo('Descripcion', 'Pago')),
  regla('CRP20119', 'concepto', valorFijo('ValorUnitario', '0', true)),
  regla('CRP20120', 'concepto', valorFijo('Importe', '0', true)),
  regla('CRP20121', 'concepto', ausente('Descuento', 'El Concepto de un pago no lleva Descuento.')),
  regla('CRP20122', 'concepto', valorFijo('ObjetoImp', '01')),
  regla('CRP20123', 'concepto', (k) => {
    const i = child(k, C, 'Impuestos');
    return i !== undefined && en(undefined, 'El Concepto de un pago no lleva Impuestos.', i);
  }),
];

// ---------------------------------------------------------------------------------------------------------
// Pagos 2.0: Totales, Pago, DoctoRelacionado, ImpuestosP

const pagoDe = (el: XmlElement) => (el.local === 'Pago' ? el : el.local === 'DoctoRelacionado' ? el.parent! : ancestro(el, 3)!);
/** TipoCambioP: 1 when absent (MXN); undefined when malformed. */
const tipoCambioP = (pago: XmlElement) => (tiene(pago, 'TipoCambioP') ? num(pago, 'TipoCambioP') : dec(1));
/** EquivalenciaDR: 1 when absent in the payment's currency; undefined when it cannot be known. */
const equivalenciaDR = (docto: XmlElement) =>
  tiene(docto, 'EquivalenciaDR') ? num(docto, 'EquivalenciaDR') : attr(docto, 'MonedaDR') === attr(docto.parent!, 'MonedaP') ? dec(1) : undefined;
const decimalesP = (pago: XmlElement, d: Documento) => decimalesDe(attr(pago, 'MonedaP'), d.fecha);
const decimalesDR = (docto: XmlElement, d: Documento) => decimalesDe(attr(docto, 'MonedaDR'), d.fecha);

const LINEAS_P = { retencion: ['RetencionesP', 'RetencionP'], traslado: ['TrasladosP', 'TrasladoP'] } as const;
const lineasP = (d: Documento, uso: keyof typeof LINEAS_P) => bajo(d.pagos, P, 'Pago', 'ImpuestosP', ...LINEAS_P[uso]);
/** A Totales amount: the rounded sum over the payments of each matching ImpuestosP line × TipoCambioP. */
const total = (nombre: string, uso: keyof typeof LINEAS_P, valor: 'BaseP' | 'ImporteP', cumple: (l: XmlElement) => boolean): Regla =>
  regla(`CRP202${{ TotalRetencionesIVA: '01', TotalRetencionesISR: '02', TotalRetencionesIEPS: '03', TotalTrasladosBaseIVA16: '04', TotalTrasladosImpuestoIVA16: '05', TotalTrasladosBaseIVA8: '06', TotalTrasladosImpuestoIVA8: '07', TotalTrasladosBaseIVA0: '08', TotalTrasladosImpuestoIVA0: '09', TotalTrasladosBaseIVAExento: '10' }[nombre]}`, 'pagos', (pagos, d) => {
    const t = child(pagos, P, 'Totales');
    const v = num(t, nombre);
    if (!t || v === undefined) return undefined;
    const s = suma(lineasP(d, uso).filter(cumple), valor, (l) => tipoCambioP(pagoDe(l)));
    return s !== undefined && !v.eq(redondear(s, 2)) && en(nombre, `Debe ser el redondeo de la suma de ${valor} × TipoCambioP: ${redondear(s, 2).toFixed(2)}.`, t);
  });
const ivaTasa = (tasa: string) => (l: XmlElement) => attr(l, 'ImpuestoP') === IVA && attr(l, 'TipoFactorP') === 'Tasa' && tasaClave(l, 'TasaOCuotaP') === tasa;
const retenido = (impuesto: string) => (l: XmlElement) => attr(l, 'ImpuestoP') === impuesto;
const TOTALES_TRASLADO_BASE = ['TotalTrasladosBaseIVA16', 'TotalTrasladosBaseIVA8', 'TotalTrasladosBaseIVA0', 'TotalTrasladosBaseIVAExento'];
const TOTALES_TRASLADO_IMPUESTO = ['TotalTrasladosImpuestoIVA16', 'TotalTrasladosImpuestoIVA8', 'TotalTrasladosImpuestoIVA0'];
const TOTALES_RETENCION = ['TotalRetencionesIVA', 'TotalRetencionesISR', 'TotalRetencionesIEPS'];
const totales = (d: Documento) => child(d.pagos!, P, 'Totales');

/** The ImpuestosDR lines of a Pago's documents, each with its EquivalenciaDR. */
const lineasDR = (pago: XmlElement, uso: 'retencion' | 'traslado') =>
  bajo(pago, P, 'DoctoRelacionado').flatMap((docto) =>
    bajo(docto, P, 'ImpuestosDR', ...(uso === 'retencion' ? ['RetencionesDR', 'RetencionDR'] : ['TrasladosDR', 'TrasladoDR'])).map((l) => ({ l, docto })),
  );
const claveDR = (l: XmlElement, s: string) => `${attr(l, `Impuesto${s}`)}|${attr(l, `TipoFactor${s}`)}|${tasaClave(l, `TasaOCuota${s}`)}`;
/** ImpuestosP sums: the documents' amounts ÷ EquivalenciaDR, compared with the decimals written (at least MonedaP's). */
const sumaP = (uso: 'retencion' | 'traslado', valor: 'Base' | 'Importe', mismas: (l: XmlElement, p: XmlElement) => boolean): Revisar => (p, d) => {
  const pago = pagoDe(p);
  const min = decimalesP(pago, d);
  if (!tiene(p, `${valor}P`) || min === undefined) return undefined;
  const lineas = lineasDR(pago, uso).filter(({ l }) => mismas(l, p));
  let s: Decimal = new Dec(0);
  for (const { l, docto } of lineas) {
    const [v, eq] = [num(l, `${valor}DR`), equivalenciaDR(docto)];
    if (v === undefined || eq === undefined || eq.isZero()) return undefined;
    s = s.plus(v.div(eq));
  }
  return !igualRedondeado(p, `${valor}P`, s, min) && en(`${valor}P`, `Debe ser la suma de los ${valor}DR de los documentos (÷ EquivalenciaDR): ${s.toDecimalPlaces(6).toFixed()}.`);
};
const trasladosDRdel = (pago: XmlElement) => lineasDR(pago, 'traslado').map((x) => x.l);
const soloExentosDR = (pago: XmlElement) => {
  const t = trasladosDRdel(pago);
  return t.length > 0 && t.every((l) => attr(l, 'TipoFactorDR') === 'Exento');
};

/** The rules of a RetencionDR or TrasladoDR line. */
function lineaDR(uso: 'traslado' | 'retencion', codigos: { base: string; impuesto: string; factor: string; tasa: string; importe: string }): Regla[] {
  const nodo = uso === 'traslado' ? 'trasladoDR' : 'retencionDR';
  return [
    regla(codigos.base, nodo, positivo('BaseDR')),
    regla(codigos.impuesto, nodo, (l, d) => clave('ImpuestoDR', (v) => cat.impuesto(v, d.fecha), 'c_Impuesto')(l, d)),
    regla(codigos.factor, nodo, (l, d) => clave('TipoFactorDR', (v) => cat.tipoFactor(v, d.fecha), 'c_TipoFactor')(l, d)),
    regla(codigos.tasa, nodo, (l, d) => {
      const [f, tasa, imp] = [attr(l, 'TipoFactorDR'), num(l, 'TasaOCuotaDR'), attr(l, 'ImpuestoDR')];
      if (f === undefined || f === 'Exento' || !cat.tipoFactor(f, d.fecha) || tasa === undefined || !cat.impuesto(imp, d.fecha)) return undefined;
      return !cat.reglaTasaCuota(imp!, f, tasa, uso, d.fecha) && en('TasaOCuotaDR', `${attr(l, 'TasaOCuotaDR')} no está en c_TasaOCuota para ${imp} ${f}.`);
    }),
    regla(codigos.importe, nodo, (l) => attr(l, 'TipoFactorDR') !== 'Exento' && impuestoFueraDeLimites(l, 'DR') === true && en('ImporteDR', 'El ImporteDR no está entre los límites de BaseDR × TasaOCuotaDR.')),
  ];
}

const PAGOS: Regla[] = [
  total('TotalRetencionesIVA', 'retencion', 'ImporteP', retenido(IVA)),
  total('TotalRetencionesISR', 'retencion', 'ImporteP', retenido('001')),
  total('TotalRetencionesIEPS', 'retencion', 'ImporteP', retenido(IEPS)),
  total('TotalTrasladosBaseIVA16', 'traslado', 'BaseP', ivaTasa('0.160000')),
  total('TotalTrasladosImpuestoIVA16', 'traslado', 'ImporteP', ivaTasa('0.160000')),
  total('TotalTrasladosBaseIVA8', 'traslado', 'BaseP', ivaTasa('0.080000')),
  total('TotalTrasladosImpuestoIVA8', 'traslado', 'ImporteP', ivaTasa('0.080000')),
  total('TotalTrasladosBaseIVA0', 'traslado', 'BaseP', ivaTasa('0.000000')),
  total('TotalTrasladosImpuestoIVA0', 'traslado', 'ImporteP', ivaTasa('0.000000')),
  total('TotalTrasladosBaseIVAExento', 'traslado', 'BaseP', (l) => attr(l, 'ImpuestoP') === IVA && attr(l, 'TipoFactorP') === 'Exento'),
  regla('CRP20211', 'pagos', (pagos) => {
    const t = child(pagos, P, 'Totales');
    const v = num(t, 'MontoTotalPagos');
    const s = suma(bajo(pagos, P, 'Pago'), 'Monto', tipoCambioP);
    return t !== undefined && v !== undefined && s !== undefined && !v.eq(redondear(s, 2)) &&
      en('MontoTotalPagos', `Debe ser el redondeo de la suma de Monto × TipoCambioP: ${redondear(s, 2).toFixed(2)}.`, t);
  }),
  regla('CRP20212', 'pago', (p) => attr(p, 'FormaDePagoP') === '99' && en('FormaDePagoP', 'La forma de pago de un pago no puede ser 99.')),
  regla('CRP20213', 'pago', (p) => attr(p, 'MonedaP') === 'XXX' && en('MonedaP', 'La MonedaP no puede ser XXX.')),
  regla('CRP20214', 'pago', (p) => tiene(p, 'MonedaP') && attr(p, 'MonedaP') !== 'MXN' && !tiene(p, 'TipoCambioP') && en(undefined, `Un pago en ${attr(p, 'MonedaP')} lleva TipoCambioP.`)),
  // "se debe registrar el valor 1": an absent TipoCambioP breaks it too.
  regla('CRP20215', 'pago', (p) => attr(p, 'MonedaP') === 'MXN' && num(p, 'TipoCambioP')?.eq(1) !== true && (!tiene(p, 'TipoCambioP') || num(p, 'TipoCambioP') !== undefined) &&
    en(tiene(p, 'TipoCambioP') ? 'TipoCambioP' : undefined, 'Un pago en MXN lleva TipoCambioP 1.')),
  regla('CRP20217', 'pago', (p) => {
    const doctos = bajo(p, P, 'DoctoRelacionado');
    const [monto, s] = [num(p, 'Monto'), suma(doctos, 'ImpPagado')];
    return doctos.every((x) => attr(x, 'MonedaDR') === attr(p, 'MonedaP')) && monto !== undefined && s !== undefined && s.gt(monto) &&
      en('Monto', `Es menor que la suma de ImpPagado de los documentos (${s.toFixed()}).`);
  }),
  regla('CRP20218', 'pago', positivo('Monto')),
  regla('CRP20219', 'pago', masDecimales('Monto', decimalesP, 'la MonedaP')),
  regla('CRP20221', 'pago', (p) => tiene(p, 'RfcEmisorCtaOrd') && !FORMAS_ORDENANTE.has(attr(p, 'FormaDePagoP') ?? '') && en('RfcEmisorCtaOrd', `No se registra con la forma de pago ${attr(p, 'FormaDePagoP')}.`)),
  regla('CRP20223', 'pago', (p) => attr(p, 'RfcEmisorCtaOrd') === RFC_EXTRANJERO && !tiene(p, 'NomBancoOrdExt') && en(undefined, 'Con el banco ordenante extranjero se registra NomBancoOrdExt.')),
  regla('CRP20224', 'pago', (p) => tiene(p, 'CtaOrdenante') && !FORMAS_ORDENANTE.has(attr(p, 'FormaDePagoP') ?? '') && en('CtaOrdenante', `No se registra con la forma de pago ${attr(p, 'FormaDePagoP')}.`)),
  regla('CRP20225', 'pago', (p, d) => {
    // Only where the forma admits the account (CRP20224): c_FormaPago gives 99 a pattern too.
    const forma = attr(p, 'FormaDePagoP') ?? '';
    const [cta, patron] = [attr(p, 'CtaOrdenante'), cat.formaPago(forma, d.fecha)?.patronCuentaOrdenante];
    return FORMAS_ORDENANTE.has(forma) && cta !== undefined && patron !== undefined && !cumplePatronSat(patron, cta) && en('CtaOrdenante', `No cumple el patrón ${patron} de c_FormaPago.`);
  }),
  regla('CRP20226', 'pago', (p, d) => {
    const forma = attr(p, 'FormaDePagoP') ?? '';
    const [cta, patron] = [attr(p, 'CtaBeneficiario'), cat.formaPago(forma, d.fecha)?.patronCuentaBeneficiario];
    return FORMAS_BENEFICIARIO.has(forma) && cta !== undefined && patron !== undefined && !cumplePatronSat(patron, cta) && en('CtaBeneficiario', `No cumple el patrón ${patron} de c_FormaPago.`);
  }),
  regla('CRP20227', 'pago', (p) => tiene(p, 'RfcEmisorCtaBen') && !FORMAS_BENEFICIARIO.has(attr(p, 'FormaDePagoP') ?? '') && en('RfcEmisorCtaBen', `No se registra con la forma de pago ${attr(p, 'FormaDePagoP')}.`)),
  regla('CRP20228', 'pago', (p) => tiene(p, 'CtaBeneficiario') && !FORMAS_BENEFICIARIO.has(attr(p, 'FormaDePagoP') ?? '') && en('CtaBeneficiario', `No se registra con la forma de pago ${attr(p, 'FormaDePagoP')}.`)),
  regla('CRP20229', 'pago', (p) => tiene(p, 'TipoCadPago') && attr(p, 'FormaDePagoP') !== '03' && en('TipoCadPago', 'TipoCadPago solo con la forma de pago 03.')),
  ...(['CertPago', 'CadPago', 'SelloPago'] as const).flatMap((campo, n) => [
    regla(`CRP2023${n * 2}`, 'pago', (p) => tiene(p, 'TipoCadPago') && !tiene(p, campo) && en(undefined, `Con TipoCadPago se registra ${campo}.`)),
    regla(`CRP2023${n * 2 + 1}`, 'pago', (p) => !tiene(p, 'TipoCadPago') && tiene(p, campo) && en(campo, `Sin TipoCadPago no se registra ${campo}.`)),
  ]),
  regla('CRP20236', 'docto', (x) => attr(x, 'MonedaDR') === 'XXX' && en('MonedaDR', 'La MonedaDR no puede ser XXX.')),
  regla('CRP20237', 'docto', (x) => tiene(x, 'MonedaDR') && tiene(x.parent!, 'MonedaP') && attr(x, 'MonedaDR') !== attr(x.parent!, 'MonedaP') && !tiene(x, 'EquivalenciaDR') &&
    en(undefined, 'En otra moneda que el pago se registra EquivalenciaDR.')),
  // "se debe registrar el valor 1": an absent EquivalenciaDR breaks it too.
  regla('CRP20238', 'docto', (x) => tiene(x, 'MonedaDR') && attr(x, 'MonedaDR') === attr(x.parent!, 'MonedaP') && (!tiene(x, 'EquivalenciaDR') || num(x, 'EquivalenciaDR')?.eq(1) === false) &&
    en(tiene(x, 'EquivalenciaDR') ? 'EquivalenciaDR' : undefined, 'En la moneda del pago la EquivalenciaDR es 1.')),
  regla('CRP20239', 'docto', positivo('ImpSaldoAnt')),
  regla('CRP20240', 'docto', masDecimales('ImpSaldoAnt', decimalesDR, 'la MonedaDR')),
  regla('CRP20241', 'docto', positivo('ImpPagado')),
  regla('CRP20242', 'docto', masDecimales('ImpPagado', decimalesDR, 'la MonedaDR')),
  regla('CRP20243', 'docto', masDecimales('ImpSaldoInsoluto', decimalesDR, 'la MonedaDR')),
  regla('CRP20244', 'docto', (x) => {
    const [ant, pag, ins] = [num(x, 'ImpSaldoAnt'), num(x, 'ImpPagado'), num(x, 'ImpSaldoInsoluto')];
    return ant !== undefined && pag !== undefined && ins !== undefined && (ins.lt(0) || !ins.eq(ant.minus(pag))) &&
      en('ImpSaldoInsoluto', `Debe ser ImpSaldoAnt − ImpPagado = ${ant.minus(pag).toFixed()}, y no negativo.`);
  }),
  regla('CRP20245', 'docto', (x, d) => clave('ObjetoImpDR', (v) => cat.objetoImp(v, d.fecha), 'c_ObjetoImp')(x, d)),
  regla('CRP20246', 'docto', (x) => attr(x, 'ObjetoImpDR') === '02' && !child(x, P, 'ImpuestosDR') && en('ObjetoImpDR', 'Con ObjetoImpDR 02 el documento lleva ImpuestosDR.')),
  regla('CRP20247', 'docto', (x) => {
    const i = child(x, P, 'ImpuestosDR');
    return OBJETO_SIN_IMPUESTOS.has(attr(x, 'ObjetoImpDR') ?? '') && i !== undefined && en(undefined, `Con ObjetoImpDR ${attr(x, 'ObjetoImpDR')} no se registran ImpuestosDR.`, i);
  }),
  regla('CRP20248', 'docto', (x) => {
    const i = child(x, P, 'ImpuestosDR');
    return i !== undefined && bajo(i, P, 'RetencionesDR', 'RetencionDR').length + bajo(i, P, 'TrasladosDR', 'TrasladoDR').length === 0 &&
      en(undefined, 'ImpuestosDR lleva traslados o retenciones.', i);
  }),
  ...lineaDR('retencion', { base: 'CRP20249', impuesto: 'CRP20250', factor: 'CRP20251', tasa: 'CRP20253', importe: 'CRP20254' }),
  regla('CRP20252', 'retencionDR', (l) => attr(l, 'TipoFactorDR') === 'Exento' && en('TipoFactorDR', 'Una retención no puede ser Exento.')),
  ...lineaDR('traslado', { base: 'CRP20255', impuesto: 'CRP20256', factor: 'CRP20257', tasa: 'CRP20260', importe: 'CRP20261' }),
  regla('CRP20258', 'trasladoDR', (l) => {
    const sobra = ['TasaOCuotaDR', 'ImporteDR'].find((a) => tiene(l, a));
    return attr(l, 'TipoFactorDR') === 'Exento' && sobra !== undefined && en(sobra, 'Un traslado Exento no lleva TasaOCuotaDR ni ImporteDR.');
  }),
  regla('CRP20259', 'trasladoDR', (l) => {
    const f = attr(l, 'TipoFactorDR');
    return (f === 'Tasa' || f === 'Cuota') && !(tiene(l, 'TasaOCuotaDR') && tiene(l, 'ImporteDR')) && en(undefined, `Un traslado ${f} lleva TasaOCuotaDR e ImporteDR.`);
  }),
  regla('CRP20262', 'retencionP', (l, d) => clave('ImpuestoP', (v) => cat.impuesto(v, d.fecha), 'c_Impuesto')(l, d)),
  regla('CRP20263', 'retencionP', (l) => repetido(l, (e) => attr(e, 'ImpuestoP') ?? '') && en('ImpuestoP', `Ya hay un RetencionP del impuesto ${attr(l, 'ImpuestoP')}.`)),
  regla('CRP20264', 'retencionP', (l, d) => !TOTALES_RETENCION.some((a) => tiene(totales(d), a)) && en('ImporteP', `Con retenciones se registra ${TOTALES_RETENCION.join(', ')} en Totales (al menos uno).`)),
  regla('CRP20265', 'retencionP', sumaP('retencion', 'Importe', (l, p) => attr(l, 'ImpuestoDR') === attr(p, 'ImpuestoP'))),
  regla('CRP20266', 'trasladoP', (l) => {
    const sobra = ['TasaOCuotaP', 'ImporteP'].find((a) => tiene(l, a));
    return soloExentosDR(pagoDe(l)) && sobra !== undefined && en(sobra, 'Con solo documentos Exento el TrasladoP lleva solo BaseP, ImpuestoP y TipoFactorP.');
  }),
  regla('CRP20267', 'trasladoP', (l, d) => attr(l, 'ImpuestoP') === IVA && !TOTALES_TRASLADO_BASE.some((a) => tiene(totales(d), a)) && en('BaseP', `Con IVA se registra ${TOTALES_TRASLADO_BASE.join(', ')} en Totales (al menos uno).`)),
  regla('CRP20268', 'trasladoP', sumaP('traslado', 'Base', (l, p) => claveDR(l, 'DR') === claveDR(p, 'P'))),
  regla('CRP20269', 'pago', (p, d) => {
    const filas = bajo(p, P, 'ImpuestosP', 'TrasladosP', 'TrasladoP');
    const min = decimalesP(p, d);
    if (!soloExentosDR(p) || filas.length === 0 || min === undefined) return undefined;
    const [base, s] = [suma(filas, 'BaseP'), suma(lineasDR(p, 'traslado').map((x) => x.l), 'BaseDR', (l) => {
      const eq = equivalenciaDR(ancestro(l, 3)!);
      return eq && !eq.isZero() ? dec(1).div(eq) : undefined;
    })];
    const n = Math.max(min, ...filas.map((f) => lugares(f, 'BaseP') ?? 0));
    return base !== undefined && s !== undefined && !base.eq(redondear(s, n)) &&
      en(undefined, `Con solo documentos Exento la suma de BaseP es la de los BaseDR: ${s.toDecimalPlaces(6).toFixed()}.`, filas[0].parent!);
  }),
  regla('CRP20270', 'trasladoP', (l, d) => clave('ImpuestoP', (v) => cat.impuesto(v, d.fecha), 'c_Impuesto')(l, d)),
  regla('CRP20271', 'trasladoP', (l) => repetido(l, (e) => claveDR(e, 'P')) && en('ImpuestoP', 'Ya hay un TrasladoP con ese impuesto, factor y tasa.')),
  regla('CRP20272', 'trasladoP', (l, d) => {
    const [f, tasa, imp] = [attr(l, 'TipoFactorP'), num(l, 'TasaOCuotaP'), attr(l, 'ImpuestoP')];
    if (f === undefined || f === 'Exento' || !cat.tipoFactor(f, d.fecha) || tasa === undefined || !cat.impuesto(imp, d.fecha)) return undefined;
    return !cat.reglaTasaCuota(imp!, f, tasa, 'traslado', d.fecha) && en('TasaOCuotaP', `${attr(l, 'TasaOCuotaP')} no está en c_TasaOCuota para ${imp} ${f}.`);
  }),
  regla('CRP20273', 'trasladoP', (l, d) =>
    attr(l, 'ImpuestoP') === IVA && attr(l, 'TipoFactorP') !== 'Exento' && !TOTALES_TRASLADO_IMPUESTO.some((a) => tiene(totales(d), a)) &&
    en('ImporteP', `Con IVA a tasa se registra ${TOTALES_TRASLADO_IMPUESTO.join(', ')} en Totales (al menos uno).`),
  ),
  regla('CRP20274', 'trasladoP', sumaP('traslado', 'Importe', (l, p) => claveDR(l, 'DR') === claveDR(p, 'P'))),
  regla('CRP20276', 'pago', (p, d) => {
    const doctos = bajo(p, P, 'DoctoRelacionado');
    const [monto, dp] = [num(p, 'Monto'), decimalesP(p, d)];
    if (monto === undefined || dp === undefined || doctos.every((x) => attr(x, 'MonedaDR') === attr(p, 'MonedaP'))) return undefined;
    const datos = doctos.map((x) => ({ pagado: num(x, 'ImpPagado'), equivalencia: equivalenciaDR(x), decimales: decimalesDR(x, d), escrita: lugares(x, 'EquivalenciaDR') ?? 0, misma: attr(x, 'MonedaDR') === attr(p, 'MonedaP') }));
    if (datos.some((x) => x.pagado === undefined || x.equivalencia === undefined || x.decimales === undefined || x.equivalencia.lte(0))) return undefined;
    const docs = datos as { pagado: Decimal; equivalencia: Decimal; decimales: number; escrita: number; misma: boolean }[];
    const convertido = docs.reduce((s, x) => s.plus(x.pagado.div(x.equivalencia)), dec(0)).toDecimalPlaces(dp, Dec.ROUND_DOWN);
    if (convertido.lte(monto)) return undefined;
    // CRP20277: an EquivalenciaDR of 1 beside a document in the payment's currency counts with 10 decimals.
    const conMisma = docs.some((x) => x.misma);
    let [inferior, superior] = [dec(0), dec(0)];
    for (const x of docs) {
      const l = limitesImpPagado(x, conMisma && x.equivalencia.eq(1) ? 10 : x.escrita, dp);
      [inferior, superior] = [inferior.plus(l.inferior), superior.plus(l.superior)];
    }
    return (monto.lt(inferior) || monto.gt(superior)) && en('Monto', `El Monto debe estar entre ${inferior.toFixed()} y ${superior.toFixed()} (suma de los límites de cada ImpPagado).`);
  }),
  regla('CRP20278', 'docto', (x) => {
    const o = attr(x, 'ObjetoImpDR');
    const lineas = [...bajo(x, P, 'ImpuestosDR', 'RetencionesDR', 'RetencionDR'), ...bajo(x, P, 'ImpuestosDR', 'TrasladosDR', 'TrasladoDR')];
    return (o === '06' || o === '08') && lineas.some((l) => attr(l, 'ImpuestoDR') === IVA || attr(l, 'ImpuestoDR') === IEPS) && en('ObjetoImpDR', `Con ObjetoImpDR ${o} no se registran IVA ni IEPS.`);
  }),
  regla('CRP20279', 'docto', (x) => {
    const traslados = bajo(x, P, 'ImpuestosDR', 'TrasladosDR', 'TrasladoDR');
    const lineas = [...bajo(x, P, 'ImpuestosDR', 'RetencionesDR', 'RetencionDR'), ...traslados];
    return attr(x, 'ObjetoImpDR') === '07' && (lineas.some((l) => attr(l, 'ImpuestoDR') === IVA) || !traslados.some((l) => attr(l, 'ImpuestoDR') === IEPS)) &&
      en('ObjetoImpDR', 'Con ObjetoImpDR 07 no se registra IVA y se traslada IEPS.');
  }),
];

// ---------------------------------------------------------------------------------------------------------

const REGLAS_CFDI40: readonly Regla[] = [...COMPROBANTE, ...INFORMACION_GLOBAL, ...EMISOR_RECEPTOR, ...CONCEPTO, ...IMPUESTOS];
/** Run only when the comprobante carries pago20:Pagos. */
const REGLAS_PAGOS20: readonly Regla[] = [...COMPROBANTE_PAGO, ...PAGOS];

/** The codes checked on a received CFDI, in code order. */
export const REGLAS_RECIBIDO: readonly string[] = [...REGLAS_CFDI40, ...REGLAS_PAGOS20].map((r) => r.codigo).sort();

/** Every problem the SAT's rules find in a received comprobante (cfdi:Comprobante root), each with its XPath and code. */
export function reglasRecibido(comprobante: XmlElement): Required<ValidationIssue>[] {
  const d = documento(comprobante);
  const issues: Required<ValidationIssue>[] = [];
  const reglas = d.pagos ? [...REGLAS_CFDI40, ...REGLAS_PAGOS20] : REGLAS_CFDI40;
  for (const r of reglas) {
    if (r.tipos && !r.tipos.includes(d.tipo as Tipo)) continue;
    for (const el of NODOS[r.nodo](d)) {
      const h = r.revisar(el, d);
      if (!h) continue;
      const ruta = pathOf(h.en ?? el);
      issues.push({ path: h.atributo ? `${ruta}/@${h.atributo}` : ruta, message: h.mensaje, code: r.codigo });
    }
  }
  return issues;
}
