// docs/api.md shows the permission table and each route's permission as the code has them.
import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { API_DOC, renderedApiDoc } from '../../scripts/permissions-doc.js';

describe('docs/api.md', () => {
  it('carries the current permission table and route permissions (npm run docs:permissions)', async () => {
    expect(fs.readFileSync(API_DOC, 'utf8')).toBe(await renderedApiDoc());
  });
});
