/**
 * The recibo de nómina part of the printed CFDI tipo N (src/cfdi/pdf.ts draws the header, the concepto, the neto
 * with its importe con letra, and the timbre): the employee and the period, then the percepciones, deducciones,
 * otros pagos and incapacidades tables with the SAT's totals, read from the stamped XML's nomina12:Nomina with the
 * layout's own boxes and page-breaking tables.
 */
import { attr, child, children, type XmlElement } from '../../dom';
import { NS } from '../../namespaces';
import type { Atributos } from '../../pdf-datos';
import { columnas, dinero, GRIS, NEGRITA, type Celda, type Dibujo, type Fila } from '../../pdf-formato';

// The SAT catalogs' texts of the claves a recibo prints (catalogos.generated.ts keeps only the claves and vigencias).
const TIPO_NOMINA: Record<string, string> = { O: 'Nómina ordinaria', E: 'Nómina extraordinaria' };
const PERIODICIDAD: Record<string, string> = {
  '01': 'Diario', '02': 'Semanal', '03': 'Catorcenal', '04': 'Quincenal', '05': 'Mensual', '06': 'Bimestral',
  '07': 'Unidad obra', '08': 'Comisión', '09': 'Precio alzado', '10': 'Decenal', '99': 'Otra Periodicidad',
};
const CONTRATO: Record<string, string> = {
  '01': 'Contrato de trabajo por tiempo indeterminado', '02': 'Contrato de trabajo para obra determinada',
  '03': 'Contrato de trabajo por tiempo determinado', '04': 'Contrato de trabajo por temporada',
  '05': 'Contrato de trabajo sujeto a prueba', '06': 'Contrato de trabajo con capacitación inicial',
  '07': 'Modalidad de contratación por pago de hora laborada', '08': 'Modalidad de trabajo por comisión laboral',
  '09': 'Modalidades de contratación donde no existe relación de trabajo', '10': 'Jubilación, pensión, retiro.',
  '99': 'Otro contrato',
};
const REGIMEN: Record<string, string> = {
  '02': 'Sueldos (Incluye ingresos señalados en la fracción I del artículo 94 de LISR)', '03': 'Jubilados',
  '04': 'Pensionados', '05': 'Asimilados Miembros Sociedades Cooperativas Produccion',
  '06': 'Asimilados Integrantes Sociedades Asociaciones Civiles', '07': 'Asimilados Miembros consejos',
  '08': 'Asimilados comisionistas', '09': 'Asimilados Honorarios', '10': 'Asimilados acciones',
  '11': 'Asimilados otros', '12': 'Jubilados o Pensionados', '13': 'Indemnización o Separación', '99': 'Otro Regimen',
};
const JORNADA: Record<string, string> = {
  '01': 'Diurna', '02': 'Nocturna', '03': 'Mixta', '04': 'Por hora', '05': 'Reducida', '06': 'Continuada',
  '07': 'Partida', '08': 'Por turnos', '99': 'Otra Jornada',
};
const INCAPACIDAD: Record<string, string> = {
  '01': 'Riesgo de trabajo.', '02': 'Enfermedad en general.', '03': 'Maternidad.',
  '04': 'Licencia por cuidados médicos de hijos diagnosticados con cáncer.',
};
const RIESGO: Record<string, string> = { '1': 'Clase I', '2': 'Clase II', '3': 'Clase III', '4': 'Clase IV', '5': 'Clase V', '99': 'No aplica' };
const HORAS: Record<string, string> = { '01': 'Dobles', '02': 'Triples', '03': 'Simples' };

const hijos = (el: XmlElement | undefined, nombre: string) => (el ? children(el, NS.nomina12, nombre) : []);
const hijo = (el: XmlElement | undefined, nombre: string) => el && child(el, NS.nomina12, nombre);
const a = (el: XmlElement | undefined, nombre: string) => el && attr(el, nombre);
const conTexto = (valor: string | undefined, textos: Record<string, string>) => valor && (textos[valor] ? `${valor} - ${textos[valor]}` : valor);

const UNIDADES: Record<string, [string, string]> = { Y: ['año', 'años'], M: ['mes', 'meses'], W: ['semana', 'semanas'], D: ['día', 'días'] };
/** "P11Y5M15D" → "11 años 5 meses 15 días (P11Y5M15D)": the SAT's ISO 8601 duration, read out beside itself. */
const antiguedad = (v: string | undefined) =>
  v && `${v.replace(/(\d+)([YMWD])/g, (_, n: string, u: string) => `${n} ${UNIDADES[u]![n === '1' ? 0 : 1]} `).replace(/^P/, '').trim()} (${v})`;

/** The last row of a table of `n` columns: what the SAT totals, in bold, its breakdown in grey under the label. */
const filaTotal = (n: number, etiqueta: string, desglose: string[], ...importes: (string | undefined)[]): Celda[] => [
  ...Array.from({ length: n - importes.length - 1 }, (): Celda => [{ texto: '' }]),
  [{ texto: etiqueta, estilo: NEGRITA }, { texto: desglose.join('\n'), estilo: GRIS }],
  ...importes.map((v): Celda => [{ texto: dinero(v) || '$0.00', estilo: NEGRITA }]),
];

/** `receptor`: the CFDI's, whose Nombre and Rfc are the employee's. */
export function dibujarNomina(d: Dibujo, n: XmlElement, receptor: Atributos, ancho: number): void {
  const mitad = (ancho - 10) / 2;
  // the deducciones' and otros pagos' tables: one importe a row
  const conImporte = (titulo: string) =>
    columnas(ancho, 2, [
      { titulo: 'Tipo', ancho: 36 },
      { titulo: 'Clave', ancho: 62 },
      { titulo, ancho: 0 },
      { titulo: 'Importe', ancho: 72, alinear: 'der' },
    ]);
  const e = hijo(n, 'Emisor');
  const r = hijo(n, 'Receptor');
  const cuenta = [a(r, 'Banco') && `Banco ${a(r, 'Banco')}`, a(r, 'CuentaBancaria')].filter(Boolean).join(' · ');
  d.cajas(
    {
      ancho: mitad,
      titulo: 'Trabajador',
      anchoEtiqueta: 92,
      filas: [
        ['Nombre', receptor.Nombre],
        ['RFC', receptor.Rfc],
        ['CURP', a(r, 'Curp')],
        ['Núm. seguridad social', a(r, 'NumSeguridadSocial')],
        ['Núm. de empleado', a(r, 'NumEmpleado')],
        ['Puesto', a(r, 'Puesto')],
        ['Departamento', a(r, 'Departamento')],
        ['Inicio de la relación', a(r, 'FechaInicioRelLaboral')],
        ['Antigüedad', antiguedad(a(r, 'Antigüedad'))],
        ['Sindicalizado', a(r, 'Sindicalizado')],
        ['Entidad donde labora', a(r, 'ClaveEntFed')],
        ['Cuenta de depósito', cuenta || undefined],
        ['Registro patronal', a(e, 'RegistroPatronal')],
        ['CURP del patrón', a(e, 'Curp')],
        ['RFC del patrón de origen', a(e, 'RfcPatronOrigen')],
      ],
    },
    {
      ancho: mitad,
      titulo: `Nómina ${a(n, 'Version') ?? ''}`.trim(),
      anchoEtiqueta: 100,
      filas: [
        ['Tipo de nómina', conTexto(a(n, 'TipoNomina'), TIPO_NOMINA)],
        ['Periodicidad', conTexto(a(r, 'PeriodicidadPago'), PERIODICIDAD)],
        ['Fecha de pago', a(n, 'FechaPago')],
        ['Periodo', `${a(n, 'FechaInicialPago')} al ${a(n, 'FechaFinalPago')}`],
        ['Días pagados', a(n, 'NumDiasPagados')],
        ['Salario base de cotización', dinero(a(r, 'SalarioBaseCotApor'))],
        ['Salario diario integrado', dinero(a(r, 'SalarioDiarioIntegrado'))],
        ['Tipo de contrato', conTexto(a(r, 'TipoContrato'), CONTRATO)],
        ['Tipo de régimen', conTexto(a(r, 'TipoRegimen'), REGIMEN)],
        ['Jornada', conTexto(a(r, 'TipoJornada'), JORNADA)],
        ['Riesgo del puesto', conTexto(a(r, 'RiesgoPuesto'), RIESGO)],
        ['Origen del recurso', a(hijo(e, 'EntidadSNCF'), 'OrigenRecurso')],
        ['Monto de recurso propio', dinero(a(hijo(e, 'EntidadSNCF'), 'MontoRecursoPropio'))],
        ...hijos(r, 'SubContratacion').map((s): Fila => ['Subcontratación', `${a(s, 'RfcLabora')} (${a(s, 'PorcentajeTiempo')} %)`]),
      ],
    },
  );

  const p = hijo(n, 'Percepciones');
  if (p) {
    const cols = columnas(ancho, 2, [
      { titulo: 'Tipo', ancho: 36 },
      { titulo: 'Clave', ancho: 62 },
      { titulo: 'Percepción', ancho: 0 },
      { titulo: 'Gravado', ancho: 72, alinear: 'der' },
      { titulo: 'Exento', ancho: 72, alinear: 'der' },
    ]);
    const filas = hijos(p, 'Percepcion').map((x): Celda[] => {
      const acciones = hijo(x, 'AccionesOTitulos');
      const detalle = [
        ...hijos(x, 'HorasExtra').map((h) => `${a(h, 'HorasExtra')} horas ${(HORAS[a(h, 'TipoHoras') ?? ''] ?? '').toLowerCase()} en ${a(h, 'Dias')} días: ${dinero(a(h, 'ImportePagado'))}`),
        acciones && `Acciones: valor de mercado ${dinero(a(acciones, 'ValorMercado'))}, precio al otorgarse ${dinero(a(acciones, 'PrecioAlOtorgarse'))}`,
      ].filter(Boolean);
      return [[{ texto: a(x, 'TipoPercepcion') }], [{ texto: a(x, 'Clave') }], [{ texto: a(x, 'Concepto') }, { texto: detalle.join('\n'), estilo: GRIS }], [{ texto: dinero(a(x, 'ImporteGravado')) }], [{ texto: dinero(a(x, 'ImporteExento')) }]];
    });
    const subtotales = (
      [
        ['Sueldos', a(p, 'TotalSueldos')],
        ['Separación o indemnización', a(p, 'TotalSeparacionIndemnizacion')],
        ['Jubilación, pensión o retiro', a(p, 'TotalJubilacionPensionRetiro')],
      ] as const
    )
      .filter(([, v]) => v)
      .map(([t, v]) => `${t}: ${dinero(v)}`);
    d.tabla(cols, [...filas, filaTotal(5, `Total percepciones ${dinero(a(n, 'TotalPercepciones'))}`, subtotales, a(p, 'TotalGravado'), a(p, 'TotalExento'))]);

    const j = hijo(p, 'JubilacionPensionRetiro');
    const s = hijo(p, 'SeparacionIndemnizacion');
    if (j || s) {
      const cajas = [
        j && {
          titulo: 'Jubilación, pensión o retiro',
          filas: [
            ['Total en una exhibición', dinero(a(j, 'TotalUnaExhibicion'))],
            ['Total parcialidad', dinero(a(j, 'TotalParcialidad'))],
            ['Monto diario', dinero(a(j, 'MontoDiario'))],
            ['Ingreso acumulable', dinero(a(j, 'IngresoAcumulable'))],
            ['Ingreso no acumulable', dinero(a(j, 'IngresoNoAcumulable'))],
          ] as Fila[],
        },
        s && {
          titulo: 'Separación o indemnización',
          filas: [
            ['Total pagado', dinero(a(s, 'TotalPagado'))],
            ['Años de servicio', a(s, 'NumAñosServicio')],
            ['Último sueldo mensual ordinario', dinero(a(s, 'UltimoSueldoMensOrd'))],
            ['Ingreso acumulable', dinero(a(s, 'IngresoAcumulable'))],
            ['Ingreso no acumulable', dinero(a(s, 'IngresoNoAcumulable'))],
          ] as Fila[],
        },
      ].filter((c) => c !== undefined);
      const w = cajas.length === 2 ? mitad : ancho;
      d.cajas(...cajas.map((c) => ({ ...c, ancho: w, anchoEtiqueta: 130 })));
    }
  }

  const ded = hijo(n, 'Deducciones');
  if (ded) {
    const cols = conImporte('Deducción');
    const filas = hijos(ded, 'Deduccion').map((x): Celda[] => [[{ texto: a(x, 'TipoDeduccion') }], [{ texto: a(x, 'Clave') }], [{ texto: a(x, 'Concepto') }], [{ texto: dinero(a(x, 'Importe')) }]]);
    const desglose = [
      a(ded, 'TotalImpuestosRetenidos') && `Impuestos retenidos (ISR): ${dinero(a(ded, 'TotalImpuestosRetenidos'))}`,
      a(ded, 'TotalOtrasDeducciones') && `Otras deducciones: ${dinero(a(ded, 'TotalOtrasDeducciones'))}`,
    ].filter((t) => t !== undefined);
    d.tabla(cols, [...filas, filaTotal(4, 'Total deducciones', desglose, a(n, 'TotalDeducciones'))]);
  }

  const otros = hijos(hijo(n, 'OtrosPagos'), 'OtroPago');
  if (otros.length) {
    const cols = conImporte('Otro pago');
    const filas = otros.map((x): Celda[] => {
      const sub = hijo(x, 'SubsidioAlEmpleo');
      const comp = hijo(x, 'CompensacionSaldosAFavor');
      const detalle = [
        sub && `Subsidio causado: ${dinero(a(sub, 'SubsidioCausado'))}`,
        comp && `Saldo a favor ${a(comp, 'Año')}: ${dinero(a(comp, 'SaldoAFavor'))}, remanente ${dinero(a(comp, 'RemanenteSalFav'))}`,
      ].filter(Boolean);
      return [[{ texto: a(x, 'TipoOtroPago') }], [{ texto: a(x, 'Clave') }], [{ texto: a(x, 'Concepto') }, { texto: detalle.join('\n'), estilo: GRIS }], [{ texto: dinero(a(x, 'Importe')) }]];
    });
    d.tabla(cols, [...filas, filaTotal(4, 'Total otros pagos', [], a(n, 'TotalOtrosPagos'))]);
  }

  const incapacidades = hijos(hijo(n, 'Incapacidades'), 'Incapacidad');
  if (incapacidades.length) {
    const cols = columnas(ancho, 0, [
      { titulo: 'Incapacidad', ancho: 0 },
      { titulo: 'Días', ancho: 50, alinear: 'der' },
      { titulo: 'Importe monetario', ancho: 90, alinear: 'der' },
    ]);
    d.tabla(
      cols,
      incapacidades.map((x): Celda[] => [[{ texto: conTexto(a(x, 'TipoIncapacidad'), INCAPACIDAD) }], [{ texto: a(x, 'DiasIncapacidad') }], [{ texto: dinero(a(x, 'ImporteMonetario')) }]]),
    );
  }
}
