import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../dom';
import { cfdiJson, snake } from './json';

const muestra = (f: string) => readFileSync(path.resolve(__dirname, '../../../test/fixtures/sat/samples', f), 'utf8');

describe('cfdiJson', () => {
  it('names attributes as the API does', () => {
    expect(['ClaveProdServ', 'NumRegIdTrib', 'RFC', 'TasaOCuota', 'UsoCFDI', 'Rfc', 'ObjetoImp'].map(snake)).toEqual([
      'clave_prod_serv', 'num_reg_id_trib', 'rfc', 'tasa_o_cuota', 'uso_cfdi', 'rfc', 'objeto_imp',
    ]);
  });

  it('gives a factura in the API vocabulary: arrays for wrappers, renames, strings as written', () => {
    const j = cfdiJson(parseXml(muestra('cfdi40-real.xml'))) as any;
    expect(j).toMatchObject({ version: '4.0', tipo_de_comprobante: 'I', subtotal: expect.any(String), receptor: { domicilio_fiscal: expect.any(String), regimen_fiscal: expect.any(String) } });
    expect(j.conceptos[0].impuestos.traslados[0]).toMatchObject({ impuesto: '002', tipo_factor: 'Tasa' });
    expect(j.complemento.timbre_fiscal_digital.uuid).toMatch(/^[0-9A-F-]{36}$/i);
    expect(j).not.toHaveProperty('xmlns:cfdi');
    expect(j).not.toHaveProperty('schema_location');
  });

  it('gives Pagos 2.0 as the complementos-pago API writes it', () => {
    const j = cfdiJson(parseXml(muestra('created-cfdi40-pago20-valid.xml'))) as any;
    const pago = j.complemento.pagos.pagos[0];
    expect(pago).toHaveProperty('forma_pago');
    expect(pago.documentos[0]).toHaveProperty('uuid');
    expect(pago.documentos[0]).toHaveProperty('imp_saldo_ant');
  });

  it('carries a node it does not model generically, text and all', () => {
    const xml = muestra('created-with-discounts-40.xml').replace(
      '</cfdi:Comprobante>',
      '<cfdi:Complemento><implocal:ImpuestosLocales xmlns:implocal="http://www.sat.gob.mx/implocal" version="1.0" TotaldeRetenciones="0" TotaldeTraslados="0"><implocal:TrasladosLocales ImpLocTrasladado="ISH" TasadeTraslado="3.00" Importe="3.00"/></implocal:ImpuestosLocales></cfdi:Complemento><cfdi:Addenda><x:Pedido xmlns:x="urn:x">PO-1</x:Pedido></cfdi:Addenda></cfdi:Comprobante>',
    );
    const j = cfdiJson(parseXml(xml)) as any;
    expect(j.complemento.otros[0]).toEqual({
      nodo: 'implocal:ImpuestosLocales',
      espacio: 'http://www.sat.gob.mx/implocal',
      atributos: { version: '1.0', TotaldeRetenciones: '0', TotaldeTraslados: '0' },
      hijos: [{ nodo: 'implocal:TrasladosLocales', espacio: 'http://www.sat.gob.mx/implocal', atributos: { ImpLocTrasladado: 'ISH', TasadeTraslado: '3.00', Importe: '3.00' }, hijos: [] }],
    });
    expect(j.addenda.otros[0]).toMatchObject({ nodo: 'x:Pedido', hijos: ['PO-1'] });
  });
});
