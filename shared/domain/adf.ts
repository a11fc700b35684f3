// Atlassian Document Format → plain text with light markdown (headings, lists, quotes, code),
// never HTML: Reckon shows descriptions from Jira as text, so nothing in them can run. The
// document comes from outside (a Jira site, a Forge event), so any JSON renders without throwing:
// what is not a node is skipped, and nesting past MAX_DEPTH is dropped (no stack overflow).
import { capText } from './text.js';

interface AdfNode { type?: unknown; text?: unknown; attrs?: Record<string, unknown>; content?: unknown; marks?: unknown }

export const MAX_DESCRIPTION_LENGTH = 10_000;
/** Deeper than any real description (Jira's editor nests lists a few levels). */
const MAX_DEPTH = 32;

const isNode = (x: unknown): x is AdfNode => typeof x === 'object' && x !== null && !Array.isArray(x);
/** The child nodes of a node: its `content` when that is a list, nodes only. */
const childrenOf = (n: AdfNode | undefined): AdfNode[] => (Array.isArray(n?.content) ? n.content.filter(isNode) : []);
const attr = (n: AdfNode, name: string): unknown => (isNode(n.attrs) ? n.attrs[name] : undefined);
const textOf = (x: unknown) => (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? String(x) : '');

function linkOf(n: AdfNode): string | undefined {
  if (!Array.isArray(n.marks)) return undefined;
  const href = n.marks.filter(isNode).find((m) => m.type === 'link')?.attrs?.href;
  return typeof href === 'string' ? href : undefined;
}

function dateOf(timestamp: unknown): string {
  const at = new Date(typeof timestamp === 'string' ? Number(timestamp) : NaN);
  return Number.isNaN(at.getTime()) ? '' : at.toISOString().slice(0, 10);
}

function inline(nodes: AdfNode[], depth: number): string {
  if (depth > MAX_DEPTH) return '';
  return nodes.map((n) => {
    switch (n.type) {
      case 'text': {
        const text = typeof n.text === 'string' ? n.text : '';
        const link = linkOf(n);
        return link !== undefined && link !== text ? `${text} (${link})` : text;
      }
      case 'hardBreak': return '\n';
      case 'mention': return textOf(attr(n, 'text') ?? '@someone');
      case 'emoji': return textOf(attr(n, 'text') ?? attr(n, 'shortName'));
      case 'inlineCard': return textOf(attr(n, 'url'));
      case 'date': return dateOf(attr(n, 'timestamp'));
      case 'status': return `[${textOf(attr(n, 'text'))}]`;
      default: return inline(childrenOf(n), depth + 1);
    }
  }).join('');
}

function headingLevel(n: AdfNode): number {
  const level = Math.trunc(Number(attr(n, 'level')));
  return Number.isFinite(level) ? Math.min(6, Math.max(1, level)) : 1;
}

function block(n: AdfNode, indent: string, depth: number): string[] {
  if (depth > MAX_DEPTH) return [];
  const children = childrenOf(n);
  const blocks = (of: AdfNode[], at = indent) => of.flatMap((c) => block(c, at, depth + 1));
  switch (n.type) {
    case 'paragraph': return [indent + inline(children, depth)];
    case 'heading': return [`${'#'.repeat(headingLevel(n))} ${inline(children, depth)}`];
    case 'bulletList': return children.flatMap((item) => listItem(item, `${indent}- `, indent, depth));
    case 'orderedList': return children.flatMap((item, i) => listItem(item, `${indent}${i + 1}. `, indent, depth));
    case 'taskList': return children.map((t) => `${indent}- [${attr(t, 'state') === 'DONE' ? 'x' : ' '}] ${inline(childrenOf(t), depth)}`);
    case 'blockquote': return blocks(children, '').map((l) => `> ${l}`);
    case 'codeBlock': return ['```', ...inline(children, depth).split('\n'), '```'];
    case 'rule': return ['---'];
    case 'panel': case 'expand': case 'nestedExpand': case 'layoutSection': case 'layoutColumn':
      return blocks(children);
    case 'table': return children.map((row) => `| ${childrenOf(row).map((cell) => blocks(childrenOf(cell), '').join(' ')).join(' | ')} |`);
    case 'mediaSingle': case 'mediaGroup': return ['[attachment]'];
    default: return Array.isArray(n.content) ? blocks(children) : typeof n.text === 'string' && n.text ? [n.text] : [];
  }
}

function listItem(item: AdfNode, bullet: string, indent: string, depth: number): string[] {
  const [first, ...rest] = childrenOf(item).flatMap((c) => (c.type === 'paragraph' ? block(c, '', depth + 1) : block(c, `${indent}  `, depth + 1)));
  return [`${bullet}${first ?? ''}`, ...rest];
}

/** The text of an ADF document (or a plain string, as some fields carry), capped in length. */
export function adfToText(doc: unknown): string {
  if (typeof doc === 'string') return capText(doc, MAX_DESCRIPTION_LENGTH);
  if (!isNode(doc)) return '';
  const text = childrenOf(doc).map((n) => block(n, '', 0).join('\n')).join('\n\n').replace(/\n{3,}/g, '\n\n').trim();
  return capText(text, MAX_DESCRIPTION_LENGTH, '…');
}
