/**
 * Every rule of the SAT's matriz de errores of CFDI 4.0 (../shared/sat/matrices/cfdi40.tsv), as data: what
 * HexaFac does with it. A matrix's table is a module exporting `REGLAS_<MATRIZ>: readonly ReglaSat[]` with
 * one entry per code of its TSV (this one; src/cfdi/comprobantes/pago/reglas-crp20.ts for CRP20).
 * scripts/gen-reglas-sat.ts writes docs/reglas-sat.md from them; test/node/reglas-sat.test.ts keeps both in
 * sync with the TSVs and the tests they name.
 */

/**
 * - aplicada: checked before stamping, with the SAT's code; `prueba` names the test that proves it.
 * - calculada: HexaFac computes the value, so it cannot be wrong; `nota` says which function.
 * - pac: needs data HexaFac does not have (l_RFC, LCO, Confirmación, complete catalog columns); the PAC checks it.
 * - no_aplica: a node or attribute HexaFac does not offer.
 */
export type EstadoRegla = 'aplicada' | 'calculada' | 'pac' | 'no_aplica';

export interface ReglaSat {
  codigo: string;
  estado: EstadoRegla;
  nota?: string;
  /** `'<test file path> > <test name>'`, the name as written in the file. */
  prueba?: string;
}

const VALIDAR = 'src/cfdi/comprobantes/ingreso-egreso/validar.test.ts';
const PREPARAR = 'src/cfdi/comprobantes/ingreso-egreso/preparar.test.ts';
const prueba = (archivo: string, nombre: string) => `${archivo} > ${nombre}`;
const aplicada = (codigo: string, nombre: string, archivo = VALIDAR, nota?: string): ReglaSat =>
  nota ? { codigo, estado: 'aplicada', nota, prueba: prueba(archivo, nombre) } : { codigo, estado: 'aplicada', prueba: prueba(archivo, nombre) };
const calculada = (codigo: string, nota: string): ReglaSat => ({ codigo, estado: 'calculada', nota });
const pac = (codigo: string, nota: string): ReglaSat => ({ codigo, estado: 'pac', nota });
const noAplica = (codigo: string, nota: string): ReglaSat => ({ codigo, estado: 'no_aplica', nota });

const L_RFC = 'Necesita la lista de RFC inscritos no cancelados (l_RFC) y los datos registrados de cada RFC; la valida el PAC.';
const A_CUENTA_TERCEROS = 'HexaFac no ofrece el nodo Concepto/ACuentaTerceros (un campo a_cuenta_terceros es HFX_CAMPO_DESCONOCIDO).';
const ADUANA = 'HexaFac no ofrece InformacionAduanera ni Parte en los conceptos (HFX_CAMPO_DESCONOCIDO).';
const CONFIRMACION = 'HexaFac no ofrece el atributo Confirmacion (un campo confirmacion es HFX_CAMPO_DESCONOCIDO).';
const RESUMEN = 'calcularComprobante (ingreso-egreso/calcular.ts) arma el nodo Impuestos del comprobante agrupando los impuestos de los conceptos ya validados.';

export const REGLAS_CFDI40: readonly ReglaSat[] = [
  aplicada('CFDI40101', 'Fecha: pattern (CFDI40101), not in the future, at most 72 hours old', VALIDAR, 'validarFecha (fecha.ts); sin fecha, HexaFac escribe la hora local del LugarExpedicion.'),
  calculada('CFDI40102', 'sellarComprobante (emision.ts) firma con SHA-256 la cadena original del mismo nodo que escribe.'),
  calculada('CFDI40103', 'Solo ingreso y egreso llevan FormaPago; prepararComplementoPago (pago/index.ts) no la escribe.'),
  aplicada('CFDI40104', 'FormaPago fuera de catálogo'),
  aplicada('CFDI40105', 'PPD exige FormaPago 99'),
  pac('CFDI40106', 'El CSD se lee y se comprueba al subirlo (csd.ts) y sellarComprobante exige que sea del emisor y vigente en la Fecha; su estado en la LCO lo valida el PAC.'),
  calculada('CFDI40107', 'calcularComprobante redondea el SubTotal a los decimales de la moneda (c_Moneda).'),
  calculada('CFDI40108', 'calcularComprobante: SubTotal = redondeo de la suma de los Importe de los conceptos.'),
  calculada('CFDI40109', 'prepararComplementoPago escribe SubTotal 0; HexaFac no emite traslados.'),
  calculada('CFDI40110', 'calcularComprobante suma los descuentos de los conceptos, cada uno ≤ su Importe (CFDI40169): la suma no pasa del SubTotal.'),
  calculada('CFDI40111', 'calcularComprobante escribe Descuento solo si algún concepto lo tiene, como redondeo de su suma.'),
  calculada('CFDI40112', 'calcularComprobante redondea el Descuento a los decimales de la moneda.'),
  aplicada('CFDI40113', 'Moneda fuera de catálogo'),
  aplicada('CFDI40114', 'MXN con TipoCambio distinto de 1'),
  aplicada('CFDI40115', 'Moneda extranjera sin TipoCambio'),
  aplicada('CFDI40116', 'Moneda XXX con TipoCambio'),
  aplicada('CFDI40117', 'TipoCambio con más de 6 decimales', PREPARAR),
  pac('CFDI40118', 'El rango depende del tipo de cambio publicado del día; además HexaFac no ofrece Confirmacion.'),
  aplicada('CFDI40119', 'Total negativo', PREPARAR, 'calcularComprobante calcula el Total; si las retenciones lo dejan negativo no hay Total que cumpla la regla (t_Importe no admite signo) y se rechaza.'),
  calculada('CFDI40120', 'importesEnRango (validar.ts) mantiene el Total dentro de t_Importe, que es el ValorMaximo de c_TipoDeComprobante para I, E y P.'),
  calculada('CFDI40121', 'Cada clase de comprobante (comprobantes/index.ts) escribe su propio TipoDeComprobante: I, E o P.'),
  aplicada('CFDI40122', 'Exportacion 02 sin comercio exterior'),
  aplicada('CFDI40123', 'Exportacion fuera de catálogo'),
  aplicada('CFDI40124', 'MetodoPago fuera de catálogo'),
  calculada('CFDI40125', 'prepararComplementoPago no escribe MetodoPago.'),
  aplicada('CFDI40126', 'LugarExpedicion fuera de c_CodigoPostal'),
  noAplica('CFDI40127', CONFIRMACION),
  noAplica('CFDI40128', CONFIRMACION),
  noAplica('CFDI40129', CONFIRMACION),
  aplicada('CFDI40130', 'PUBLICO EN GENERAL exige InformacionGlobal'),
  aplicada('CFDI40131', 'Periodicidad fuera de catálogo'),
  aplicada('CFDI40132', 'Periodicidad 05 solo régimen 621'),
  aplicada('CFDI40133', 'Meses fuera de catálogo'),
  aplicada('CFDI40134', 'Periodicidad mensual con meses bimestrales'),
  aplicada('CFDI40135', 'Periodicidad bimestral con un mes'),
  aplicada('CFDI40136', 'Año de InformacionGlobal anterior a cinco ejercicios'),
  aplicada('CFDI40137', 'TipoRelacion fuera de catálogo'),
  pac('CFDI40138', L_RFC),
  pac('CFDI40139', L_RFC),
  aplicada('CFDI40140', 'RegimenFiscal del emisor fuera de catálogo'),
  aplicada('CFDI40141', 'RegimenFiscal del emisor no aplica a persona moral'),
  noAplica('CFDI40142', 'HexaFac no ofrece el atributo FacAtrAdquirente.'),
  pac('CFDI40143', L_RFC),
  pac('CFDI40144', L_RFC),
  pac('CFDI40145', L_RFC),
  aplicada('CFDI40146', 'PUBLICO EN GENERAL exige XAXX010101000'),
  aplicada('CFDI40147', 'DomicilioFiscalReceptor fuera de c_CodigoPostal', VALIDAR, 'HexaFac rechaza un código postal que no está en c_CodigoPostal (no puede ser el domicilio registrado de nadie); que sea el del RFC en l_RFC lo valida el PAC.'),
  pac('CFDI40148', L_RFC),
  aplicada('CFDI40149', 'RFC genérico: domicilio = LugarExpedicion'),
  aplicada('CFDI40150', 'ResidenciaFiscal fuera de c_Pais'),
  aplicada('CFDI40151', 'ResidenciaFiscal con RFC nacional'),
  aplicada('CFDI40152', 'ResidenciaFiscal MEX'),
  aplicada('CFDI40153', 'NumRegIdTrib sin ResidenciaFiscal'),
  aplicada('CFDI40154', 'NumRegIdTrib with a national RFC: not a foreigner, and no ResidenciaFiscal either'),
  noAplica('CFDI40155', 'Solo obliga con el complemento de Comercio Exterior, que HexaFac no ofrece.'),
  aplicada('CFDI40156', 'NumRegIdTrib follows the whole pattern of its ResidenciaFiscal in c_Pais; a country without one takes any format'),
  aplicada('CFDI40157', 'RegimenFiscalReceptor fuera de catálogo'),
  aplicada('CFDI40158', 'RegimenFiscalReceptor de persona física en una moral'),
  aplicada('CFDI40159', 'XAXX010101000 exige régimen 616'),
  aplicada('CFDI40160', 'UsoCFDI fuera de catálogo'),
  aplicada('CFDI40161', 'UsoCFDI de persona física en una moral'),
  aplicada('CFDI40162', 'ClaveProdServ fuera de c_ClaveProdServ'),
  pac('CFDI40163', 'La copia disponible de c_ClaveProdServ no trae de forma fiable su columna de complementos (../shared/sat/catalogos/extra/README.md).'),
  pac('CFDI40164', 'La copia disponible de c_ClaveProdServ no trae de forma fiable sus columnas «Incluir IVA / IEPS trasladado» (../shared/sat/catalogos/extra/README.md).'),
  aplicada('CFDI40165', 'ClaveUnidad fuera de catálogo'),
  aplicada('CFDI40166', 'ValorUnitario cero'),
  calculada('CFDI40167', 'importeConcepto (calcular.ts): Cantidad × ValorUnitario exacto a 6 decimales, dentro de los límites; importesEnRango rechaza el que pasa de t_Importe.'),
  calculada('CFDI40168', 'calcularComprobante escribe Importe y Descuento del concepto con los mismos decimales.'),
  aplicada('CFDI40169', 'Descuento mayor que el importe'),
  aplicada('CFDI40170', 'ObjetoImp fuera de catálogo'),
  aplicada('CFDI40171', 'ObjetoImp 02 sin impuestos'),
  aplicada('CFDI40172', 'ObjetoImp 05 con impuestos'),
  aplicada('CFDI40173', 'Impuestos vacíos'),
  aplicada('CFDI40174', 'Descuento igual al importe deja el traslado sin base'),
  aplicada('CFDI40175', 'Traslado de un impuesto no trasladable (ISR)'),
  aplicada('CFDI40176', 'TipoFactor fuera de catálogo'),
  aplicada('CFDI40177', 'Exento con tasa'),
  aplicada('CFDI40178', 'Tasa sin valor'),
  aplicada('CFDI40179', 'Tasa de IVA fuera de c_TasaOCuota'),
  calculada('CFDI40180', 'calcularConcepto: Importe = Base × TasaOCuota a 6 decimales, dentro de los límites; importesEnRango rechaza el que pasa de t_Importe.'),
  aplicada('CFDI40181', 'Descuento igual al importe deja la retención sin base'),
  aplicada('CFDI40182', 'Retención de un impuesto fuera de catálogo'),
  aplicada('CFDI40183', 'Retención con TipoFactor fuera de catálogo'),
  aplicada('CFDI40184', 'Retención Exento'),
  aplicada('CFDI40185', 'Retención sin tasa'),
  calculada('CFDI40186', 'calcularConcepto: Importe = Base × TasaOCuota a 6 decimales, dentro de los límites; importesEnRango rechaza el que pasa de t_Importe.'),
  noAplica('CFDI40187', A_CUENTA_TERCEROS),
  noAplica('CFDI40188', A_CUENTA_TERCEROS),
  noAplica('CFDI40189', A_CUENTA_TERCEROS),
  noAplica('CFDI40190', A_CUENTA_TERCEROS),
  noAplica('CFDI40191', A_CUENTA_TERCEROS),
  noAplica('CFDI40192', A_CUENTA_TERCEROS),
  noAplica('CFDI40193', A_CUENTA_TERCEROS),
  noAplica('CFDI40194', ADUANA),
  noAplica('CFDI40195', ADUANA),
  noAplica('CFDI40196', ADUANA),
  noAplica('CFDI40197', ADUANA),
  noAplica('CFDI40198', ADUANA),
  noAplica('CFDI40199', ADUANA),
  noAplica('CFDI40200', ADUANA),
  calculada('CFDI40201', 'prepararComplementoPago no escribe el nodo Impuestos del comprobante.'),
  calculada('CFDI40202', `${RESUMEN} Redondea a los decimales de la moneda.`),
  calculada('CFDI40203', RESUMEN),
  calculada('CFDI40204', `${RESUMEN} Redondea a los decimales de la moneda.`),
  calculada('CFDI40205', RESUMEN),
  calculada('CFDI40206', RESUMEN),
  calculada('CFDI40207', RESUMEN),
  calculada('CFDI40208', `${RESUMEN} Una Retencion por impuesto.`),
  calculada('CFDI40209', RESUMEN),
  calculada('CFDI40210', `${RESUMEN} Redondea a los decimales de la moneda.`),
  calculada('CFDI40211', RESUMEN),
  calculada('CFDI40212', RESUMEN),
  calculada('CFDI40213', RESUMEN),
  calculada('CFDI40214', `${RESUMEN} Redondea a los decimales de la moneda.`),
  calculada('CFDI40215', RESUMEN),
  calculada('CFDI40216', RESUMEN),
  calculada('CFDI40217', RESUMEN),
  calculada('CFDI40218', `${RESUMEN} Un Traslado por impuesto, factor y tasa.`),
  calculada('CFDI40219', RESUMEN),
  calculada('CFDI40220', `${RESUMEN} Redondea a los decimales de la moneda.`),
  calculada('CFDI40221', RESUMEN),
  noAplica('CFDI40222', 'HexaFac no ofrece el complemento de Comercio Exterior.'),
  noAplica('CFDI40223', A_CUENTA_TERCEROS),
  pac('CFDI40224', 'Necesita la marca Retención del emisor en l_RFC.'),
  pac('CFDI40225', 'Necesita la marca Retención del emisor en l_RFC.'),
  aplicada('CFDI40226', 'ObjetoImp 06 con traslado de IVA'),
  aplicada('CFDI40227', 'ObjetoImp 07 sin traslado de IEPS'),
  noAplica('CFDI40999', 'No es una regla: el código del SAT para un error no clasificado.'),
];
