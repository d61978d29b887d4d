/**
 * The computed Carta Porte 3.1 from a complete, valid input: IdCCP, TotalDistRec (CP126), PesoBrutoTotal
 * (CP149) and NumTotalMercancias (CP154), with decimal.ts; nothing here is taken from the input as given.
 */
import { dec, formatear, type Dec } from '../../decimal';
import type { Problemas } from '../../validar';
import type { CartaPorte, CartaPorteEntrada, Domicilio, Mercancia } from './modelo';
import { ATRIBUTOS_MERCANCIA } from './xml';

/** TotalDistRec and DistanciaRecorrida's maxInclusive in CartaPorte31.xsd. */
const DISTANCIA_MAXIMA = dec(99999);

/** An IdCCP as the SAT's estándar gives it: an RFC 4122 UUID (v4) whose first three characters are "CCC". */
export const generarIdCcp = (): string => `CCC${crypto.randomUUID().slice(3)}`;

/**
 * `datos` (a request of a T or an I) with its carta_porte's IdCCP fixed, generated when absent: the stored request
 * is what every rebuild of the CFDI (each stamping attempt) reads, so they all carry the same IdCCP.
 */
export function conIdCcp<T extends Record<string, unknown>>(datos: T): T {
  const cp = datos.carta_porte;
  if (!cp || typeof cp !== 'object' || Array.isArray(cp) || (cp as { id_ccp?: unknown }).id_ccp !== undefined) return datos;
  return { ...datos, carta_porte: { ...cp, id_ccp: generarIdCcp() } };
}

const suma = (valores: (string | number)[]): Dec => valores.reduce<Dec>((s, v) => s.plus(dec(v)), dec(0));
const texto = (v: string | number | undefined) => (v === undefined ? undefined : String(v));

type DomicilioEntrada = NonNullable<CartaPorteEntrada['ubicaciones'][number]['domicilio']>;
const domicilio = (d: DomicilioEntrada | undefined): Domicilio | undefined =>
  d && {
    calle: d.calle, numeroExterior: d.numero_exterior, numeroInterior: d.numero_interior, colonia: d.colonia, localidad: d.localidad,
    referencia: d.referencia, municipio: d.municipio, estado: d.estado, pais: d.pais, codigoPostal: d.codigo_postal,
  };

// The input's snake_case field of each Mercancia attribute (num_cas → NumCAS): the same letters, case aside.
const plano = (s: string) => s.replace(/_/g, '').toLowerCase();
const CAMPO_MERCANCIA = new Map(ATRIBUTOS_MERCANCIA.map(([atributo, campo]) => [plano(atributo), campo]));

function mercancia(m: CartaPorteEntrada['mercancias']['mercancia'][number]): Mercancia {
  const { documentacion_aduanera, guias_identificacion, cantidad_transporta, ...resto } = m;
  const atributos = Object.fromEntries(Object.entries(resto).map(([k, v]) => [CAMPO_MERCANCIA.get(plano(k))!, texto(v as string | number | undefined)]));
  return {
    ...(atributos as Pick<Mercancia, 'bienesTransp' | 'descripcion' | 'claveUnidad'>),
    cantidad: dec(m.cantidad).toFixed(),
    pesoEnKg: formatear(dec(m.peso_en_kg), 3),
    valorMercancia: m.valor_mercancia === undefined ? undefined : formatear(dec(m.valor_mercancia), 2),
    documentacionAduanera: (documentacion_aduanera ?? []).map((d) => ({
      tipoDocumento: d.tipo_documento, numPedimento: d.num_pedimento, identDocAduanero: d.ident_doc_aduanero, rFCImpo: d.rfc_impo,
    })),
    guiasIdentificacion: (guias_identificacion ?? []).map((g) => ({
      numeroGuiaIdentificacion: g.numero_guia_identificacion,
      descripGuiaIdentificacion: g.descrip_guia_identificacion,
      pesoGuiaIdentificacion: formatear(dec(g.peso_guia_identificacion), 3),
    })),
    cantidadTransporta: (cantidad_transporta ?? []).map((c) => ({
      cantidad: dec(c.cantidad).toFixed(), iDOrigen: c.id_origen, iDDestino: c.id_destino, cvesTransporte: c.cves_transporte,
    })),
  };
}

/** The complement; `p` gets what only the arithmetic can tell (a TotalDistRec past the XSD's maximum). */
export function calcularCartaPorte(e: CartaPorteEntrada, p: Problemas): CartaPorte | undefined {
  const destinos = e.ubicaciones.filter((u) => u.tipo_ubicacion === 'Destino');
  const distancia = suma(destinos.map((u) => u.distancia_recorrida ?? 0));
  if (distancia.gt(DISTANCIA_MAXIMA)) {
    p.add('carta_porte.ubicaciones', `La suma de las distancias de los destinos (${distancia.toFixed()} km) excede los 99999 km que admite TotalDistRec.`, 'HFX_XSD');
    return undefined;
  }
  const a = e.mercancias.autotransporte!;
  const v = a.identificacion_vehicular;
  const s = a.seguros;
  return {
    version: '3.1',
    idCCP: e.id_ccp ?? generarIdCcp(),
    transpInternac: e.transp_internac,
    entradaSalidaMerc: e.entrada_salida_merc,
    paisOrigenDestino: e.pais_origen_destino,
    viaEntradaSalida: e.via_entrada_salida,
    totalDistRec: formatear(distancia, 2),
    regimenesAduaneros: e.regimenes_aduaneros ?? [],
    ubicaciones: e.ubicaciones.map((u) => ({
      tipoUbicacion: u.tipo_ubicacion,
      iDUbicacion: u.id_ubicacion,
      rFCRemitenteDestinatario: u.rfc_remitente_destinatario,
      nombreRemitenteDestinatario: u.nombre_remitente_destinatario,
      numRegIdTrib: u.num_reg_id_trib,
      residenciaFiscal: u.residencia_fiscal,
      fechaHoraSalidaLlegada: u.fecha_hora_salida_llegada,
      distanciaRecorrida: u.distancia_recorrida === undefined ? undefined : formatear(dec(u.distancia_recorrida), 2),
      domicilio: domicilio(u.domicilio),
    })),
    mercancias: {
      pesoBrutoTotal: formatear(suma(e.mercancias.mercancia.map((m) => m.peso_en_kg)), 3),
      unidadPeso: e.mercancias.unidad_peso,
      numTotalMercancias: String(e.mercancias.mercancia.length),
      logisticaInversaRecoleccionDevolucion: e.mercancias.logistica_inversa_recoleccion_devolucion,
      mercancia: e.mercancias.mercancia.map(mercancia),
      autotransporte: {
        permSCT: a.perm_sct,
        numPermisoSCT: a.num_permiso_sct,
        identificacionVehicular: {
          configVehicular: v.config_vehicular, pesoBrutoVehicular: formatear(dec(v.peso_bruto_vehicular), 2), placaVM: v.placa_vm, anioModeloVM: v.anio_modelo_vm,
        },
        seguros: {
          aseguraRespCivil: s.asegura_resp_civil, polizaRespCivil: s.poliza_resp_civil, aseguraMedAmbiente: s.asegura_med_ambiente,
          polizaMedAmbiente: s.poliza_med_ambiente, aseguraCarga: s.asegura_carga, polizaCarga: s.poliza_carga,
          primaSeguro: s.prima_seguro === undefined ? undefined : String(s.prima_seguro),
        },
        remolques: (a.remolques ?? []).map((r) => ({ subTipoRem: r.sub_tipo_rem, placa: r.placa })),
      },
    },
    figuraTransporte: (e.figura_transporte ?? []).map((f) => ({
      tipoFigura: f.tipo_figura, rFCFigura: f.rfc_figura, numLicencia: f.num_licencia, nombreFigura: f.nombre_figura,
      numRegIdTribFigura: f.num_reg_id_trib_figura, residenciaFiscalFigura: f.residencia_fiscal_figura,
      partesTransporte: f.partes_transporte ?? [], domicilio: domicilio(f.domicilio),
    })),
  };
}
