// Atlassian Document Format → plain text with light markdown (headings, lists, quotes, code),
// never HTML: Reckon shows descriptions from Jira as text, so nothing in them can run.
import { capText } from './text.js';

interface AdfNode { type?: string; text?: string; attrs?: Record<string, unknown>; content?: AdfNode[]; marks?: { type?: string; attrs?: Record<string, unknown> }[] }

export const MAX_DESCRIPTION_LENGTH = 10_000;

function inline(nodes: AdfNode[] | undefined): string {
  return (nodes ?? []).map((n) => {
    switch (n.type) {
      case 'text': {
        const link = n.marks?.find((m) => m.type === 'link')?.attrs?.href;
        const text = n.text ?? '';
        return typeof link === 'string' && link !== text ? `${text} (${link})` : text;
      }
      case 'hardBreak': return '\n';
      case 'mention': return String(n.attrs?.text ?? '@someone');
      case 'emoji': return String(n.attrs?.text ?? n.attrs?.shortName ?? '');
      case 'inlineCard': return String(n.attrs?.url ?? '');
      case 'date': return typeof n.attrs?.timestamp === 'string' ? new Date(Number(n.attrs.timestamp)).toISOString().slice(0, 10) : '';
      case 'status': return `[${String(n.attrs?.text ?? '')}]`;
      default: return inline(n.content);
    }
  }).join('');
}

function block(n: AdfNode, indent = ''): string[] {
  switch (n.type) {
    case 'paragraph': return [indent + inline(n.content)];
    case 'heading': return [`${'#'.repeat(Math.min(6, Number(n.attrs?.level ?? 1)))} ${inline(n.content)}`];
    case 'bulletList': return (n.content ?? []).flatMap((item) => listItem(item, `${indent}- `, indent));
    case 'orderedList': return (n.content ?? []).flatMap((item, i) => listItem(item, `${indent}${i + 1}. `, indent));
    case 'taskList': return (n.content ?? []).map((t) => `${indent}- [${t.attrs?.state === 'DONE' ? 'x' : ' '}] ${inline(t.content)}`);
    case 'blockquote': return (n.content ?? []).flatMap((c) => block(c)).map((l) => `> ${l}`);
    case 'codeBlock': return ['```', ...inline(n.content).split('\n'), '```'];
    case 'rule': return ['---'];
    case 'panel': case 'expand': case 'nestedExpand': case 'layoutSection': case 'layoutColumn':
      return (n.content ?? []).flatMap((c) => block(c, indent));
    case 'table': return (n.content ?? []).map((row) => `| ${(row.content ?? []).map((cell) => (cell.content ?? []).flatMap((c) => block(c)).join(' ')).join(' | ')} |`);
    case 'mediaSingle': case 'mediaGroup': return ['[attachment]'];
    default: return n.content ? (n.content ?? []).flatMap((c) => block(c, indent)) : n.text ? [n.text] : [];
  }
}

function listItem(item: AdfNode, bullet: string, indent: string): string[] {
  const [first, ...rest] = (item.content ?? []).flatMap((c) => (c.type === 'paragraph' ? block(c) : block(c, `${indent}  `)));
  return [`${bullet}${first ?? ''}`, ...rest];
}

/** The text of an ADF document (or a plain string, as some fields carry), capped in length. */
export function adfToText(doc: unknown): string {
  if (doc === null || doc === undefined) return '';
  if (typeof doc === 'string') return capText(doc, MAX_DESCRIPTION_LENGTH);
  const root = doc as AdfNode;
  const text = (root.content ?? []).map((n) => block(n).join('\n')).join('\n\n').replace(/\n{3,}/g, '\n\n').trim();
  return capText(text, MAX_DESCRIPTION_LENGTH, '…');
}
