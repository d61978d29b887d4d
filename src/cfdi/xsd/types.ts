/**
 * The shape of sat.generated.ts: the XSD subset the SAT's CFDI schemas use, flattened by scripts/gen-xsd.ts
 * so validate.ts needs no schema logic of its own. Element declarations sit in one array and refer to each
 * other by index; simple types are deduplicated into another.
 */

/** The primitive a simple type restricts (derived built-ins such as xs:short become facets on these). */
export type Primitive = 'string' | 'decimal' | 'integer' | 'date' | 'dateTime' | 'base64Binary' | 'anySimpleType';

/** A simple type with the facets of every restriction step down from its primitive. */
export interface SimpleType {
  base: Primitive;
  /** for strings, absent is preserve; every other primitive collapses unless it says preserve (see scripts/gen-xsd.ts) */
  whiteSpace?: 'preserve' | 'replace' | 'collapse';
  /** XSD regular expressions, one per restriction step (the value must match each) */
  pattern?: string[];
  enumeration?: string[];
  length?: number;
  minLength?: number;
  maxLength?: number;
  minInclusive?: string;
  maxInclusive?: string;
  minExclusive?: string;
  maxExclusive?: string;
  totalDigits?: number;
  fractionDigits?: number;
}

/** [simple type index, 1 if required (use="prohibited" ones are left out: they may not appear), fixed value] */
export type AttributeDecl = [type: number, required?: 0 | 1, fixed?: string];

/** min and max default to 1; max -1 is unbounded. */
interface Occurs {
  min?: number;
  max?: number;
}

/** A content model: an element declaration (by index), a sequence, a choice, or an xs:any wildcard of ##any. */
export type Particle =
  | (Occurs & { element: number })
  | (Occurs & { sequence: Particle[] })
  | (Occurs & { choice: Particle[] })
  | (Occurs & { any: 'strict' | 'lax' | 'skip' });

export interface ElementDecl {
  /** index into Schema.namespaces ('' for an unqualified element) */
  ns: number;
  name: string;
  /** unqualified attributes by local name */
  attributes?: Record<string, AttributeDecl>;
  /** element-only content; absent: empty (no children, no text) */
  content?: Particle;
}

export interface Schema {
  namespaces: string[];
  types: SimpleType[];
  elements: ElementDecl[];
  /** global element declarations: `{namespace}name` → index into elements */
  globals: Record<string, number>;
}
