// A small strict XML 1.0 reader for tests: elements, attributes, text, character references. Throws on
// anything not well-formed (unmatched tags, bad attributes, raw '<' or '&', characters XML forbids).
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME = /^[A-Za-z_][\w.-]*/;

function decode(s: string, at: number): string {
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s)) throw new Error(`bad '&' near offset ${at}`);
  if (s.includes('<')) throw new Error(`raw '<' near offset ${at}`);
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const cp = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    const ch = String.fromCodePoint(cp);
    if (ILLEGAL.test(ch)) throw new Error(`character reference to an illegal character near offset ${at}`);
    return ch;
  });
}

export function parseXml(xml: string): XmlElement {
  const bad = ILLEGAL.exec(xml);
  if (bad) throw new Error(`illegal character U+${bad[0].codePointAt(0)!.toString(16)} at offset ${bad.index}`);
  let p = 0;
  if (xml.startsWith('<?xml')) {
    p = xml.indexOf('?>');
    if (p < 0) throw new Error('unterminated XML declaration');
    p += 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (p < xml.length) {
    const lt = xml.indexOf('<', p);
    const text = xml.slice(p, lt < 0 ? xml.length : lt);
    if (stack.length) stack[stack.length - 1].text += decode(text, p);
    else if (text.trim()) throw new Error(`text outside the root element at ${p}`);
    if (lt < 0) break;
    p = lt + 1;
    if (xml[p] === '/') {
      const m = NAME.exec(xml.slice(p + 1));
      if (!m) throw new Error(`bad end tag at ${p}`);
      const top = stack.pop();
      if (!top || top.name !== m[0]) throw new Error(`end tag </${m[0]}> does not match <${top?.name}> at ${p}`);
      p += 1 + m[0].length;
      while (xml[p] === ' ') p++;
      if (xml[p] !== '>') throw new Error(`bad end tag at ${p}`);
      p++;
      continue;
    }
    const m = NAME.exec(xml.slice(p));
    if (!m) throw new Error(`bad start tag at ${p}`);
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    if (stack.length) stack[stack.length - 1].children.push(el);
    else if (root) throw new Error('more than one root element');
    else root = el;
    p += m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(p))![0].length;
      p += ws;
      if (xml.startsWith('/>', p)) { p += 2; break; }
      if (xml[p] === '>') { p++; stack.push(el); break; }
      if (!ws) throw new Error(`attributes must be separated by space at ${p}`);
      const a = /^([A-Za-z_][\w.:-]*)="([^"]*)"/.exec(xml.slice(p));
      if (!a) throw new Error(`bad attribute at ${p}: ${xml.slice(p, p + 30)}`);
      if (a[1] in el.attrs) throw new Error(`duplicate attribute ${a[1]} at ${p}`);
      el.attrs[a[1]] = decode(a[2], p);
      p += a[0].length;
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every descendant element with this name, in document order. */
export function all(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.name === name) out.push(c);
    out.push(...all(c, name));
  }
  return out;
}
