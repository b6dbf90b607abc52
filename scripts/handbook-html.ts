// The tester's handbook as one self-contained HTML page, for the release's zip: GOV.UK Frontend's
// styles inlined (without its font and images, which are for gov.uk domains and would be fetched
// from the network), each element given the GOV.UK class it would have on a service's page, and
// nothing loaded from anywhere. Pure: release.ts reads the files and writes the page.
import MarkdownIt from 'markdown-it';

const CLASSES: Record<string, string> = {
  h1: 'govuk-heading-xl',
  h2: 'govuk-heading-l',
  h3: 'govuk-heading-m',
  h4: 'govuk-heading-s',
  p: 'govuk-body',
  ul: 'govuk-list govuk-list--bullet',
  ol: 'govuk-list govuk-list--number',
  table: 'govuk-table',
  thead: 'govuk-table__head',
  tbody: 'govuk-table__body',
  tr: 'govuk-table__row',
  th: 'govuk-table__header',
  td: 'govuk-table__cell',
  a: 'govuk-link',
  hr: 'govuk-section-break govuk-section-break--l govuk-section-break--visible',
};

/** GitHub's heading ids, so that "section 7" has an address in the page as on GitHub. */
function slug(text: string, seen: Map<string, number>): string {
  const base = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  return n ? `${base}-${n}` : base;
}

/** govuk-frontend's CSS without what would reach the network: @font-face rules and url()s. */
export function offlineCss(css: string): string {
  return css.replace(/@font-face\{[^}]*\}/g, '').replace(/url\([^)]*\)/g, 'none');
}

export function handbookHtml(markdown: string, css: string, version: string): string {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.core.ruler.push('govuk', (state) => {
    const seen = new Map<string, number>();
    state.tokens.forEach((token, i) => {
      if (token.nesting === 1 && CLASSES[token.tag]) token.attrJoin('class', CLASSES[token.tag]!);
      if (token.type === 'heading_open') token.attrSet('id', slug(state.tokens[i + 1]!.content, seen));
      // A link to another file of the project (the README, the GDX guide) has no target in a page
      // that travels alone: its words stay, the link goes.
      let dropping = false;
      for (const child of token.children ?? []) {
        if (child.type === 'link_open') {
          const href = String(child.attrGet('href') ?? '');
          dropping = !/^(#|https?:|mailto:)/.test(href);
          if (dropping) child.meta = { drop: true };
          else child.attrJoin('class', 'govuk-link');
        } else if (child.type === 'link_close' && dropping) {
          child.meta = { drop: true };
          dropping = false;
        }
      }
    });
  });
  for (const rule of ['link_open', 'link_close'] as const) {
    md.renderer.rules[rule] = (tokens, idx, options, _env, self) =>
      (tokens[idx]!.meta as { drop?: boolean } | null)?.drop ? '' : self.renderToken(tokens, idx, options);
  }
  // A table scrolls on its own on a narrow screen instead of widening the page; a code block too.
  md.renderer.rules['table_open'] = () => '<div class="gdx-scroll" tabindex="0" role="region" aria-label="Table"><table class="govuk-table">\n';
  md.renderer.rules['table_close'] = () => '</table></div>\n';
  md.renderer.rules['fence'] = (tokens, idx) => {
    const token = tokens[idx]!;
    const lang = token.info.trim().split(/\s+/)[0] ?? '';
    return `<pre class="gdx-code" tabindex="0" aria-label="${lang ? `${md.utils.escapeHtml(lang)} ` : ''}commands"><code>${md.utils.escapeHtml(token.content)}</code></pre>\n`;
  };
  const body = md.render(markdown);
  const title = /^# (.*)$/m.exec(markdown)?.[1] ?? 'Tester’s handbook';
  const own = [
    '.gdx-scroll{overflow-x:auto;margin-bottom:30px}',
    '.gdx-scroll .govuk-table{margin-bottom:0}',
    '.gdx-code{overflow-x:auto;padding:15px;background:#f3f2f1;border:1px solid #b1b4b6;font-size:16px;line-height:1.4;margin:0 0 20px}',
    ':not(pre)>code{font-size:0.9em;background:#f3f2f1;padding:0 3px;overflow-wrap:anywhere}',
    '.gdx-code:focus,.gdx-scroll:focus{outline:3px solid #fd0;outline-offset:0}',
  ].join('');
  return `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${md.utils.escapeHtml(title)}: gdx-data-share-postman ${md.utils.escapeHtml(version)}</title>
<style>${css}${own}</style>
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header" role="banner"><div class="govuk-header__container govuk-width-container"><span class="govuk-header__link govuk-header__service-name">GDX Data Share: connection tests</span></div></header>
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content" role="main">
${body}</main>
</div>
<footer class="govuk-footer" role="contentinfo"><div class="govuk-width-container"><p class="govuk-body-s">gdx-data-share-postman ${md.utils.escapeHtml(version)}: the tester's handbook (docs/testers.md), as one page that reads offline.</p></div></footer>
</body>
</html>
`;
}
