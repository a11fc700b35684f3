// When the app writes Reckon's estimate into Jira: only into an empty field or over its own
// previous estimate — a value a human typed is never overwritten.
import { describe, it, expect } from 'vitest';
import { decideWrite, jiraMessage } from '../src/decide.js';

describe('deciding a write-back', () => {
  it.each([
    ['an empty field', null, null, '8', { action: 'write', value: 8 }],
    ['a field holding the previous Reckon estimate', 5, '5', '8', { action: 'write', value: 8 }],
    ['a field a human changed', 3, '5', '8', { action: 'skip' }],
    ['a field a human filled before Reckon ever wrote', 3, null, '8', { action: 'skip' }],
    ['a field already holding the estimate', 8, null, '8', { action: 'already' }],
    ['a half point', null, null, '0.5', { action: 'write', value: 0.5 }],
    ['zero (not the same as empty)', null, null, '0', { action: 'write', value: 0 }],
    ['a field holding the previous estimate written as "5.0"', 5, '5.0', '8', { action: 'write', value: 8 }],
    ['a field holding zero a human typed', 0, '5', '8', { action: 'skip' }],
    ['a field holding the text "5", not a number (never assumed to be ours)', '5', '5', '8', { action: 'skip' }],
    ['a field holding 8 as text when the estimate is 8', '8', null, '8', { action: 'skip' }],
  ])('%s', (_name, current, last, estimate, want) => {
    expect(decideWrite(current, last, estimate)).toEqual(want);
  });

  it.each(['0x10', '0b11', '1e3', 'Infinity', '+5'])('does not read the free value %j as some other number (what the room shows is what Jira gets)', (estimate) => {
    expect(decideWrite(null, null, estimate)).toMatchObject({ action: 'invalid' });
  });

  it.each(['?', '☕', 'XL', '', '-1'])('refuses to write the non-number %j', (estimate) => {
    expect(decideWrite(null, null, estimate)).toMatchObject({ action: 'invalid' });
  });

  it("quotes Jira's own words, or the status when it gave none", () => {
    expect(jiraMessage(400, { errorMessages: ['Issue does not exist'], errors: { customfield_10028: 'Not on screen.' } })).toBe('Issue does not exist Not on screen.');
    expect(jiraMessage(503, undefined)).toBe('Jira answered 503.');
  });
});
