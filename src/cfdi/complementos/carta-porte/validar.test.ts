import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Emisor } from '../../comprobante';
import { COMPROBANTES } from '../../comprobantes';

const EMISOR: Emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
const AHORA = new Date('2026-11-20T19:00:00Z');
const fixture = (nombre: string) =>
  JSON.parse(readFileSync(path.resolve(__dirname, '../../../../test/fixtures/cfdi/carta-porte', `${nombre}.json`), 'utf8'));

/** [rule, fixture, change, path, code]: each enforced rule broken on its own in a valid fixture. */
type Caso = [regla: string, base: string, cambiar: (e: any) => void, ruta: string, codigo: string];
const cp = (e: any) => e.carta_porte;
const m0 = (e: any) => e.carta_porte.mercancias.mercancia[0];
const auto = (e: any) => e.carta_porte.mercancias.autotransporte;
const DOMICILIO_CMX = { calle: 'Insurgentes Sur', municipio: '015', estado: 'CMX', pais: 'MEX', codigo_postal: '06600' };
const casos: Caso[] = [
  ['CP102 traslado with a price', 'traslado-local', (e) => (e.conceptos[0].valor_unitario = '10'), 'conceptos[0].valor_unitario', 'CP102'],
  ['CP103 traslado not in XXX', 'traslado-local', (e) => (e.moneda = 'MXN'), 'moneda', 'CP103'],
  ['CP104 ingreso in XXX', 'flete-ingreso', (e) => (e.moneda = 'XXX'), 'moneda', 'CP104'],
  ['CP107 traslado to another RFC', 'traslado-local', (e) => Object.assign(e.receptor, { rfc: 'URE180429TM6', nombre: 'UNIVERSIDAD ROBOTICA ESPAÑOLA', domicilio_fiscal: '86991' }), 'receptor.rfc', 'CP107'],
  ['CP109 ingreso not for freight', 'flete-ingreso', (e) => (e.conceptos[0].clave_prod_serv = '43211500'), 'conceptos[0].clave_prod_serv', 'CP109'],
  ['CP110 intermodal', 'flete-ingreso', (e) => (e.conceptos[0].clave_prod_serv = '78101900'), 'conceptos[0].clave_prod_serv', 'CP110'],
  ['CP111 uso not S01', 'traslado-local', (e) => (e.receptor.uso_cfdi = 'G03'), 'receptor.uso_cfdi', 'CP111'],
  ['CP116 regimenes in a national move', 'traslado-local', (e) => (cp(e).regimenes_aduaneros = ['IMD']), 'carta_porte.regimenes_aduaneros', 'CP116'],
  ['CP117 unknown regimen', 'importacion', (e) => (cp(e).regimenes_aduaneros = ['XXX']), 'carta_porte.regimenes_aduaneros[0]', 'CP117'],
  ['CP118 export regimen on entrada', 'importacion', (e) => (cp(e).regimenes_aduaneros = ['EXD']), 'carta_porte.regimenes_aduaneros[0]', 'CP118'],
  ['CP119 no EntradaSalidaMerc', 'importacion', (e) => delete cp(e).entrada_salida_merc, 'carta_porte.entrada_salida_merc', 'CP119'],
  ['CP120 EntradaSalidaMerc national', 'traslado-local', (e) => (cp(e).entrada_salida_merc = 'Entrada'), 'carta_porte.entrada_salida_merc', 'CP120'],
  ['CP121 no PaisOrigenDestino', 'importacion', (e) => delete cp(e).pais_origen_destino, 'carta_porte.pais_origen_destino', 'CP121'],
  ['CP122 PaisOrigenDestino national', 'traslado-local', (e) => (cp(e).pais_origen_destino = 'USA'), 'carta_porte.pais_origen_destino', 'CP122'],
  ['CP123 no ViaEntradaSalida', 'importacion', (e) => delete cp(e).via_entrada_salida, 'carta_porte.via_entrada_salida', 'CP123'],
  ['CP124 ViaEntradaSalida national', 'traslado-local', (e) => (cp(e).via_entrada_salida = '01'), 'carta_porte.via_entrada_salida', 'CP124'],
  ['CP130 no destino', 'traslado-local', (e) => (cp(e).ubicaciones[1].tipo_ubicacion = 'Origen'), 'carta_porte.ubicaciones', 'CP130'],
  ['CP131 IDUbicacion with CantidadTransporta', 'dos-destinos', (e) => delete cp(e).ubicaciones[2].id_ubicacion, 'carta_porte.ubicaciones[2].id_ubicacion', 'CP131'],
  ['CP132 RFC malformed', 'traslado-local', (e) => (cp(e).ubicaciones[1].rfc_remitente_destinatario = 'EKU9003173C0'), 'carta_porte.ubicaciones[1].rfc_remitente_destinatario', 'CP132'],
  ['CP133 foreign without NumRegIdTrib', 'importacion', (e) => delete cp(e).ubicaciones[0].num_reg_id_trib, 'carta_porte.ubicaciones[0].num_reg_id_trib', 'CP133'],
  ['CP134 ResidenciaFiscal MEX', 'importacion', (e) => (cp(e).ubicaciones[0].residencia_fiscal = 'MEX'), 'carta_porte.ubicaciones[0].residencia_fiscal', 'CP134'],
  ['CP135 estacion in autotransporte', 'traslado-local', (e) => (cp(e).ubicaciones[0].num_estacion = 'PM001'), 'carta_porte.ubicaciones[0].num_estacion', 'CP135'],
  ['CP141 destino without distance', 'traslado-local', (e) => delete cp(e).ubicaciones[1].distancia_recorrida, 'carta_porte.ubicaciones[1].distancia_recorrida', 'CP141'],
  ['CP142 no domicilio', 'traslado-local', (e) => delete cp(e).ubicaciones[1].domicilio, 'carta_porte.ubicaciones[1].domicilio', 'CP142'],
  ['CP143 colonia not a clave', 'traslado-local', (e) => (cp(e).ubicaciones[1].domicilio.colonia = 'Roma Norte'), 'carta_porte.ubicaciones[1].domicilio.colonia', 'CP143'],
  ['CP144 localidad of another estado', 'traslado-local', (e) => (cp(e).ubicaciones[0].domicilio.localidad = '99'), 'carta_porte.ubicaciones[0].domicilio.localidad', 'CP144'],
  ['CP145 municipio of another estado', 'traslado-local', (e) => (cp(e).ubicaciones[1].domicilio.municipio = '999'), 'carta_porte.ubicaciones[1].domicilio.municipio', 'CP145'],
  ['CP146 estado not of the country', 'traslado-local', (e) => (cp(e).ubicaciones[1].domicilio.estado = 'TX'), 'carta_porte.ubicaciones[1].domicilio.estado', 'CP146'],
  ['CP147 CP of another estado', 'traslado-local', (e) => (cp(e).ubicaciones[1].domicilio.codigo_postal = '64000'), 'carta_porte.ubicaciones[1].domicilio.codigo_postal', 'CP147'],
  ['CP148 no autotransporte', 'traslado-local', (e) => delete cp(e).mercancias.autotransporte, 'carta_porte.mercancias.autotransporte', 'CP148'],
  ['CP156 peligroso without clave', 'material-peligroso', (e) => delete m0(e).cve_material_peligroso, 'carta_porte.mercancias.mercancia[0].cve_material_peligroso', 'CP156'],
  ['CP156 unknown clave', 'material-peligroso', (e) => (m0(e).cve_material_peligroso = '9999'), 'carta_porte.mercancias.mercancia[0].cve_material_peligroso', 'CP156'],
  ['CP157 no embalaje', 'material-peligroso', (e) => delete m0(e).embalaje, 'carta_porte.mercancias.mercancia[0].embalaje', 'CP157'],
  ['CP158 unknown sector', 'traslado-local', (e) => (m0(e).sector_cofepris = '99'), 'carta_porte.mercancias.mercancia[0].sector_cofepris', 'CP158'],
  ['CP162 toxic without NumCAS', 'traslado-local', (e) => Object.assign(m0(e), { sector_cofepris: '04', nom_quimico: 'Cloro' }), 'carta_porte.mercancias.mercancia[0].num_cas', 'CP162'],
  ['CP168 valor without moneda', 'traslado-local', (e) => (m0(e).valor_mercancia = '100'), 'carta_porte.mercancias.mercancia[0].moneda', 'CP168'],
  ['CP170 international without TipoMateria', 'importacion', (e) => delete m0(e).tipo_materia, 'carta_porte.mercancias.mercancia[0].tipo_materia', 'CP170'],
  ['CP171 materia 05 without description', 'importacion', (e) => (m0(e).tipo_materia = '05'), 'carta_porte.mercancias.mercancia[0].descripcion_materia', 'CP171'],
  ['CP172 import without documents', 'importacion', (e) => delete m0(e).documentacion_aduanera, 'carta_porte.mercancias.mercancia[0].documentacion_aduanera', 'CP172'],
  ['CP173 pedimento on salida', 'importacion', (e) => Object.assign(cp(e), { entrada_salida_merc: 'Salida', regimenes_aduaneros: ['EXD'] }), 'carta_porte.mercancias.mercancia[0].documentacion_aduanera[0].tipo_documento', 'CP173'],
  ['CP174 pedimento malformed', 'importacion', (e) => (m0(e).documentacion_aduanera[0].num_pedimento = '26 24 3420 6000123'), 'carta_porte.mercancias.mercancia[0].documentacion_aduanera[0].num_pedimento', 'CP174'],
  ['CP175 other document without ident', 'importacion', (e) => (m0(e).documentacion_aduanera = [{ tipo_documento: '02' }]), 'carta_porte.mercancias.mercancia[0].documentacion_aduanera[0].ident_doc_aduanero', 'CP175'],
  ['CP176 pedimento without RFCImpo', 'importacion', (e) => delete m0(e).documentacion_aduanera[0].rfc_impo, 'carta_porte.mercancias.mercancia[0].documentacion_aduanera[0].rfc_impo', 'CP176'],
  ['CP177 empaques without guias', 'traslado-local', (e) => (e.conceptos[0].clave_prod_serv = '31181701'), 'carta_porte.mercancias.mercancia', 'CP177'],
  ['CP178 unknown origen', 'dos-destinos', (e) => (m0(e).cantidad_transporta[0].id_origen = 'OR000009'), 'carta_porte.mercancias.mercancia[0].cantidad_transporta[0].id_origen', 'CP178'],
  ['CP179 unknown destino', 'dos-destinos', (e) => (m0(e).cantidad_transporta[0].id_destino = 'DE000009'), 'carta_porte.mercancias.mercancia[0].cantidad_transporta[0].id_destino', 'CP179'],
  ['CP180 CvesTransporte with one means', 'dos-destinos', (e) => (m0(e).cantidad_transporta[0].cves_transporte = '01'), 'carta_porte.mercancias.mercancia[0].cantidad_transporta[0].cves_transporte', 'CP180'],
  ['CP182 peligroso without med ambiente', 'material-peligroso', (e) => delete auto(e).seguros.asegura_med_ambiente, 'carta_porte.mercancias.autotransporte.seguros.asegura_med_ambiente', 'CP182'],
  ['CP183 med ambiente without poliza', 'material-peligroso', (e) => delete auto(e).seguros.poliza_med_ambiente, 'carta_porte.mercancias.autotransporte.seguros.poliza_med_ambiente', 'CP183'],
  ['CP184 T3S2 without remolque', 'remolque', (e) => delete auto(e).remolques, 'carta_porte.mercancias.autotransporte.remolques', 'CP184'],
  ['CP184 C2 with remolque', 'traslado-local', (e) => (auto(e).remolques = [{ sub_tipo_rem: 'CTR004', placa: '752WZ8' }]), 'carta_porte.mercancias.autotransporte.remolques', 'CP184'],
  ['CP193 no FiguraTransporte', 'traslado-local', (e) => delete cp(e).figura_transporte, 'carta_porte.figura_transporte', 'CP193'],
  ['CP194 no operador', 'remolque', (e) => cp(e).figura_transporte.shift(), 'carta_porte.figura_transporte', 'CP194'],
  ['CP195 RFCFigura malformed', 'traslado-local', (e) => (cp(e).figura_transporte[0].rfc_figura = 'XIQB891116QE0'), 'carta_porte.figura_transporte[0].rfc_figura', 'CP195'],
  ['CP196 operador without licencia', 'traslado-local', (e) => delete cp(e).figura_transporte[0].num_licencia, 'carta_porte.figura_transporte[0].num_licencia', 'CP196'],
  ['CP197 no RFC nor NumRegIdTrib', 'traslado-local', (e) => delete cp(e).figura_transporte[0].rfc_figura, 'carta_porte.figura_transporte[0].num_reg_id_trib_figura', 'CP197'],
  ['CP198 NumRegIdTrib without residencia', 'traslado-local', (e) => (cp(e).figura_transporte[0].num_reg_id_trib_figura = '123456789'), 'carta_porte.figura_transporte[0].residencia_fiscal_figura', 'CP198'],
  ['CP199 propietario without partes', 'remolque', (e) => delete cp(e).figura_transporte[1].partes_transporte, 'carta_porte.figura_transporte[1].partes_transporte', 'CP199'],
  ['CP204 figura CP of another estado', 'traslado-local', (e) => (cp(e).figura_transporte[0].domicilio = { estado: 'CMX', municipio: '015', pais: 'MEX', codigo_postal: '64000' }), 'carta_porte.figura_transporte[0].domicilio.codigo_postal', 'CP204'],
  ['CP106 freight with objeto_imp 06', 'flete-ingreso', (e) => (e.conceptos[0].objeto_imp = '06'), 'conceptos[0].objeto_imp', 'CP106'],
  ['CP159 medicamento without its fields', 'traslado-local', (e) => (m0(e).sector_cofepris = '01'), 'carta_porte.mercancias.mercancia[0].denominacion_generica_prod', 'CP159'],
  ['CP160 precursor without ingrediente activo', 'traslado-local', (e) => (m0(e).sector_cofepris = '02'), 'carta_porte.mercancias.mercancia[0].nombre_ingrediente_activo', 'CP160'],
  ['CP161 psicotrópico without fabricante', 'traslado-local', (e) => (m0(e).sector_cofepris = '03'), 'carta_porte.mercancias.mercancia[0].fabricante', 'CP161'],
  ['CP163 plaguicida without uso autorizado', 'traslado-local', (e) => (m0(e).sector_cofepris = '05'), 'carta_porte.mercancias.mercancia[0].uso_autorizado', 'CP163'],
  ['CP164 imported medicamento without permiso', 'importacion', (e) => (m0(e).sector_cofepris = '01'), 'carta_porte.mercancias.mercancia[0].permiso_importacion', 'CP164'],
  ['CP165 imported toxic without folio VUCEM', 'importacion', (e) => (m0(e).sector_cofepris = '04'), 'carta_porte.mercancias.mercancia[0].folio_impo_vucem', 'CP165'],
  ['CP166 imported toxic without importer', 'importacion', (e) => (m0(e).sector_cofepris = '04'), 'carta_porte.mercancias.mercancia[0].razon_social_emp_imp', 'CP166'],
  ['CP166 importer in a national move', 'traslado-local', (e) => (m0(e).razon_social_emp_imp = 'IMPORTADORA SA'), 'carta_porte.mercancias.mercancia[0].razon_social_emp_imp', 'CP166'],
  ['CP169 import regimen on salida', 'importacion', (e) => (cp(e).entrada_salida_merc = 'Salida'), 'carta_porte.regimenes_aduaneros[0]', 'CP169'],
  ['CP200 figura colonia not a clave', 'traslado-local', (e) => (cp(e).figura_transporte[0].domicilio = { ...DOMICILIO_CMX, colonia: 'Roma Norte' }), 'carta_porte.figura_transporte[0].domicilio.colonia', 'CP200'],
  ['CP201 figura localidad of another estado', 'traslado-local', (e) => (cp(e).figura_transporte[0].domicilio = { ...DOMICILIO_CMX, localidad: '99' }), 'carta_porte.figura_transporte[0].domicilio.localidad', 'CP201'],
  ['CP202 figura municipio of another estado', 'traslado-local', (e) => (cp(e).figura_transporte[0].domicilio = { ...DOMICILIO_CMX, municipio: '999' }), 'carta_porte.figura_transporte[0].domicilio.municipio', 'CP202'],
  ['CP203 figura estado not of the country', 'traslado-local', (e) => (cp(e).figura_transporte[0].domicilio = { ...DOMICILIO_CMX, estado: 'TX' }), 'carta_porte.figura_transporte[0].domicilio.estado', 'CP203'],
  ['HFX_TRANSPORTE_NO_SOPORTADO marítimo', 'traslado-local', (e) => (cp(e).mercancias.transporte_maritimo = {}), 'carta_porte.mercancias.transporte_maritimo', 'HFX_TRANSPORTE_NO_SOPORTADO'],
  ['CP114 Carta Porte on an egreso', 'flete-ingreso', () => {}, 'carta_porte', 'CP114'],
];

describe('Carta Porte 3.1 rules: each invalid case gives its code at its JSON path', () => {
  it.each(casos)('%s', (regla, base, cambiar, ruta, codigo) => {
    const entrada = fixture(base);
    cambiar(entrada);
    const tipo = regla.startsWith('CP114') ? 'E' : base === 'flete-ingreso' ? 'I' : 'T';
    const r = COMPROBANTES[tipo].preparar(entrada, EMISOR, { ahora: AHORA });
    if (r.ok) throw new Error('se esperaban errores');
    expect(r.errors.map((e) => [e.path, e.code])).toContainEqual([ruta, codigo]);
  });

  it('every fixture is valid as given (so each case above breaks only its own rule)', () => {
    for (const [nombre, tipo] of [['traslado-local', 'T'], ['dos-destinos', 'T'], ['flete-ingreso', 'I'], ['material-peligroso', 'T'], ['importacion', 'T'], ['remolque', 'T']] as const) {
      const r = COMPROBANTES[tipo].preparar(fixture(nombre), EMISOR, { ahora: AHORA });
      expect(r.ok ? [] : r.errors).toEqual([]);
    }
  });
});
