// The SAT's rules on received CFDIs: each sample passes clean, and one small edit of a valid document breaks
// the code under test at its XPath (with the codes the same edit necessarily breaks too, listed beside it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../dom';
import { validateXsd } from '../xsd/validate';
import { reglasRecibido, REGLAS_RECIBIDO } from './reglas';

const muestra = (nombre: string) => readFileSync(new URL(`../../../test/fixtures/sat/samples/${nombre}.xml`, import.meta.url), 'utf8');

/** Replaces each `de` (which must occur exactly once) with `a`. */
function editar(xml: string, ...cambios: [string, string][]): string {
  for (const [de, a] of cambios) {
    const n = xml.split(de).length - 1;
    if (n !== 1) throw new Error(`"${de}" aparece ${n} veces`);
    xml = xml.replace(de, () => a);
  }
  return xml;
}
const revisar = (xml: string) => reglasRecibido(parseXml(xml)).map((i) => `${i.code} ${i.path}`).sort();

const FACTURA = muestra('cfdi40-valid');
const PAGO = muestra('created-cfdi40-pago20-valid');
const DESCUENTOS = muestra('created-with-discounts-40');

// Paths
const CO = '/cfdi:Comprobante';
const EM = `${CO}/cfdi:Emisor`;
const RE = `${CO}/cfdi:Receptor`;
const K = `${CO}/cfdi:Conceptos/cfdi:Concepto`;
const KT = `${K}/cfdi:Impuestos/cfdi:Traslados/cfdi:Traslado`;
const KR = `${K}/cfdi:Impuestos/cfdi:Retenciones/cfdi:Retencion`;
const IM = `${CO}/cfdi:Impuestos`;
const T = `${IM}/cfdi:Traslados/cfdi:Traslado`;
const R = `${IM}/cfdi:Retenciones/cfdi:Retencion`;
const IG = `${CO}/cfdi:InformacionGlobal`;
const ACT = `${K}/cfdi:ACuentaTerceros`;
const PARTE = `${K}[2]/cfdi:Parte`;
const PG = `${CO}/cfdi:Complemento/pago20:Pagos`;
const TOT = `${PG}/pago20:Totales`;
const PA = `${PG}/pago20:Pago`;
const DR1 = `${PA}/pago20:DoctoRelacionado[1]`;
const DR2 = `${PA}/pago20:DoctoRelacionado[2]`;
const TDR1 = `${DR1}/pago20:ImpuestosDR/pago20:TrasladosDR/pago20:TrasladoDR`;
const RDR2 = `${DR2}/pago20:ImpuestosDR/pago20:RetencionesDR/pago20:RetencionDR`;
const TP = `${PA}/pago20:ImpuestosP/pago20:TrasladosP/pago20:TrasladoP`;
const RP = `${PA}/pago20:ImpuestosP/pago20:RetencionesP/pago20:RetencionP`;

// Valid documents made from the samples, for the nodes the samples lack.
const CCE = '<cce20:ComercioExterior xmlns:cce20="http://www.sat.gob.mx/ComercioExterior20" Version="2.0"/>';
const conCce = (xml: string) => editar(xml, ['</cfdi:Comprobante>', `<cfdi:Complemento>${CCE}</cfdi:Complemento></cfdi:Comprobante>`]);
const TFD_FIN = 'R6/Iw=="/>';
const FACTURA_CCE = editar(FACTURA, [TFD_FIN, `${TFD_FIN}${CCE}`]);
/** An ISR retención of 10 % on the concepto. */
const RETENCION = editar(
  FACTURA,
  ['Importe="458.90"/>\n        </cfdi:Traslados>', 'Importe="458.90"/>\n        </cfdi:Traslados><cfdi:Retenciones><cfdi:Retencion Base="2868.11" Impuesto="001" TipoFactor="Tasa" TasaOCuota="0.100000" Importe="286.81"/></cfdi:Retenciones>'],
  ['<cfdi:Impuestos TotalImpuestosTrasladados="458.90">', '<cfdi:Impuestos TotalImpuestosRetenidos="286.81" TotalImpuestosTrasladados="458.90"><cfdi:Retenciones><cfdi:Retencion Impuesto="001" Importe="286.81"/></cfdi:Retenciones>'],
  ['Total="3327.01"', 'Total="3040.20"'],
);
/** A factura global to PUBLICO EN GENERAL. */
const GLOBAL = editar(
  FACTURA,
  ['<cfdi:Receptor Rfc="MCI7306249Y1" Nombre="MUNICIPIO DE CUAUTITLAN IZCALLI" DomicilioFiscalReceptor="54700" RegimenFiscalReceptor="603" UsoCFDI="G03"/>',
    '<cfdi:Receptor Rfc="XAXX010101000" Nombre="PUBLICO EN GENERAL" DomicilioFiscalReceptor="86000" RegimenFiscalReceptor="616" UsoCFDI="S01"/>'],
  ['<cfdi:Emisor', '<cfdi:InformacionGlobal Periodicidad="04" Meses="02" Año="2025"/>\n  <cfdi:Emisor'],
);
/** A foreign receptor. */
const EXTRANJERO = editar(FACTURA, [
  'Rfc="MCI7306249Y1" Nombre="MUNICIPIO DE CUAUTITLAN IZCALLI" DomicilioFiscalReceptor="54700" RegimenFiscalReceptor="603" UsoCFDI="G03"',
  'Rfc="XEXX010101000" Nombre="ACME INC" DomicilioFiscalReceptor="86000" ResidenciaFiscal="USA" NumRegIdTrib="123456789" RegimenFiscalReceptor="616" UsoCFDI="S01"',
]);
/** A concepto on behalf of a foreign third party. */
const TERCEROS = editar(FACTURA, [
  '</cfdi:Impuestos>\n    </cfdi:Concepto>',
  '</cfdi:Impuestos><cfdi:ACuentaTerceros RfcACuentaTerceros="EXT990101NI1" NombreACuentaTerceros="EXPEDICIÓN DE CFDI POR RESIDENTES EN MÉXICO QUE PRESTAN SERVICIOS DE INTERMEDIACIÓN ENTRE TERCEROS A OFERENTES DE BIENES Y SERVICIOS RESIDENTES EN EL EXTRANJERO" RegimenFiscalACuentaTerceros="616" DomicilioFiscalACuentaTerceros="86000"/>\n    </cfdi:Concepto>',
]);
/** A Parte with its pedimento in the second concepto. */
const PARTE_XML = editar(DESCUENTOS, [
  'Importe="160"/>\n        </cfdi:Traslados>\n      </cfdi:Impuestos>',
  'Importe="160"/>\n        </cfdi:Traslados>\n      </cfdi:Impuestos><cfdi:Parte ClaveProdServ="43211914" Cantidad="1" Descripcion="Cable" ValorUnitario="10.00" Importe="10.00"><cfdi:InformacionAduanera NumeroPedimento="17  24  3420  7010555"/></cfdi:Parte>',
]);
/** Only Exento traslados. */
const EXENTO = editar(
  FACTURA,
  ['<cfdi:Traslado Base="2868.11" Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="458.90"/>', '<cfdi:Traslado Base="2868.11" Impuesto="002" TipoFactor="Exento"/>'],
  ['<cfdi:Impuestos TotalImpuestosTrasladados="458.90">', '<cfdi:Impuestos>'],
  ['<cfdi:Traslado Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="458.90" Base="2868.11"/>', '<cfdi:Traslado Impuesto="002" TipoFactor="Exento" Base="2868.11"/>'],
  ['Total="3327.01"', 'Total="2868.11"'],
);
/** A traslado: the pago's comprobante without its complemento. */
const TRASLADO = editar(PAGO, ['TipoDeComprobante="P"', 'TipoDeComprobante="T"']).replace(/<cfdi:Complemento>[\s\S]*<\/cfdi:Complemento>/, '');
/** A payment in USD of invoices in MXN. */
const PAGO_USD = editar(
  PAGO,
  ['MonedaP="MXN" TipoCambioP="1" Monto="15000.00"', 'MonedaP="USD" TipoCambioP="20" Monto="750.00"'],
  ['0000000A" MonedaDR="MXN" EquivalenciaDR="1"', '0000000A" MonedaDR="MXN" EquivalenciaDR="20"'],
  ['0000000B" MonedaDR="MXN" EquivalenciaDR="1"', '0000000B" MonedaDR="MXN" EquivalenciaDR="20"'],
  ['BaseP="12931.040000" ImporteP="2068.960000"', 'BaseP="646.552000" ImporteP="103.448000"'],
);
/** An IVA retention on the second document. */
const PAGO_RET = editar(
  PAGO,
  ['<pago20:ImpuestosDR>\n            <pago20:TrasladosDR>\n              <pago20:TrasladoDR ImpuestoDR="002" TipoFactorDR="Tasa" TasaOCuotaDR="0.160000" BaseDR="2586.21"',
    '<pago20:ImpuestosDR><pago20:RetencionesDR><pago20:RetencionDR BaseDR="2586.21" ImpuestoDR="002" TipoFactorDR="Tasa" TasaOCuotaDR="0.106667" ImporteDR="275.86"/></pago20:RetencionesDR>\n            <pago20:TrasladosDR>\n              <pago20:TrasladoDR ImpuestoDR="002" TipoFactorDR="Tasa" TasaOCuotaDR="0.160000" BaseDR="2586.21"'],
  ['<pago20:ImpuestosP>', '<pago20:ImpuestosP><pago20:RetencionesP><pago20:RetencionP ImpuestoP="002" ImporteP="275.86"/></pago20:RetencionesP>'],
  ['<pago20:Totales ', '<pago20:Totales TotalRetencionesIVA="275.86" '],
);
/** Exento payments. */
const PAGO_EXENTO = editar(
  PAGO,
  ['TipoFactorDR="Tasa" TasaOCuotaDR="0.160000" BaseDR="10344.83" ImporteDR="1655.17"', 'TipoFactorDR="Exento" BaseDR="10344.83"'],
  ['TipoFactorDR="Tasa" TasaOCuotaDR="0.160000" BaseDR="2586.21" ImporteDR="413.79"', 'TipoFactorDR="Exento" BaseDR="2586.21"'],
  ['TipoFactorP="Tasa" TasaOCuotaP="0.160000" BaseP="12931.040000" ImporteP="2068.960000"', 'TipoFactorP="Exento" BaseP="12931.040000"'],
  ['TotalTrasladosBaseIVA16="12931.04" TotalTrasladosImpuestoIVA16="2068.96"', 'TotalTrasladosBaseIVAExento="12931.04"'],
);

describe('valid documents', () => {
  it.each(['cfdi40-valid', 'created-cfdi40-pago20-valid', 'created-with-discounts-40', 'cfdi40-real'])('the SAT sample %s breaks no rule', (nombre) => {
    expect(revisar(muestra(nombre))).toEqual([]);
  });
  it.each(Object.entries({ RETENCION, GLOBAL, EXTRANJERO, TERCEROS, PARTE_XML, EXENTO, TRASLADO, PAGO_USD, PAGO_RET, PAGO_EXENTO, FACTURA_CCE: editar(FACTURA_CCE, ['Exportacion="01"', 'Exportacion="02"']) }))(
    'the derived document %s breaks no rule',
    (_, xml) => expect(revisar(xml)).toEqual([]),
  );
  it('local taxes (implocal) count in the Total', () => {
    const local = '<implocal:ImpuestosLocales xmlns:implocal="http://www.sat.gob.mx/implocal" version="1.0" TotaldeRetenciones="0.00" TotaldeTraslados="10.00"/>';
    expect(revisar(editar(FACTURA, [TFD_FIN, `${TFD_FIN}${local}`], ['Total="3327.01"', 'Total="3337.01"']))).toEqual([]);
    expect(revisar(editar(FACTURA, [TFD_FIN, `${TFD_FIN}${local}`]))).toEqual([`CFDI40119 ${CO}/@Total`]);
  });
  it('TipoCambio 1.00 is 1; a pago\'s SubTotal 0.00 is zero (CFDI40109) but has more decimals than XXX (CFDI40107)', () => {
    expect(revisar(editar(PAGO, ['SubTotal="0"', 'SubTotal="0.00"']))).toEqual([`CFDI40107 ${CO}/@SubTotal`]);
    expect(revisar(editar(FACTURA, ['Moneda="MXN"', 'Moneda="MXN" TipoCambio="1.00"']))).toEqual([]);
  });
});

type Caso = [codigo: string, base: string, cambios: [string, string][], esperado: string[]];
const caso = (codigo: string, base: string, cambios: [string, string][], ...esperado: string[]): Caso => [codigo, base, cambios, esperado];
const quitar = (de: string): [string, string] => [de, ''];
// ObjetoImpDR 06–08 are in force from 2024-12-13.
const FECHA_2025: [string, string] = ['Fecha="2023-06-13T14:15:16"', 'Fecha="2025-06-13T14:15:16"'];

const CASOS: Caso[] = [
  // Comprobante
  caso('CFDI40101', FACTURA, [['Fecha="2025-02-19T08:32:29"', 'Fecha="2025-02-19T8:32:29"']], `CFDI40101 ${CO}/@Fecha`),
  caso('CFDI40103', FACTURA, [['TipoDeComprobante="I"', 'TipoDeComprobante="N"']], `CFDI40103 ${CO}/@FormaPago`),
  caso('CFDI40104', FACTURA, [['FormaPago="01"', 'FormaPago="77"']], `CFDI40104 ${CO}/@FormaPago`),
  caso('CFDI40105', FACTURA, [['MetodoPago="PUE"', 'MetodoPago="PPD"']], `CFDI40105 ${CO}/@FormaPago`),
  caso('CFDI40107', FACTURA, [['SubTotal="3824.15"', 'SubTotal="3824.150"']], `CFDI40107 ${CO}/@SubTotal`),
  caso('CFDI40108', FACTURA, [['SubTotal="3824.15"', 'SubTotal="3824.16"'], ['Total="3327.01"', 'Total="3327.02"']], `CFDI40108 ${CO}/@SubTotal`),
  caso('CFDI40109', PAGO, [['SubTotal="0" Total="0"', 'SubTotal="1" Total="1"']], `CFDI40109 ${CO}/@SubTotal`, `CRP20103 ${CO}/@SubTotal`, `CRP20110 ${CO}/@Total`),
  caso('CFDI40110', FACTURA, [['Total="3327.01" Descuento="956.04"', 'Total="382.19" Descuento="3900.86"']], `CFDI40110 ${CO}/@Descuento`, `CFDI40111 ${CO}/@Descuento`),
  caso('CFDI40111', FACTURA, [[' Total="3327.01" Descuento="956.04"', ' Total="4283.05"']], `CFDI40111 ${CO}`),
  caso('CFDI40112', FACTURA, [['Total="3327.01" Descuento="956.04"', 'Total="3327.01" Descuento="956.040"']], `CFDI40112 ${CO}/@Descuento`),
  caso('CFDI40113', FACTURA, [['Moneda="MXN"', 'Moneda="MXX"']], `CFDI40113 ${CO}/@Moneda`, `CFDI40115 ${CO}`),
  caso('CFDI40114', FACTURA, [['Moneda="MXN"', 'Moneda="MXN" TipoCambio="2"']], `CFDI40114 ${CO}/@TipoCambio`),
  caso('CFDI40115', DESCUENTOS, [quitar(' TipoCambio="18.9008"')], `CFDI40115 ${CO}`),
  caso('CFDI40116', PAGO, [['Moneda="XXX"', 'Moneda="XXX" TipoCambio="1"']], `CFDI40116 ${CO}/@TipoCambio`, `CRP20109 ${CO}/@TipoCambio`),
  caso('CFDI40117', DESCUENTOS, [['TipoCambio="18.9008"', 'TipoCambio="18.90081234"']], `CFDI40117 ${CO}/@TipoCambio`),
  caso('CFDI40119', FACTURA, [['Total="3327.01"', 'Total="3327.00"']], `CFDI40119 ${CO}/@Total`),
  caso('CFDI40120', TRASLADO, [[' Total="0"', ' Total="5"']], `CFDI40119 ${CO}/@Total`, `CFDI40120 ${CO}/@Total`),
  caso('CFDI40121', FACTURA, [['TipoDeComprobante="I"', 'TipoDeComprobante="X"']], `CFDI40121 ${CO}/@TipoDeComprobante`),
  caso('CFDI40122', FACTURA, [['Exportacion="01"', 'Exportacion="02"']], `CFDI40122 ${CO}/@Exportacion`),
  caso('CFDI40123', FACTURA, [['Exportacion="01"', 'Exportacion="09"']], `CFDI40123 ${CO}/@Exportacion`),
  caso('CFDI40124', FACTURA, [['MetodoPago="PUE"', 'MetodoPago="PIP"']], `CFDI40124 ${CO}/@MetodoPago`),
  caso('CFDI40125', TRASLADO, [['Moneda="XXX"', 'Moneda="XXX" MetodoPago="PUE"']], `CFDI40125 ${CO}/@MetodoPago`),
  caso('CFDI40126', FACTURA, [['LugarExpedicion="86000"', 'LugarExpedicion="00000"']], `CFDI40126 ${CO}/@LugarExpedicion`),
  caso('CFDI40127', TRASLADO, [['Moneda="XXX"', 'Moneda="XXX" Confirmacion="ABCDE"']], `CFDI40127 ${CO}/@Confirmacion`),
  caso('CFDI40222', FACTURA_CCE, [], `CFDI40222 ${CO}/@Exportacion`),
  // InformacionGlobal, CfdiRelacionados
  caso('CFDI40130', GLOBAL, [quitar('<cfdi:InformacionGlobal Periodicidad="04" Meses="02" Año="2025"/>')], `CFDI40130 ${CO}`),
  caso('CFDI40131', GLOBAL, [['Periodicidad="04"', 'Periodicidad="09"']], `CFDI40131 ${IG}/@Periodicidad`),
  caso('CFDI40132', GLOBAL, [['Periodicidad="04" Meses="02"', 'Periodicidad="05" Meses="13"']], `CFDI40132 ${IG}/@Periodicidad`),
  caso('CFDI40133', GLOBAL, [['Meses="02"', 'Meses="19"']], `CFDI40133 ${IG}/@Meses`),
  caso('CFDI40134', GLOBAL, [['Meses="02"', 'Meses="13"']], `CFDI40134 ${IG}/@Meses`),
  caso('CFDI40135', GLOBAL, [['Periodicidad="04"', 'Periodicidad="05"']], `CFDI40132 ${IG}/@Periodicidad`, `CFDI40135 ${IG}/@Meses`),
  caso('CFDI40136', GLOBAL, [['Año="2025"', 'Año="2019"']], `CFDI40136 ${IG}/@Año`),
  caso('CFDI40137', FACTURA, [['<cfdi:Emisor', '<cfdi:CfdiRelacionados TipoRelacion="99"><cfdi:CfdiRelacionado UUID="6F35D3B5-3651-5370-BC2C-14CDBE384CD8"/></cfdi:CfdiRelacionados><cfdi:Emisor']], `CFDI40137 ${CO}/cfdi:CfdiRelacionados/@TipoRelacion`),
  // Emisor, Receptor
  caso('CFDI40140', FACTURA, [['RegimenFiscal="601"', 'RegimenFiscal="600"']], `CFDI40140 ${EM}/@RegimenFiscal`),
  caso('CFDI40141', FACTURA, [['RegimenFiscal="601"', 'RegimenFiscal="605"']], `CFDI40141 ${EM}/@RegimenFiscal`),
  caso('CFDI40146', FACTURA, [['Nombre="MUNICIPIO DE CUAUTITLAN IZCALLI"', 'Nombre="PUBLICO EN GENERAL"']], `CFDI40146 ${RE}/@Rfc`),
  caso('CFDI40149', GLOBAL, [['DomicilioFiscalReceptor="86000"', 'DomicilioFiscalReceptor="54700"']], `CFDI40149 ${RE}/@DomicilioFiscalReceptor`),
  caso('CFDI40150', EXTRANJERO, [['ResidenciaFiscal="USA"', 'ResidenciaFiscal="QQQ"']], `CFDI40150 ${RE}/@ResidenciaFiscal`),
  caso('CFDI40151', FACTURA, [['UsoCFDI="G03"', 'UsoCFDI="G03" ResidenciaFiscal="USA"']], `CFDI40151 ${RE}/@ResidenciaFiscal`),
  caso('CFDI40152', EXTRANJERO, [['ResidenciaFiscal="USA"', 'ResidenciaFiscal="MEX"']], `CFDI40152 ${RE}/@ResidenciaFiscal`),
  caso('CFDI40153', EXTRANJERO, [quitar(' ResidenciaFiscal="USA"')], `CFDI40153 ${RE}`),
  caso('CFDI40154', FACTURA, [['UsoCFDI="G03"', 'UsoCFDI="G03" NumRegIdTrib="123456789"']], `CFDI40153 ${RE}`, `CFDI40154 ${RE}/@NumRegIdTrib`),
  caso('CFDI40155', editar(EXTRANJERO, [TFD_FIN, `${TFD_FIN}${CCE}`]), [quitar(' NumRegIdTrib="123456789"'), ['Exportacion="01"', 'Exportacion="02"']], `CFDI40155 ${RE}`),
  caso('CFDI40156', EXTRANJERO, [['NumRegIdTrib="123456789"', 'NumRegIdTrib="12345"']], `CFDI40156 ${RE}/@NumRegIdTrib`),
  caso('CFDI40157', FACTURA, [['RegimenFiscalReceptor="603"', 'RegimenFiscalReceptor="600"']], `CFDI40157 ${RE}/@RegimenFiscalReceptor`),
  caso('CFDI40158', FACTURA, [['RegimenFiscalReceptor="603"', 'RegimenFiscalReceptor="612"']], `CFDI40158 ${RE}/@RegimenFiscalReceptor`),
  caso('CFDI40159', GLOBAL, [['RegimenFiscalReceptor="616"', 'RegimenFiscalReceptor="601"']], `CFDI40158 ${RE}/@RegimenFiscalReceptor`, `CFDI40159 ${RE}/@RegimenFiscalReceptor`),
  caso('CFDI40160', FACTURA, [['UsoCFDI="G03"', 'UsoCFDI="G99"']], `CFDI40160 ${RE}/@UsoCFDI`),
  caso('CFDI40161', FACTURA, [['UsoCFDI="G03"', 'UsoCFDI="D01"']], `CFDI40161 ${RE}/@UsoCFDI`),
  // Concepto
  caso('CFDI40162', FACTURA, [['ClaveProdServ="52161557"', 'ClaveProdServ="99999999"']], `CFDI40162 ${K}/@ClaveProdServ`),
  caso('CFDI40165', FACTURA, [['ClaveUnidad="H87"', 'ClaveUnidad="ZZZ"']], `CFDI40165 ${K}/@ClaveUnidad`),
  caso('CFDI40166', FACTURA, [['ValorUnitario="956.04"', 'ValorUnitario="0"']], `CFDI40166 ${K}/@ValorUnitario`, `CFDI40167 ${K}/@Importe`),
  caso('CFDI40167', FACTURA, [['Importe="3824.15"', 'Importe="5000.00"']], `CFDI40108 ${CO}/@SubTotal`, `CFDI40167 ${K}/@Importe`),
  caso('CFDI40168', FACTURA, [['Importe="3824.15" Descuento="956.04"', 'Importe="3824.15" Descuento="956.040"']], `CFDI40168 ${K}/@Descuento`),
  caso('CFDI40169', DESCUENTOS, [['Importe="2000" Descuento="500"', 'Importe="2000" Descuento="2500"']], `CFDI40111 ${CO}/@Descuento`, `CFDI40169 ${K}[1]/@Descuento`),
  caso('CFDI40170', FACTURA, [['ObjetoImp="02"', 'ObjetoImp="99"']], `CFDI40170 ${K}/@ObjetoImp`),
  caso('CFDI40171', FACTURA, [[`<cfdi:Impuestos>
        <cfdi:Traslados>
          <cfdi:Traslado Base="2868.11" Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="458.90"/>
        </cfdi:Traslados>
      </cfdi:Impuestos>`, '']], `CFDI40171 ${K}/@ObjetoImp`, `CFDI40215 ${T}/@Base`, `CFDI40221 ${T}/@Importe`),
  caso('CFDI40172', FACTURA, [['ObjetoImp="02"', 'ObjetoImp="01"']], `CFDI40172 ${K}/cfdi:Impuestos`),
  caso('CFDI40173', FACTURA, [[`<cfdi:Traslados>
          <cfdi:Traslado Base="2868.11" Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="458.90"/>
        </cfdi:Traslados>`, '']], `CFDI40173 ${K}/cfdi:Impuestos`, `CFDI40215 ${T}/@Base`, `CFDI40221 ${T}/@Importe`),
  caso('CFDI40174', FACTURA, [['Traslado Base="2868.11"', 'Traslado Base="0"']], `CFDI40174 ${KT}/@Base`, `CFDI40180 ${KT}/@Importe`, `CFDI40215 ${T}/@Base`),
  caso('CFDI40175', FACTURA, [['Base="2868.11" Impuesto="002"', 'Base="2868.11" Impuesto="001"']], `CFDI40175 ${KT}/@Impuesto`, `CFDI40215 ${T}/@Base`, `CFDI40221 ${T}/@Importe`),
  caso('CFDI40176', FACTURA, [['Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="458.90"/>\n        </cfdi:Traslados>\n      </cfdi:Impuestos>', 'Impuesto="002" TipoFactor="Tasas" TasaOCuota="0.160000" Importe="458.90"/>\n        </cfdi:Traslados>\n      </cfdi:Impuestos>']], `CFDI40176 ${KT}/@TipoFactor`, `CFDI40215 ${T}/@Base`, `CFDI40221 ${T}/@Importe`),
  caso('CFDI40177', EXENTO, [['<cfdi:Traslado Base="2868.11" Impuesto="002" TipoFactor="Exento"/>', '<cfdi:Traslado Base="2868.11" Impuesto="002" TipoFactor="Exento" TasaOCuota="0.160000"/>']], `CFDI40177 ${KT}/@TasaOCuota`, `CFDI40215 ${T}/@Base`),
  caso('CFDI40178', FACTURA, [['TasaOCuota="0.160000" Importe="458.90"/>\n        </cfdi:Traslados>\n      </cfdi:Impuestos>', 'TasaOCuota="0.160000"/>\n        </cfdi:Traslados>\n      </cfdi:Impuestos>']], `CFDI40178 ${KT}`),
  caso('CFDI40179', FACTURA, [['TasaOCuota="0.160000" Importe="458.90"/>\n        </cfdi:Traslados>\n      </cfdi:Impuestos>', 'TasaOCuota="0.170000" Importe="458.90"/>\n        </cfdi:Traslados>\n      </cfdi:Impuestos>']], `CFDI40179 ${KT}/@TasaOCuota`, `CFDI40180 ${KT}/@Importe`, `CFDI40215 ${T}/@Base`, `CFDI40221 ${T}/@Importe`),
  caso('CFDI40180', FACTURA, [['TasaOCuota="0.160000" Importe="458.90"/>\n        </cfdi:Traslados>\n      </cfdi:Impuestos>', 'TasaOCuota="0.160000" Importe="458.80"/>\n        </cfdi:Traslados>\n      </cfdi:Impuestos>']], `CFDI40180 ${KT}/@Importe`, `CFDI40221 ${T}/@Importe`),
  caso('CFDI40181', RETENCION, [['Retencion Base="2868.11"', 'Retencion Base="0"']], `CFDI40181 ${KR}/@Base`, `CFDI40186 ${KR}/@Importe`),
  caso('CFDI40182', RETENCION, [['Base="2868.11" Impuesto="001"', 'Base="2868.11" Impuesto="004"']], `CFDI40182 ${KR}/@Impuesto`, `CFDI40211 ${R}/@Importe`),
  caso('CFDI40183', RETENCION, [['Impuesto="001" TipoFactor="Tasa"', 'Impuesto="001" TipoFactor="Tasas"']], `CFDI40183 ${KR}/@TipoFactor`),
  caso('CFDI40184', RETENCION, [['Impuesto="001" TipoFactor="Tasa"', 'Impuesto="001" TipoFactor="Exento"']], `CFDI40184 ${KR}/@TipoFactor`),
  caso('CFDI40185', RETENCION, [['TasaOCuota="0.100000"', 'TasaOCuota="0.400000"']], `CFDI40185 ${KR}/@TasaOCuota`, `CFDI40186 ${KR}/@Importe`),
  caso('CFDI40186', RETENCION, [['TasaOCuota="0.100000" Importe="286.81"', 'TasaOCuota="0.100000" Importe="280.00"']], `CFDI40186 ${KR}/@Importe`, `CFDI40211 ${R}/@Importe`),
  caso('CFDI40188', TERCEROS, [['RfcACuentaTerceros="EXT990101NI1"', 'RfcACuentaTerceros="EKU9003173C9"']], `CFDI40188 ${ACT}/@RfcACuentaTerceros`),
  caso('CFDI40189', TERCEROS, [['NombreACuentaTerceros="EXPEDICIÓN DE CFDI', 'NombreACuentaTerceros="OTRA EXPEDICIÓN DE CFDI']], `CFDI40189 ${ACT}/@NombreACuentaTerceros`),
  caso('CFDI40191', TERCEROS, [['RegimenFiscalACuentaTerceros="616"', 'RegimenFiscalACuentaTerceros="600"']], `CFDI40191 ${ACT}/@RegimenFiscalACuentaTerceros`, `CFDI40223 ${ACT}/@RegimenFiscalACuentaTerceros`),
  caso('CFDI40193', TERCEROS, [['DomicilioFiscalACuentaTerceros="86000"', 'DomicilioFiscalACuentaTerceros="54700"']], `CFDI40193 ${ACT}/@DomicilioFiscalACuentaTerceros`),
  caso('CFDI40223', TERCEROS, [['RegimenFiscalACuentaTerceros="616"', 'RegimenFiscalACuentaTerceros="601"']], `CFDI40223 ${ACT}/@RegimenFiscalACuentaTerceros`),
  caso('CFDI40195', conCce(DESCUENTOS), [['Exportacion="01"', 'Exportacion="02"']], `CFDI40195 ${K}[1]/cfdi:InformacionAduanera[1]/@NumeroPedimento`, `CFDI40195 ${K}[1]/cfdi:InformacionAduanera[2]/@NumeroPedimento`),
  caso('CFDI40196', PARTE_XML, [['ClaveProdServ="43211914" Cantidad="1" Descripcion="Cable"', 'ClaveProdServ="99999999" Cantidad="1" Descripcion="Cable"']], `CFDI40196 ${PARTE}/@ClaveProdServ`),
  caso('CFDI40197', PARTE_XML, [['ValorUnitario="10.00"', 'ValorUnitario="0"']], `CFDI40197 ${PARTE}/@ValorUnitario`, `CFDI40198 ${PARTE}/@Importe`),
  caso('CFDI40198', PARTE_XML, [['ValorUnitario="10.00" Importe="10.00"', 'ValorUnitario="10.00" Importe="20.00"']], `CFDI40198 ${PARTE}/@Importe`),
  caso('CFDI40200', conCce(PARTE_XML), [['Exportacion="01"', 'Exportacion="02"']], `CFDI40195 ${K}[1]/cfdi:InformacionAduanera[1]/@NumeroPedimento`, `CFDI40195 ${K}[1]/cfdi:InformacionAduanera[2]/@NumeroPedimento`, `CFDI40200 ${PARTE}/cfdi:InformacionAduanera/@NumeroPedimento`),
  caso('CFDI40226', FACTURA, [['ObjetoImp="02"', 'ObjetoImp="06"']], `CFDI40226 ${K}/@ObjetoImp`),
  caso('CFDI40227', FACTURA, [['ObjetoImp="02"', 'ObjetoImp="07"']], `CFDI40227 ${K}/@ObjetoImp`),
  // Impuestos del comprobante
  caso('CFDI40201', TRASLADO, [['</cfdi:Conceptos>', '</cfdi:Conceptos><cfdi:Impuestos/>']], `CFDI40201 ${IM}`),
  caso('CFDI40202', RETENCION, [['TotalImpuestosRetenidos="286.81"', 'TotalImpuestosRetenidos="286.810"']], `CFDI40202 ${IM}/@TotalImpuestosRetenidos`),
  caso('CFDI40203', RETENCION, [['TotalImpuestosRetenidos="286.81"', 'TotalImpuestosRetenidos="286.80"'], ['Total="3040.20"', 'Total="3040.21"']], `CFDI40203 ${IM}/@TotalImpuestosRetenidos`),
  caso('CFDI40204', FACTURA, [['TotalImpuestosTrasladados="458.90"', 'TotalImpuestosTrasladados="458.900"']], `CFDI40204 ${IM}/@TotalImpuestosTrasladados`),
  caso('CFDI40205', FACTURA, [['TotalImpuestosTrasladados="458.90"', 'TotalImpuestosTrasladados="458.91"'], ['Total="3327.01"', 'Total="3327.02"']], `CFDI40205 ${IM}/@TotalImpuestosTrasladados`),
  caso('CFDI40206', RETENCION, [[' TotalImpuestosRetenidos="286.81"', ''], ['Total="3040.20"', 'Total="3327.01"']], `CFDI40206 ${IM}`, `CFDI40209 ${R}/@Importe`),
  caso('CFDI40207', RETENCION, [['<cfdi:Retencion Impuesto="001"', '<cfdi:Retencion Impuesto="004"']], `CFDI40207 ${R}/@Impuesto`, `CFDI40211 ${R}/@Importe`),
  caso('CFDI40208', RETENCION, [['<cfdi:Retencion Impuesto="001" Importe="286.81"/>', '<cfdi:Retencion Impuesto="001" Importe="286.81"/><cfdi:Retencion Impuesto="001" Importe="0.00"/>']], `CFDI40208 ${R}[2]/@Impuesto`, `CFDI40211 ${R}[2]/@Importe`),
  caso('CFDI40209', RETENCION, [[' TotalImpuestosRetenidos="286.81"', ''], ['Total="3040.20"', 'Total="3327.01"']], `CFDI40206 ${IM}`, `CFDI40209 ${R}/@Importe`),
  caso('CFDI40210', RETENCION, [['<cfdi:Retencion Impuesto="001" Importe="286.81"/>', '<cfdi:Retencion Impuesto="001" Importe="286.810"/>']], `CFDI40210 ${R}/@Importe`),
  caso('CFDI40211', RETENCION, [['<cfdi:Retencion Impuesto="001" Importe="286.81"/>', '<cfdi:Retencion Impuesto="001" Importe="286.80"/>'], ['TotalImpuestosRetenidos="286.81"', 'TotalImpuestosRetenidos="286.80"'], ['Total="3040.20"', 'Total="3040.21"']], `CFDI40211 ${R}/@Importe`),
  caso('CFDI40212', FACTURA, [[' TotalImpuestosTrasladados="458.90"', ''], ['Total="3327.01"', 'Total="2868.11"']], `CFDI40212 ${IM}`),
  caso('CFDI40213', EXENTO, [['<cfdi:Traslado Impuesto="002" TipoFactor="Exento" Base="2868.11"/>', '<cfdi:Traslado Impuesto="002" TipoFactor="Exento" Base="2868.11" Importe="0.00"/>']], `CFDI40213 ${T}/@Importe`),
  caso('CFDI40214', FACTURA, [['Importe="458.90" Base="2868.11"', 'Importe="458.90" Base="2868.110"']], `CFDI40214 ${T}/@Base`),
  caso('CFDI40215', FACTURA, [['Importe="458.90" Base="2868.11"', 'Importe="458.90" Base="2868.12"']], `CFDI40215 ${T}/@Base`),
  caso('CFDI40216', EXENTO, [['TipoFactor="Exento" Base="2868.11"', 'TipoFactor="Exento" Base="2868.12"']], `CFDI40215 ${T}/@Base`, `CFDI40216 ${IM}/cfdi:Traslados`),
  caso('CFDI40217', FACTURA, [['<cfdi:Traslado Impuesto="002"', '<cfdi:Traslado Impuesto="001"']], `CFDI40215 ${T}/@Base`, `CFDI40217 ${T}/@Impuesto`, `CFDI40221 ${T}/@Importe`),
  caso('CFDI40218', FACTURA, [['Importe="458.90" Base="2868.11"/>', 'Importe="458.90" Base="2868.11"/><cfdi:Traslado Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="0.00" Base="0.00"/>']], `CFDI40215 ${T}[2]/@Base`, `CFDI40218 ${T}[2]/@Impuesto`, `CFDI40221 ${T}[2]/@Importe`),
  caso('CFDI40219', FACTURA, [['TasaOCuota="0.160000" Importe="458.90" Base="2868.11"', 'TasaOCuota="0.170000" Importe="458.90" Base="2868.11"']], `CFDI40215 ${T}/@Base`, `CFDI40219 ${T}/@TasaOCuota`, `CFDI40221 ${T}/@Importe`),
  caso('CFDI40220', FACTURA, [['Importe="458.90" Base="2868.11"', 'Importe="458.900" Base="2868.11"']], `CFDI40220 ${T}/@Importe`),
  caso('CFDI40221', FACTURA, [['Importe="458.90" Base="2868.11"', 'Importe="458.91" Base="2868.11"'], ['TotalImpuestosTrasladados="458.90"', 'TotalImpuestosTrasladados="458.91"'], ['Total="3327.01"', 'Total="3327.02"']], `CFDI40221 ${T}/@Importe`),
  // Pagos 2.0: the comprobante
  caso('CRP20101', PAGO, [['TipoDeComprobante="P"', 'TipoDeComprobante="I"']], `CFDI40166 ${K}/@ValorUnitario`, `CRP20101 ${CO}/@TipoDeComprobante`),
  caso('CRP20102', PAGO, [['Exportacion="01"', 'Exportacion="02"']], `CFDI40122 ${CO}/@Exportacion`, `CRP20102 ${CO}/@Exportacion`),
  caso('CRP20103', PAGO, [['SubTotal="0" Total="0"', 'SubTotal="1" Total="1"']], `CFDI40109 ${CO}/@SubTotal`, `CRP20103 ${CO}/@SubTotal`, `CRP20110 ${CO}/@Total`),
  caso('CRP20104', PAGO, [['Moneda="XXX"', 'Moneda="MXN"']], `CRP20104 ${CO}/@Moneda`),
  caso('CRP20105', PAGO, [['Moneda="XXX"', 'Moneda="XXX" FormaPago="01"']], `CFDI40103 ${CO}/@FormaPago`, `CRP20105 ${CO}/@FormaPago`),
  caso('CRP20106', PAGO, [['Moneda="XXX"', 'Moneda="XXX" MetodoPago="PUE"']], `CFDI40125 ${CO}/@MetodoPago`, `CRP20106 ${CO}/@MetodoPago`),
  caso('CRP20107', PAGO, [['Moneda="XXX"', 'Moneda="XXX" CondicionesDePago="Contado"']], `CRP20107 ${CO}/@CondicionesDePago`),
  caso('CRP20108', PAGO, [['Moneda="XXX"', 'Moneda="XXX" Descuento="0"']], `CFDI40111 ${CO}/@Descuento`, `CRP20108 ${CO}/@Descuento`),
  caso('CRP20109', PAGO, [['Moneda="XXX"', 'Moneda="XXX" TipoCambio="1"']], `CFDI40116 ${CO}/@TipoCambio`, `CRP20109 ${CO}/@TipoCambio`),
  caso('CRP20110', PAGO, [[' Total="0"', ' Total="1"']], `CFDI40119 ${CO}/@Total`, `CRP20110 ${CO}/@Total`),
  caso('CRP20111', PAGO, [['ObjetoImp="01"/>', 'ObjetoImp="01"/><cfdi:Concepto ClaveProdServ="84111506" Cantidad="1" ClaveUnidad="ACT" Descripcion="Pago" ValorUnitario="0" Importe="0" ObjetoImp="01"/>']], `CRP20111 ${CO}/cfdi:Conceptos`),
  caso('CRP20112', PAGO, [['ObjetoImp="01"/>', 'ObjetoImp="01"><cfdi:InformacionAduanera NumeroPedimento="17  24  3420  7010987"/></cfdi:Concepto>']], `CRP20112 ${K}/cfdi:InformacionAduanera`),
  caso('CRP20113', PAGO, [['ClaveProdServ="84111506"', 'ClaveProdServ="84111505"']], `CRP20113 ${K}/@ClaveProdServ`),
  caso('CRP20114', PAGO, [['Cantidad="1"', 'NoIdentificacion="P1" Cantidad="1"']], `CRP20114 ${K}/@NoIdentificacion`),
  caso('CRP20115', PAGO, [['Cantidad="1"', 'Cantidad="2"']], `CRP20115 ${K}/@Cantidad`),
  caso('CRP20116', PAGO, [['ClaveUnidad="ACT"', 'ClaveUnidad="H87"']], `CRP20116 ${K}/@ClaveUnidad`),
  caso('CRP20117', PAGO, [['ClaveUnidad="ACT"', 'ClaveUnidad="ACT" Unidad="Actividad"']], `CRP20117 ${K}/@Unidad`),
  caso('CRP20118', PAGO, [['Descripcion="Pago"', 'Descripcion="Pagos"']], `CRP20118 ${K}/@Descripcion`),
  caso('CRP20119', PAGO, [['ValorUnitario="0"', 'ValorUnitario="1"']], `CRP20119 ${K}/@ValorUnitario`),
  caso('CRP20120', PAGO, [['Importe="0" ObjetoImp', 'Importe="1" ObjetoImp']], `CRP20120 ${K}/@Importe`),
  caso('CRP20121', PAGO, [['Importe="0" ObjetoImp', 'Importe="0" Descuento="0" ObjetoImp']], `CRP20121 ${K}/@Descuento`),
  caso('CRP20122', PAGO, [['ObjetoImp="01"', 'ObjetoImp="02"']], `CFDI40171 ${K}/@ObjetoImp`, `CRP20122 ${K}/@ObjetoImp`),
  caso('CRP20123', PAGO, [['ObjetoImp="01"/>', 'ObjetoImp="01"><cfdi:Impuestos><cfdi:Traslados><cfdi:Traslado Base="1" Impuesto="002" TipoFactor="Exento"/></cfdi:Traslados></cfdi:Impuestos></cfdi:Concepto>']], `CFDI40172 ${K}/cfdi:Impuestos`, `CRP20112 ${K}/cfdi:Impuestos`, `CRP20123 ${K}/cfdi:Impuestos`),
  // Pagos 2.0: Totales
  caso('CRP20201', PAGO_RET, [['TotalRetencionesIVA="275.86"', 'TotalRetencionesIVA="275.87"']], `CRP20201 ${TOT}/@TotalRetencionesIVA`),
  caso('CRP20202', PAGO_RET, [['<pago20:Totales ', '<pago20:Totales TotalRetencionesISR="1.00" ']], `CRP20202 ${TOT}/@TotalRetencionesISR`),
  caso('CRP20203', PAGO_RET, [['<pago20:Totales ', '<pago20:Totales TotalRetencionesIEPS="1.00" ']], `CRP20203 ${TOT}/@TotalRetencionesIEPS`),
  caso('CRP20204', PAGO, [['TotalTrasladosBaseIVA16="12931.04"', 'TotalTrasladosBaseIVA16="12931.05"']], `CRP20204 ${TOT}/@TotalTrasladosBaseIVA16`),
  caso('CRP20205', PAGO, [['TotalTrasladosImpuestoIVA16="2068.96"', 'TotalTrasladosImpuestoIVA16="2068.97"']], `CRP20205 ${TOT}/@TotalTrasladosImpuestoIVA16`),
  caso('CRP20206', PAGO, [['<pago20:Totales ', '<pago20:Totales TotalTrasladosBaseIVA8="1.00" ']], `CRP20206 ${TOT}/@TotalTrasladosBaseIVA8`),
  caso('CRP20207', PAGO, [['<pago20:Totales ', '<pago20:Totales TotalTrasladosImpuestoIVA8="1.00" ']], `CRP20207 ${TOT}/@TotalTrasladosImpuestoIVA8`),
  caso('CRP20208', PAGO, [['<pago20:Totales ', '<pago20:Totales TotalTrasladosBaseIVA0="1.00" ']], `CRP20208 ${TOT}/@TotalTrasladosBaseIVA0`),
  caso('CRP20209', PAGO, [['<pago20:Totales ', '<pago20:Totales TotalTrasladosImpuestoIVA0="1.00" ']], `CRP20209 ${TOT}/@TotalTrasladosImpuestoIVA0`),
  caso('CRP20210', PAGO_EXENTO, [['TotalTrasladosBaseIVAExento="12931.04"', 'TotalTrasladosBaseIVAExento="12931.03"']], `CRP20210 ${TOT}/@TotalTrasladosBaseIVAExento`),
  caso('CRP20211', PAGO, [['MontoTotalPagos="15000.00"', 'MontoTotalPagos="15000.01"']], `CRP20211 ${TOT}/@MontoTotalPagos`),
  // Pagos 2.0: Pago
  caso('CRP20212', PAGO, [['FormaDePagoP="03"', 'FormaDePagoP="99"']], `CRP20212 ${PA}/@FormaDePagoP`, `CRP20221 ${PA}/@RfcEmisorCtaOrd`, `CRP20224 ${PA}/@CtaOrdenante`, `CRP20227 ${PA}/@RfcEmisorCtaBen`, `CRP20228 ${PA}/@CtaBeneficiario`),
  caso('CRP20213', PAGO, [['MonedaP="MXN"', 'MonedaP="XXX"']], `CRP20213 ${PA}/@MonedaP`, `CRP20219 ${PA}/@Monto`),
  caso('CRP20214', PAGO_USD, [quitar(' TipoCambioP="20"')], `CRP20204 ${TOT}/@TotalTrasladosBaseIVA16`, `CRP20205 ${TOT}/@TotalTrasladosImpuestoIVA16`, `CRP20211 ${TOT}/@MontoTotalPagos`, `CRP20214 ${PA}`),
  caso('CRP20215', PAGO, [quitar(' TipoCambioP="1"')], `CRP20215 ${PA}`),
  caso('CRP20217', PAGO, [['Monto="15000.00"', 'Monto="14000.00"'], ['MontoTotalPagos="15000.00"', 'MontoTotalPagos="14000.00"']], `CRP20217 ${PA}/@Monto`),
  caso('CRP20218', PAGO, [['Monto="15000.00"', 'Monto="0"'], ['MontoTotalPagos="15000.00"', 'MontoTotalPagos="0"']], `CRP20217 ${PA}/@Monto`, `CRP20218 ${PA}/@Monto`),
  caso('CRP20219', PAGO, [['Monto="15000.00"', 'Monto="15000.000"']], `CRP20219 ${PA}/@Monto`),
  caso('CRP20221', PAGO, [['FormaDePagoP="03"', 'FormaDePagoP="01"'], quitar(' CtaOrdenante="0001970000" RfcEmisorCtaBen="BBA830831LJ2" CtaBeneficiario="0198005000"')], `CRP20221 ${PA}/@RfcEmisorCtaOrd`),
  caso('CRP20223', PAGO, [['RfcEmisorCtaOrd="BMI9704113PA"', 'RfcEmisorCtaOrd="XEXX010101000"']], `CRP20223 ${PA}`),
  caso('CRP20224', PAGO, [['FormaDePagoP="03"', 'FormaDePagoP="01"'], quitar(' RfcEmisorCtaOrd="BMI9704113PA"'), quitar(' RfcEmisorCtaBen="BBA830831LJ2" CtaBeneficiario="0198005000"')], `CRP20224 ${PA}/@CtaOrdenante`),
  caso('CRP20225', PAGO, [['CtaOrdenante="0001970000"', 'CtaOrdenante="12345"']], `CRP20225 ${PA}/@CtaOrdenante`),
  caso('CRP20226', PAGO, [['CtaBeneficiario="0198005000"', 'CtaBeneficiario="123"']], `CRP20226 ${PA}/@CtaBeneficiario`),
  caso('CRP20227', PAGO, [['FormaDePagoP="03"', 'FormaDePagoP="06"'], quitar(' CtaBeneficiario="0198005000"')], `CRP20227 ${PA}/@RfcEmisorCtaBen`),
  caso('CRP20228', PAGO, [['FormaDePagoP="03"', 'FormaDePagoP="06"'], quitar(' RfcEmisorCtaBen="BBA830831LJ2"')], `CRP20228 ${PA}/@CtaBeneficiario`),
  caso('CRP20229', PAGO, [['FormaDePagoP="03"', 'FormaDePagoP="06"'], [' RfcEmisorCtaBen="BBA830831LJ2" CtaBeneficiario="0198005000"', ' TipoCadPago="01" CertPago="AA==" CadPago="x" SelloPago="AA=="']], `CRP20229 ${PA}/@TipoCadPago`),
  caso('CRP20230', PAGO, [['CtaBeneficiario="0198005000"', 'CtaBeneficiario="0198005000" TipoCadPago="01" CadPago="x" SelloPago="AA=="']], `CRP20230 ${PA}`),
  caso('CRP20231', PAGO, [['CtaBeneficiario="0198005000"', 'CtaBeneficiario="0198005000" CertPago="AA=="']], `CRP20231 ${PA}/@CertPago`),
  caso('CRP20232', PAGO, [['CtaBeneficiario="0198005000"', 'CtaBeneficiario="0198005000" TipoCadPago="01" CertPago="AA==" SelloPago="AA=="']], `CRP20232 ${PA}`),
  caso('CRP20233', PAGO, [['CtaBeneficiario="0198005000"', 'CtaBeneficiario="0198005000" CadPago="x"']], `CRP20233 ${PA}/@CadPago`),
  caso('CRP20234', PAGO, [['CtaBeneficiario="0198005000"', 'CtaBeneficiario="0198005000" TipoCadPago="01" CertPago="AA==" CadPago="x"']], `CRP20234 ${PA}`),
  caso('CRP20235', PAGO, [['CtaBeneficiario="0198005000"', 'CtaBeneficiario="0198005000" SelloPago="AA=="']], `CRP20235 ${PA}/@SelloPago`),
  caso('CRP20276', PAGO_USD, [['Monto="750.00"', 'Monto="700.00"'], ['MontoTotalPagos="15000.00"', 'MontoTotalPagos="14000.00"']], `CRP20276 ${PA}/@Monto`),
  // Pagos 2.0: DoctoRelacionado
  caso('CRP20236', PAGO, [['0000000A" MonedaDR="MXN"', '0000000A" MonedaDR="XXX"']], `CRP20236 ${DR1}/@MonedaDR`, `CRP20240 ${DR1}/@ImpSaldoAnt`, `CRP20242 ${DR1}/@ImpPagado`),
  caso('CRP20237', PAGO_USD, [quitar(' EquivalenciaDR="20" NumParcialidad="2"')], `CRP20237 ${DR1}`),
  caso('CRP20238', PAGO, [quitar(' EquivalenciaDR="1" NumParcialidad="2"')], `CRP20238 ${DR1}`),
  caso('CRP20239', PAGO, [['ImpSaldoAnt="10000.00"', 'ImpSaldoAnt="0"']], `CRP20239 ${DR2}/@ImpSaldoAnt`, `CRP20244 ${DR2}/@ImpSaldoInsoluto`),
  caso('CRP20240', PAGO, [['ImpSaldoAnt="10000.00"', 'ImpSaldoAnt="10000.000"']], `CRP20240 ${DR2}/@ImpSaldoAnt`),
  caso('CRP20241', PAGO, [['ImpPagado="3000.00"', 'ImpPagado="0"']], `CRP20241 ${DR2}/@ImpPagado`, `CRP20244 ${DR2}/@ImpSaldoInsoluto`),
  caso('CRP20242', PAGO, [['ImpPagado="3000.00"', 'ImpPagado="3000.000"']], `CRP20242 ${DR2}/@ImpPagado`),
  caso('CRP20243', PAGO, [['ImpSaldoInsoluto="7000.00"', 'ImpSaldoInsoluto="7000.000"']], `CRP20243 ${DR2}/@ImpSaldoInsoluto`),
  caso('CRP20244', PAGO, [['ImpSaldoInsoluto="7000.00"', 'ImpSaldoInsoluto="6000.00"']], `CRP20244 ${DR2}/@ImpSaldoInsoluto`),
  caso('CRP20245', PAGO, [['ImpSaldoInsoluto="7000.00" ObjetoImpDR="02"', 'ImpSaldoInsoluto="7000.00" ObjetoImpDR="99"']], `CRP20245 ${DR2}/@ObjetoImpDR`),
  caso('CRP20246', PAGO, [[`<pago20:ImpuestosDR>
            <pago20:TrasladosDR>
              <pago20:TrasladoDR ImpuestoDR="002" TipoFactorDR="Tasa" TasaOCuotaDR="0.160000" BaseDR="2586.21" ImporteDR="413.79"/>
            </pago20:TrasladosDR>
          </pago20:ImpuestosDR>`, '']], `CRP20246 ${DR2}/@ObjetoImpDR`, `CRP20268 ${TP}/@BaseP`, `CRP20274 ${TP}/@ImporteP`),
  caso('CRP20247', PAGO, [['ImpSaldoInsoluto="7000.00" ObjetoImpDR="02"', 'ImpSaldoInsoluto="7000.00" ObjetoImpDR="01"']], `CRP20247 ${DR2}/pago20:ImpuestosDR`),
  caso('CRP20248', PAGO, [[`<pago20:TrasladosDR>
              <pago20:TrasladoDR ImpuestoDR="002" TipoFactorDR="Tasa" TasaOCuotaDR="0.160000" BaseDR="2586.21" ImporteDR="413.79"/>
            </pago20:TrasladosDR>`, '']], `CRP20248 ${DR2}/pago20:ImpuestosDR`, `CRP20268 ${TP}/@BaseP`, `CRP20274 ${TP}/@ImporteP`),
  caso('CRP20249', PAGO_RET, [['RetencionDR BaseDR="2586.21"', 'RetencionDR BaseDR="0"']], `CRP20249 ${RDR2}/@BaseDR`, `CRP20254 ${RDR2}/@ImporteDR`),
  caso('CRP20250', PAGO_RET, [['BaseDR="2586.21" ImpuestoDR="002"', 'BaseDR="2586.21" ImpuestoDR="009"']], `CRP20250 ${RDR2}/@ImpuestoDR`, `CRP20265 ${RP}/@ImporteP`),
  caso('CRP20251', PAGO_RET, [['TipoFactorDR="Tasa" TasaOCuotaDR="0.106667"', 'TipoFactorDR="Tasas" TasaOCuotaDR="0.106667"']], `CRP20251 ${RDR2}/@TipoFactorDR`),
  caso('CRP20252', PAGO_RET, [['TipoFactorDR="Tasa" TasaOCuotaDR="0.106667"', 'TipoFactorDR="Exento" TasaOCuotaDR="0.106667"']], `CRP20252 ${RDR2}/@TipoFactorDR`),
  caso('CRP20253', PAGO_RET, [['TasaOCuotaDR="0.106667"', 'TasaOCuotaDR="0.200000"']], `CRP20253 ${RDR2}/@TasaOCuotaDR`, `CRP20254 ${RDR2}/@ImporteDR`),
  caso('CRP20254', PAGO_RET, [['ImporteDR="275.86"', 'ImporteDR="270.00"']], `CRP20254 ${RDR2}/@ImporteDR`, `CRP20265 ${RP}/@ImporteP`),
  caso('CRP20255', PAGO, [['BaseDR="10344.83"', 'BaseDR="0"']], `CRP20255 ${TDR1}/@BaseDR`, `CRP20261 ${TDR1}/@ImporteDR`, `CRP20268 ${TP}/@BaseP`),
  caso('CRP20256', PAGO, [['ImpuestoDR="002" TipoFactorDR="Tasa" TasaOCuotaDR="0.160000" BaseDR="10344.83"', 'ImpuestoDR="009" TipoFactorDR="Tasa" TasaOCuotaDR="0.160000" BaseDR="10344.83"']], `CRP20256 ${TDR1}/@ImpuestoDR`, `CRP20268 ${TP}/@BaseP`, `CRP20274 ${TP}/@ImporteP`),
  caso('CRP20257', PAGO, [['TipoFactorDR="Tasa" TasaOCuotaDR="0.160000" BaseDR="10344.83"', 'TipoFactorDR="Tasas" TasaOCuotaDR="0.160000" BaseDR="10344.83"']], `CRP20257 ${TDR1}/@TipoFactorDR`, `CRP20268 ${TP}/@BaseP`, `CRP20274 ${TP}/@ImporteP`),
  caso('CRP20258', PAGO, [['TipoFactorDR="Tasa" TasaOCuotaDR="0.160000" BaseDR="10344.83"', 'TipoFactorDR="Exento" TasaOCuotaDR="0.160000" BaseDR="10344.83"']], `CRP20258 ${TDR1}/@TasaOCuotaDR`, `CRP20268 ${TP}/@BaseP`, `CRP20274 ${TP}/@ImporteP`),
  caso('CRP20259', PAGO, [quitar(' ImporteDR="1655.17"')], `CRP20259 ${TDR1}`),
  caso('CRP20260', PAGO, [['TasaOCuotaDR="0.160000" BaseDR="10344.83"', 'TasaOCuotaDR="0.170000" BaseDR="10344.83"']], `CRP20260 ${TDR1}/@TasaOCuotaDR`, `CRP20261 ${TDR1}/@ImporteDR`, `CRP20268 ${TP}/@BaseP`, `CRP20274 ${TP}/@ImporteP`),
  caso('CRP20261', PAGO, [['ImporteDR="1655.17"', 'ImporteDR="1655.00"']], `CRP20261 ${TDR1}/@ImporteDR`, `CRP20274 ${TP}/@ImporteP`),
  caso('CRP20278', PAGO, [FECHA_2025, ['ImpSaldoInsoluto="7000.00" ObjetoImpDR="02"', 'ImpSaldoInsoluto="7000.00" ObjetoImpDR="06"']], `CRP20278 ${DR2}/@ObjetoImpDR`),
  caso('CRP20279', PAGO, [FECHA_2025, ['ImpSaldoInsoluto="7000.00" ObjetoImpDR="02"', 'ImpSaldoInsoluto="7000.00" ObjetoImpDR="07"']], `CRP20279 ${DR2}/@ObjetoImpDR`),
  // Pagos 2.0: ImpuestosP
  caso('CRP20262', PAGO_RET, [['RetencionP ImpuestoP="002"', 'RetencionP ImpuestoP="009"']], `CRP20201 ${TOT}/@TotalRetencionesIVA`, `CRP20262 ${RP}/@ImpuestoP`, `CRP20265 ${RP}/@ImporteP`),
  caso('CRP20263', PAGO_RET, [['<pago20:RetencionP ImpuestoP="002" ImporteP="275.86"/>', '<pago20:RetencionP ImpuestoP="002" ImporteP="275.86"/><pago20:RetencionP ImpuestoP="002" ImporteP="0"/>']], `CRP20263 ${RP}[2]/@ImpuestoP`, `CRP20265 ${RP}[2]/@ImporteP`),
  caso('CRP20264', PAGO_RET, [quitar('TotalRetencionesIVA="275.86" ')], `CRP20264 ${RP}/@ImporteP`),
  caso('CRP20265', PAGO_RET, [['ImporteP="275.86"', 'ImporteP="275.87"'], ['TotalRetencionesIVA="275.86"', 'TotalRetencionesIVA="275.87"']], `CRP20265 ${RP}/@ImporteP`),
  caso('CRP20266', PAGO_EXENTO, [['TipoFactorP="Exento"', 'TipoFactorP="Exento" ImporteP="0"']], `CRP20266 ${TP}/@ImporteP`),
  caso('CRP20267', PAGO, [quitar(' TotalTrasladosBaseIVA16="12931.04"')], `CRP20267 ${TP}/@BaseP`),
  caso('CRP20268', PAGO, [['BaseP="12931.040000"', 'BaseP="12931.050000"'], ['TotalTrasladosBaseIVA16="12931.04"', 'TotalTrasladosBaseIVA16="12931.05"']], `CRP20268 ${TP}/@BaseP`),
  caso('CRP20269', PAGO_EXENTO, [['BaseP="12931.040000"', 'BaseP="12931.050000"'], ['TotalTrasladosBaseIVAExento="12931.04"', 'TotalTrasladosBaseIVAExento="12931.05"']], `CRP20268 ${TP}/@BaseP`, `CRP20269 ${PA}/pago20:ImpuestosP/pago20:TrasladosP`),
  caso('CRP20270', PAGO, [['TrasladoP ImpuestoP="002"', 'TrasladoP ImpuestoP="009"']], `CRP20204 ${TOT}/@TotalTrasladosBaseIVA16`, `CRP20205 ${TOT}/@TotalTrasladosImpuestoIVA16`, `CRP20268 ${TP}/@BaseP`, `CRP20270 ${TP}/@ImpuestoP`, `CRP20274 ${TP}/@ImporteP`),
  caso('CRP20271', PAGO, [['ImporteP="2068.960000"/>', 'ImporteP="2068.960000"/><pago20:TrasladoP ImpuestoP="002" TipoFactorP="Tasa" TasaOCuotaP="0.160000" BaseP="0" ImporteP="0"/>']], `CRP20268 ${TP}[2]/@BaseP`, `CRP20271 ${TP}[2]/@ImpuestoP`, `CRP20274 ${TP}[2]/@ImporteP`),
  caso('CRP20272', PAGO, [['TasaOCuotaP="0.160000"', 'TasaOCuotaP="0.170000"']], `CRP20204 ${TOT}/@TotalTrasladosBaseIVA16`, `CRP20205 ${TOT}/@TotalTrasladosImpuestoIVA16`, `CRP20268 ${TP}/@BaseP`, `CRP20272 ${TP}/@TasaOCuotaP`, `CRP20274 ${TP}/@ImporteP`),
  caso('CRP20273', PAGO, [quitar(' TotalTrasladosImpuestoIVA16="2068.96"')], `CRP20273 ${TP}/@ImporteP`),
  caso('CRP20274', PAGO, [['ImporteP="2068.960000"', 'ImporteP="2068.970000"'], ['TotalTrasladosImpuestoIVA16="2068.96"', 'TotalTrasladosImpuestoIVA16="2068.97"']], `CRP20274 ${TP}/@ImporteP`),
];

describe('each rule', () => {
  it.each(CASOS)('%s', (_, base, cambios, esperado) => {
    expect(revisar(editar(base, ...cambios))).toEqual([...esperado].sort());
  });

  it('every code checked has its case, and every case names a code checked', () => {
    expect(new Set(CASOS.map((c) => c[0]))).toEqual(new Set(REGLAS_RECIBIDO));
  });
});

describe('robustness', () => {
  it('writes the XPath as validateXsd does', () => {
    const xml = editar(DESCUENTOS, ['ValorUnitario="300"', 'ValorUnitario="-1"']);
    expect(revisar(xml)).toContain(`CFDI40166 ${K}[3]/@ValorUnitario`);
    expect(validateXsd(parseXml(xml)).map((i) => i.path)).toContain(`${K}[3]/@ValorUnitario`);
  });

  it('a malformed or missing value skips its rules, never throws', () => {
    let xml = FACTURA.replace(/(SubTotal|Total|Importe|Base|Cantidad|ValorUnitario|Descuento|TasaOCuota|TotalImpuestosTrasladados)="[^"]*"/g, '$1="1,5"');
    expect(() => revisar(xml)).not.toThrow();
    xml = PAGO.replace(/(Monto|ImpPagado|ImpSaldoAnt|ImpSaldoInsoluto|BaseDR|ImporteDR|BaseP|ImporteP|EquivalenciaDR|TipoCambioP|MontoTotalPagos)="[^"]*"/g, '$1="x"');
    expect(() => revisar(xml)).not.toThrow();
    expect(() => revisar('<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4"/>')).not.toThrow();
    expect(() => revisar(PAGO.replace(/<pago20:Pago [\s\S]*<\/pago20:Pago>/, '<pago20:Pago/>'))).not.toThrow();
  });
});
