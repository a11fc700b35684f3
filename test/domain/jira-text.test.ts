// Jira's rich text and story points, as Reckon reads them.
import { describe, it, expect } from 'vitest';
import { adfToText, MAX_DESCRIPTION_LENGTH } from '../../shared/domain/adf.js';
import { storyPointFieldIds, storyPointsOf } from '../../shared/domain/story-points.js';

const doc = (...content: object[]) => ({ type: 'doc', version: 1, content });
const p = (...content: object[]) => ({ type: 'paragraph', content });
const t = (text: string, marks?: object[]) => ({ type: 'text', text, marks });

describe('ADF to text', () => {
  it.each<[string, unknown, string]>([
    ['nothing', null, ''],
    ['a plain string', 'already text', 'already text'],
    ['paragraphs', doc(p(t('one')), p(t('two'))), 'one\n\ntwo'],
    ['a heading', doc({ type: 'heading', attrs: { level: 2 }, content: [t('Goal')] }), '## Goal'],
    ['an ordered list', doc({ type: 'orderedList', content: [{ type: 'listItem', content: [p(t('a'))] }, { type: 'listItem', content: [p(t('b'))] }] }), '1. a\n2. b'],
    ['a task list', doc({ type: 'taskList', content: [{ type: 'taskItem', attrs: { state: 'DONE' }, content: [t('done')] }, { type: 'taskItem', attrs: { state: 'TODO' }, content: [t('todo')] }] }), '- [x] done\n- [ ] todo'],
    ['a link', doc(p(t('docs', [{ type: 'link', attrs: { href: 'https://x.example' } }]))), 'docs (https://x.example)'],
    ['a quote', doc({ type: 'blockquote', content: [p(t('said'))] }), '> said'],
    ['a table', doc({ type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableHeader', content: [p(t('A'))] }, { type: 'tableCell', content: [p(t('B'))] }] }] }), '| A | B |'],
    ['an image', doc({ type: 'mediaSingle', content: [{ type: 'media', attrs: { id: 'x' } }] }), '[attachment]'],
    ['script-like text, kept as text', doc(p(t('<img src=x onerror=alert(1)>'))), '<img src=x onerror=alert(1)>'],
    ['an unknown node with text inside', doc({ type: 'futureThing', content: [p(t('still here'))] }), 'still here'],
  ])('renders %s', (_name, input, expected) => {
    expect(adfToText(input)).toBe(expected);
  });

  // A Forge event's `fields` and a Jira site's answers are data from outside: no shape of them may
  // throw (a 500 on the event, a sync that fails on that connection every run).
  it.each<[string, unknown, string]>([
    ['a heading of level -1', doc({ type: 'heading', attrs: { level: -1 }, content: [t('Goal')] }), '# Goal'],
    ['content that is a string', { type: 'doc', content: 'abc' }, ''],
    ['inline content that is an object', doc({ type: 'paragraph', content: { a: 1 } }), ''],
    ['a date that is not a number', doc(p({ type: 'date', attrs: { timestamp: 'soon' } })), ''],
    ['a date past what a Date holds', doc(p({ type: 'date', attrs: { timestamp: '9e20' } })), ''],
    ['null nodes', doc(null as unknown as object, p(t('kept'))), 'kept'],
    ['text that is not a string', doc(p({ type: 'text', text: 5 })), ''],
    ['marks that are not a list', doc(p({ type: 'text', text: 'a', marks: {} })), 'a'],
    ['a table row that is null', doc({ type: 'table', content: [null] }), ''],
    ['list items that are not nodes', doc({ type: 'bulletList', content: [7, 'x'] }), ''],
  ])('renders malformed ADF (%s) without throwing', (_name, input, expected) => {
    expect(adfToText(input)).toBe(expected);
  });

  it('renders 20,000 nested lists without overflowing the stack, and stops nesting past a sane depth', () => {
    let node: object = p(t('deepest'));
    for (let i = 0; i < 20_000; i++) node = { type: 'bulletList', content: [{ type: 'listItem', content: [node] }] };
    const text = adfToText(doc(node));
    expect(text.startsWith('- ')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
  });

  it('caps a huge description', () => {
    const text = adfToText(doc(p(t('x'.repeat(50_000)))));
    expect(text.length).toBe(MAX_DESCRIPTION_LENGTH);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('story points', () => {
  const fields = [
    { id: 'customfield_10016', name: 'Story point estimate', schema: { type: 'number', custom: 'com.pyxis.greenhopper.jira:jsw-story-points' } },
    { id: 'customfield_10028', name: 'Story Points', schema: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float' } },
    { id: 'customfield_10033', name: 'Original story points', schema: { type: 'number', custom: 'com.atlassian.jpo:jpo-custom-field-original-story-points' } },
    { id: 'customfield_10099', name: 'Story Points', schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' } },
  ];
  it('finds the team-managed and the company-managed fields, and nothing that only looks like them', () => {
    expect(storyPointFieldIds(fields)).toEqual(['customfield_10016', 'customfield_10028']);
  });
  it('reads the board\'s field first, then the first candidate with a number', () => {
    const issue = { customfield_10016: null, customfield_10028: 5, customfield_10057: 8 };
    expect(storyPointsOf(issue, ['customfield_10016', 'customfield_10028'])).toBe(5);
    expect(storyPointsOf(issue, ['customfield_10016', 'customfield_10028'], 'customfield_10057')).toBe(8);
    expect(storyPointsOf({ customfield_10016: '3' }, ['customfield_10016'])).toBeNull();
  });
});
