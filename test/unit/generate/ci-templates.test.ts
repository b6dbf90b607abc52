import { describe, expect, it } from 'vitest';
import { pinnedTemplate, pinnedTemplates } from '../../../src/generate/ci-templates.js';

describe('the CI templates, pinned to one version', () => {
  it('sets every pin of this package, quoted or not, and no other package', () => {
    const text = [
      '    GDX_PACKAGE: gdx-data-share-postman@0.0.9',
      '    - npm install "${GDX_PACKAGE:-gdx-data-share-postman@0.0.9-rc.1}"',
      '    - npx newman@6.2.1 run',
      '    - echo gdx-data-share-postman-0.0.9.tgz',
    ].join('\n');
    expect(pinnedTemplate(text, 'gdx-data-share-postman', '1.2.3')).toBe(
      [
        '    GDX_PACKAGE: gdx-data-share-postman@1.2.3',
        '    - npm install "${GDX_PACKAGE:-gdx-data-share-postman@1.2.3}"',
        '    - npx newman@6.2.1 run',
        '    - echo gdx-data-share-postman-0.0.9.tgz',
      ].join('\n'),
    );
  });

  it('leaves out a template the folder does not hold', () => {
    const files = pinnedTemplates((path) => (path === 'docs/ci/gitlab-ci.yml' ? 'x: gdx-data-share-postman@0.1.0\n' : null), 'gdx-data-share-postman', '0.2.0');
    expect(files).toEqual([{ path: 'docs/ci/gitlab-ci.yml', content: 'x: gdx-data-share-postman@0.2.0\n' }]);
  });
});
