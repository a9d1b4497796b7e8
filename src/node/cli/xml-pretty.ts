/**
 * An indenting printer for display (decode): one element per line, two spaces per level. What it
 * changes is only white space between elements where an element holds elements alone; text is kept
 * exactly (an element with text beside elements is printed as it is, unindented inside), attribute
 * values too (escaped as XML requires: &, <, ", and tab/CR/LF as character references). A control
 * or bidirectional-formatting character, which would reorder or hide text on a terminal, is printed
 * as its character reference (&#x202E;), which is the same XML.
 */

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;
const PI = 7;
const COMMENT = 8;

/** The few DOM members the printer reads (xmldom's nodes have them; so has the browser's DOM). */
interface XmlNode {
  nodeType: number;
  childNodes: ArrayLike<XmlNode>;
  data?: string;
  target?: string;
  tagName?: string;
  attributes?: ArrayLike<{ name: string; value: string }>;
}

const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Makes invisible and reordering characters visible as character references. */
export function visibleXml(text: string): string {
  return text.replace(INVISIBLE, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`);
}

export function prettyXml(document: { childNodes: ArrayLike<XmlNode> }): string {
  const lines: string[] = [];
  for (const node of Array.from(document.childNodes)) printNode(node, 0, lines);
  return visibleXml(lines.join('\n'));
}

function printNode(node: XmlNode, depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  if (node.nodeType === ELEMENT) printElement(node, depth, lines);
  else if (node.nodeType === COMMENT) lines.push(`${indent}<!--${node.data ?? ''}-->`);
  else if (node.nodeType === PI) lines.push(`${indent}<?${node.target ?? ''} ${node.data ?? ''}?>`);
  else if (node.nodeType === CDATA) lines.push(`${indent}<![CDATA[${node.data ?? ''}]]>`);
  else if (node.nodeType === TEXT && (node.data ?? '').trim() !== '') lines.push(`${indent}${escapeText(node.data ?? '')}`);
}

function printElement(element: XmlNode, depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  const open = `<${element.tagName}${attributes(element)}`;
  const children = Array.from(element.childNodes);
  if (children.length === 0) {
    lines.push(`${indent}${open}/>`);
    return;
  }
  const isText = (n: XmlNode) => n.nodeType === TEXT || n.nodeType === CDATA;
  const significantText = children.some((n) => n.nodeType === CDATA || (n.nodeType === TEXT && (n.data ?? '').trim() !== ''));
  if (children.every(isText) || significantText) {
    // Text alone, or mixed content: printed exactly, on one line with the tags.
    lines.push(`${indent}${open}>${children.map(exact).join('')}</${element.tagName}>`);
    return;
  }
  lines.push(`${indent}${open}>`);
  for (const child of children) printNode(child, depth + 1, lines);
  lines.push(`${indent}</${element.tagName}>`);
}

/** The node as XML, unchanged. */
function exact(node: XmlNode): string {
  switch (node.nodeType) {
    case TEXT:
      return escapeText(node.data ?? '');
    case CDATA:
      return `<![CDATA[${node.data ?? ''}]]>`;
    case COMMENT:
      return `<!--${node.data ?? ''}-->`;
    case PI:
      return `<?${node.target ?? ''} ${node.data ?? ''}?>`;
    case ELEMENT: {
      const element = node;
      const children = Array.from(element.childNodes);
      const open = `<${element.tagName}${attributes(element)}`;
      return children.length === 0 ? `${open}/>` : `${open}>${children.map(exact).join('')}</${element.tagName}>`;
    }
    default:
      return '';
  }
}

function attributes(element: XmlNode): string {
  let out = '';
  for (const attribute of Array.from(element.attributes ?? [])) out += ` ${attribute.name}="${escapeAttribute(attribute.value)}"`;
  return out;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
}
