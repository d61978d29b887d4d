// XSD regular expressions (XML Schema 1.0 Part 2, Appendix F) as JS RegExps with the same meaning: anchored at
// both ends (an XSD pattern matches the whole value), `^` and `$` literal, `.` anything but CR and LF, `\d` every
// Unicode decimal digit, `\s` only the four XML spaces, `\w` everything but punctuation, separators and others,
// and code points (the `u` flag) as the unit quantifiers count. Unsupported constructs (character class
// subtraction, Unicode block escapes, \i and \c) throw rather than match something else.

const SINGLE = 'nrt\\|.?*+(){}-[]^';
const CONTROL: Record<string, string> = { n: '\n', r: '\r', t: '\t' };
const CATEGORY = /^(?:[LMNPZSC]|Lu|Ll|Lt|Lm|Lo|Mn|Mc|Me|Nd|Nl|No|Pc|Pd|Ps|Pe|Pi|Pf|Po|Zs|Zl|Zp|Sm|Sc|Sk|So|Cc|Cf|Co|Cn)$/;

const literal = (ch: string) => (/^[0-9A-Za-z]$/.test(ch) ? ch : `\\u{${ch.codePointAt(0)!.toString(16)}}`);

// multi-character escapes: as a whole atom, and (where a class can hold them) as class members
const ATOM: Record<string, string> = {
  d: '\\p{Nd}',
  D: '\\P{Nd}',
  s: '[\\u{20}\\u{9}\\u{a}\\u{d}]',
  S: '[^\\u{20}\\u{9}\\u{a}\\u{d}]',
  w: '[^\\p{P}\\p{Z}\\p{C}]',
  W: '[\\p{P}\\p{Z}\\p{C}]',
};
const MEMBER: Record<string, string> = { d: '\\p{Nd}', D: '\\P{Nd}', s: '\\u{20}\\u{9}\\u{a}\\u{d}', W: '\\p{P}\\p{Z}\\p{C}' };

export function xsdRegExp(pattern: string): RegExp {
  const cps = [...pattern];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`patrón XSD no soportado (${why}): ${pattern}`);
  };

  /** After a backslash: a JS fragment for the escape, `inClass` deciding which forms are allowed. */
  const escape = (inClass: boolean): string => {
    const c = cps[i++] ?? fail('"\\" al final');
    if (SINGLE.includes(c)) return literal(CONTROL[c] ?? c);
    if (c === 'p' || c === 'P') {
      if (cps[i] !== '{') fail(`\\${c} sin {`);
      const end = cps.indexOf('}', i);
      const name = cps.slice(i + 1, end).join('');
      if (end < 0 || !CATEGORY.test(name)) fail(`\\${c}{${name}}`);
      i = end + 1;
      return `\\${c}{${name}}`;
    }
    const multi = (inClass ? MEMBER : ATOM)[c];
    return multi ?? fail(`\\${c}${inClass ? ' dentro de [...]' : ''}`);
  };

  /** One member of a class: its JS fragment, and whether it is a single character (may bound a range). */
  const member = (): [string, boolean] => {
    const c = cps[i++];
    if (c !== '\\') return [literal(c), true];
    const single = SINGLE.includes(cps[i]);
    return [escape(true), single];
  };

  /** A character class after its '[': members, ranges, negation. */
  const charClass = (): string => {
    let out = '[';
    if (cps[i] === '^') {
      out += '^';
      i++;
    }
    for (let first = true; ; first = false) {
      const c = cps[i] ?? fail('"[" sin cerrar');
      if (c === ']') {
        if (first) fail('clase vacía');
        i++;
        return `${out}]`;
      }
      if (c === '[' || (c === '-' && cps[i + 1] === '[')) fail('resta de clases');
      const [from, single] = member();
      // a range when '-' stands between two members ('-' before ']' is a literal)
      if (cps[i] === '-' && cps[i + 1] !== ']' && cps[i + 1] !== undefined) {
        i++;
        if (cps[i] === '[') fail('resta de clases');
        const [to, singleTo] = member();
        if (!single || !singleTo) fail('rango con un escape múltiple');
        out += `${from}-${to}`;
      } else out += from;
    }
  };

  let body = '';
  while (i < cps.length) {
    const c = cps[i++];
    if (c === '\\') body += escape(false);
    else if (c === '[') body += charClass();
    else if (c === '.') body += '[^\\n\\r]';
    else if (c === '(') body += '(?:';
    else if (c === ')' || c === '|' || c === '?' || c === '*' || c === '+') body += c;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(cps.slice(i - 1, i + 24).join('')) ?? fail('cuantificador');
      body += m[0];
      i += m[0].length - 1;
    } else if (c === ']' || c === '}') fail(`"${c}" sin abrir`);
    else body += literal(c);
  }
  return new RegExp(`^(?:${body})$`, 'u');
}
