// The CI templates a department copies (docs/ci/): each installs this package pinned to one
// version, as GDX_PACKAGE's default. The version's one home is package.json: `generate` writes
// it into the templates, and `generate --check` fails when one still pins another. Pure.
import type { GeneratedFile } from './generated-file.js';

export const CI_TEMPLATES = ['docs/ci/azure-pipelines.yml', 'docs/ci/github-actions.yml', 'docs/ci/gitlab-ci.yml'] as const;

/** Every `name@version` pin in a template's text, set to `version`. */
export function pinnedTemplate(text: string, name: string, version: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`${escaped}@[0-9A-Za-z.+-]+`, 'g'), `${name}@${version}`);
}

/** The templates as `read` finds them, pinned to `version`; a template that is not there is left out. */
export function pinnedTemplates(read: (path: string) => string | null, name: string, version: string): GeneratedFile[] {
  return CI_TEMPLATES.flatMap((path) => {
    const text = read(path);
    return text === null ? [] : [{ path, content: pinnedTemplate(text, name, version) }];
  });
}
