/** The README's configuration table is generated from the settings: this keeps it from drifting. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configTable } from '../../src/config/load-config.js';

describe('README', () => {
  it('holds the configuration table of every setting, as configTable() renders it', () => {
    const readme = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8');
    expect(readme).toContain(configTable().trim());
  });
});
