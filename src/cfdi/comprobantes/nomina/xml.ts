// The nomina12:Nomina complement: every node's attributes in nomina12.xsd order and its children in the
// XSD's sequence, as data. Model fields are the attribute names camelCased (TipoNomina → tipoNomina), so
// one list names both.
import type { Complemento } from '../../comprobante';
import { NS, ubicacionEsquema } from '../../namespaces';
import { el, type XmlElement, type XmlNode } from '../../xml';
import type { Nomina, OtroPago, Percepcion, Percepciones } from './modelo';

type Campos = readonly (readonly [atributo: string, campo: string])[];
const campos = (spec: string): Campos => spec.split(' ').map((a) => [a, a[0]!.toLowerCase() + a.slice(1)] as const);

const NOMINA = campos('Version TipoNomina FechaPago FechaInicialPago FechaFinalPago NumDiasPagados TotalPercepciones TotalDeducciones TotalOtrosPagos');
const EMISOR = campos('Curp RegistroPatronal RfcPatronOrigen');
const ENTIDAD_SNCF = campos('OrigenRecurso MontoRecursoPropio');
const RECEPTOR = campos(
  'Curp NumSeguridadSocial FechaInicioRelLaboral Antigüedad TipoContrato Sindicalizado TipoJornada TipoRegimen NumEmpleado Departamento ' +
    'Puesto RiesgoPuesto PeriodicidadPago Banco CuentaBancaria SalarioBaseCotApor SalarioDiarioIntegrado ClaveEntFed',
);
const SUBCONTRATACION = campos('RfcLabora PorcentajeTiempo');
const PERCEPCIONES = campos('TotalSueldos TotalSeparacionIndemnizacion TotalJubilacionPensionRetiro TotalGravado TotalExento');
const PERCEPCION = campos('TipoPercepcion Clave Concepto ImporteGravado ImporteExento');
const ACCIONES = campos('ValorMercado PrecioAlOtorgarse');
const HORAS_EXTRA = campos('Dias TipoHoras HorasExtra ImportePagado');
const JUBILACION = campos('TotalUnaExhibicion TotalParcialidad MontoDiario IngresoAcumulable IngresoNoAcumulable');
const SEPARACION = campos('TotalPagado NumAñosServicio UltimoSueldoMensOrd IngresoAcumulable IngresoNoAcumulable');
const DEDUCCIONES = campos('TotalOtrasDeducciones TotalImpuestosRetenidos');
const DEDUCCION = campos('TipoDeduccion Clave Concepto Importe');
const OTRO_PAGO = campos('TipoOtroPago Clave Concepto Importe');
const SUBSIDIO = campos('SubsidioCausado');
const COMPENSACION = campos('SaldoAFavor Año RemanenteSalFav');
const INCAPACIDAD = campos('DiasIncapacidad TipoIncapacidad ImporteMonetario');

function nodo(nombre: string, datos: object | undefined, lista: Campos, hijos?: (XmlNode | undefined | false)[]): XmlElement {
  const valores = (datos ?? {}) as Record<string, string | undefined>;
  const attrs: Record<string, string | undefined> = {};
  for (const [atributo, campo] of lista) attrs[atributo] = valores[campo];
  return el(`nomina12:${nombre}`, attrs, hijos);
}

const percepcionXml = (p: Percepcion) =>
  nodo('Percepcion', p, PERCEPCION, [
    p.accionesOTitulos && nodo('AccionesOTitulos', p.accionesOTitulos, ACCIONES),
    ...p.horasExtra.map((h) => nodo('HorasExtra', h, HORAS_EXTRA)),
  ]);

const percepcionesXml = (p: Percepciones) =>
  nodo('Percepciones', p, PERCEPCIONES, [
    ...p.percepcion.map(percepcionXml),
    p.jubilacionPensionRetiro && nodo('JubilacionPensionRetiro', p.jubilacionPensionRetiro, JUBILACION),
    p.separacionIndemnizacion && nodo('SeparacionIndemnizacion', p.separacionIndemnizacion, SEPARACION),
  ]);

const otroPagoXml = (o: OtroPago) =>
  nodo('OtroPago', o, OTRO_PAGO, [
    o.subsidioAlEmpleo && nodo('SubsidioAlEmpleo', o.subsidioAlEmpleo, SUBSIDIO),
    o.compensacionSaldosAFavor && nodo('CompensacionSaldosAFavor', o.compensacionSaldosAFavor, COMPENSACION),
  ]);

/** The nomina12:Nomina element. */
export function nominaXml(n: Nomina): XmlElement {
  return nodo('Nomina', n, NOMINA, [
    n.emisor && nodo('Emisor', n.emisor, EMISOR, [n.emisor.entidadSNCF && nodo('EntidadSNCF', n.emisor.entidadSNCF, ENTIDAD_SNCF)]),
    nodo('Receptor', n.receptor, RECEPTOR, n.receptor.subContratacion.map((s) => nodo('SubContratacion', s, SUBCONTRATACION))),
    n.percepciones && percepcionesXml(n.percepciones),
    n.deducciones && nodo('Deducciones', n.deducciones, DEDUCCIONES, n.deducciones.deduccion.map((d) => nodo('Deduccion', d, DEDUCCION))),
    n.otrosPagos && nodo('OtrosPagos', {}, [], n.otrosPagos.map(otroPagoXml)),
    n.incapacidades && nodo('Incapacidades', {}, [], n.incapacidades.map((i) => nodo('Incapacidad', i, INCAPACIDAD))),
  ]);
}

/** The complement as the Comprobante carries it: its node, namespace and schema location. */
export function complementoNomina(n: Nomina): Complemento {
  return { nodo: nominaXml(n), namespaces: { nomina12: NS.nomina12 }, schemaLocation: [ubicacionEsquema('nomina12')] };
}
