// The generator's pure writers: the same inputs give the same bytes, and a file the generator no
// longer writes is found.
import { describe, expect, it } from 'vitest';
import { generate } from '../../../src/generate/build.js';
import { orphanFiles } from '../../../src/generate/write-files.js';
import { readInputs } from '../../../src/generate/inputs.js';
import { yamlText } from '../../../src/generate/postman-v3.js';
import { v3FileName } from '../../../src/generate/names.js';
import { expectedGeneratedFiles } from '../../helpers/files.js';

describe('the writers', () => {
  it('write the same bytes twice, and every file the catalogue calls for', () => {
    const a = generate(readInputs());
    const b = generate(readInputs());
    expect(a.map((f) => f.path)).toEqual(b.map((f) => f.path));
    expect(a.every((f, i) => f.content === b[i]!.content)).toBe(true);
    expect(a.map((f) => f.path).sort()).toEqual(expectedGeneratedFiles());
  });

  it('name v3 files as Postman allows, and write multi-line text as literal blocks', () => {
    expect(v3FileName('Supplier: a/b')).toBe('Supplier- a-b');
    expect(yamlText({ code: 'a\nb', one: 'line' })).toBe('code: |-\n  a\n  b\none: line\n');
  });

  it('find the files in the generated trees that the generator does not write', () => {
    const files = [{ path: 'collections/a.json', content: '' }];
    expect(orphanFiles(files, ['collections/a.json', 'postman/collections/old/x.request.yaml'])).toEqual(['postman/collections/old/x.request.yaml']);
  });
});
