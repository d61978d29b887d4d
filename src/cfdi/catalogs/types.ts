/** Row shapes of the SAT catalogs kept in sat.generated.ts. Dates are ISO `YYYY-MM-DD`; no `hasta` = still in force. */
export interface Vigencia { desde?: string; hasta?: string }
interface Clave { id: string; texto: string; vigencia: Vigencia }

/**
 * c_FormaPago with the columns of the payment's banking data (Pagos 2.0). An account pattern is the SAT's
 * regular expression for the whole value, alternatives joined by `|`; absent where the catalog has none.
 */
export interface FormaPago extends Clave {
  bancarizado: boolean;
  requiereNumeroOperacion: boolean;
  permiteRfcBancoOrdenante: boolean;
  permiteCuentaOrdenante: boolean;
  patronCuentaOrdenante?: string;
  permiteRfcBancoBeneficiario: boolean;
  permiteCuentaBeneficiario: boolean;
  patronCuentaBeneficiario?: string;
  permiteTipoCadenaPago: boolean;
  requiereNombreBancoOrdenanteExt: boolean;
}
export type MetodoPago = Clave;
export interface UsoCfdi extends Clave {
  aplicaFisica: boolean;
  aplicaMoral: boolean;
  /** c_RegimenFiscal values the receptor may have for this uso. */
  regimenesFiscalesReceptores: string[];
}
export interface RegimenFiscal extends Clave { aplicaFisica: boolean; aplicaMoral: boolean }
export interface Moneda extends Clave { decimales: number; porcentajeVariacion: number }
export interface Impuesto extends Clave { retencion: boolean; traslado: boolean; ambito: string }
export interface ReglaTasaCuota {
  /** 'Fijo': valor is the exact TasaOCuota; 'Rango': any value from minimo to valor. */
  tipo: string;
  minimo?: string;
  valor: string;
  /** Impuesto name as the SAT writes it ('IVA', 'IEPS', 'ISR', 'IVA Crédito aplicado del 50%'). */
  impuesto: string;
  factor: string;
  traslado: boolean;
  retencion: boolean;
  vigencia: Vigencia;
}
export type ObjetoImp = Clave;
export type Exportacion = Clave;
export interface TipoDeComprobante extends Clave { valorMaximo: string }
export type TipoRelacion = Clave;
export type Periodicidad = Clave;
export type Mes = Clave;
export interface ClaveUnidad extends Clave { simbolo?: string }
export interface TipoFactor { id: string; vigencia: Vigencia }
export interface Estado extends Clave { pais: string }
export interface Pais {
  id: string;
  texto: string;
  /** «Formato de Registro de Identidad Tributaria»: the NumRegIdTrib pattern (whole value); absent = any format. */
  patronIdentidadTributaria?: string;
}

/** c_ClaveProdServ entry (grandes.ts). */
export interface ClaveProdServ {
  id: string;
  descripcion: string;
  /** The clave may use the border IVA stimulus (the catalog's Estímulo Franja Fronteriza column, 01). */
  estimuloFranjaFronteriza: boolean;
  vigencia: Vigencia;
}
/** c_CodigoPostal entry (grandes.ts). */
export interface CodigoPostal {
  id: string;
  /** c_Estado clave, e.g. 'CHH'. */
  estado: string;
  /** c_Municipio clave; '' where the SAT's catalog leaves it blank (CPs reserved, not yet assigned). */
  municipio: string;
  /** c_Localidad clave, when the catalog gives one. */
  localidad?: string;
  /** IANA time zone of the CP's legal time (Ley de los Husos Horarios, 2022). */
  zonaHoraria: string;
  /** In the región fronteriza norte or sur of the estímulo fiscal decrees (IVA 8 %). */
  franjaFronteriza: boolean;
}
