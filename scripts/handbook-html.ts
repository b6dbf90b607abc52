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

/** Which shell a code block is for, in words a sighted reader sees above it. */
const SHELLS: Record<string, string> = {
  sh: 'In a shell (bash, zsh, Git Bash):',
  powershell: 'In PowerShell (Windows):',
};

type Md = InstanceType<typeof MarkdownIt>;

interface Heading {
  level: number;
  id: string;
  text: string;
}

/** The contents list the page opens with: every section and subsection, linked. */
function contents(headings: readonly Heading[], escape: (text: string) => string): string {
  const items: string[] = [];
  let open = false;
  for (const h of headings) {
    const link = `<a class="govuk-link" href="#${h.id}">${escape(h.text)}</a>`;
    if (h.level === 2) {
      if (open) items.push('</ul></li>');
      items.push(`<li>${link}<ul class="govuk-list gdx-contents-sub">`);
      open = true;
    } else if (open) {
      items.push(`<li>${link}</li>`);
    }
  }
  if (open) items.push('</ul></li>');
  return `<nav class="gdx-contents" aria-labelledby="contents-title"><h2 class="govuk-heading-m" id="contents-title">Contents</h2><ul class="govuk-list">${items.join('')}</ul></nav>\n`;
}

/** Gives each element its GOV.UK class and each heading its id (collected for the contents list),
 * each table cell its column's name, and drops links to files the page does not travel with. */
function govukTokens(md: Md, headings: Heading[]): void {
  md.core.ruler.push('govuk', (state) => {
    const seen = new Map<string, number>();
    // Each cell carries its column's header, which a narrow screen shows above it.
    let columns: string[] = [];
    let column = 0;
    state.tokens.forEach((token, i) => {
      if (token.nesting === 1 && CLASSES[token.tag]) token.attrJoin('class', CLASSES[token.tag]!);
      if (token.type === 'heading_open') {
        const text = state.tokens[i + 1]!.content;
        const id = slug(text, seen);
        token.attrSet('id', id);
        const level = Number(token.tag.slice(1));
        if (level === 2 || level === 3) headings.push({ level, id, text: text.replace(/`/g, '') });
      }
      if (token.type === 'thead_open') columns = [];
      if (token.type === 'tr_open') column = 0;
      if (token.type === 'th_open') columns.push(state.tokens[i + 1]!.content.replace(/`/g, ''));
      if (token.type === 'td_open') token.attrSet('data-label', columns[column++] ?? '');
      // Stacked by CSS on a narrow screen, the table keeps its meaning for a screen reader.
      const role = { thead_open: 'rowgroup', tbody_open: 'rowgroup', tr_open: 'row', th_open: 'columnheader', td_open: 'cell' }[token.type];
      if (role) token.attrSet('role', role);
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
}

/** Links, tables and code blocks as the page renders them. */
function renderers(md: Md): void {
  for (const rule of ['link_open', 'link_close'] as const) {
    md.renderer.rules[rule] = (tokens, idx, options, _env, self) =>
      (tokens[idx]!.meta as { drop?: boolean } | null)?.drop ? '' : self.renderToken(tokens, idx, options);
  }
  // A table scrolls on its own on a narrow screen instead of widening the page; a code block too.
  md.renderer.rules['table_open'] = () => '<div class="gdx-scroll" tabindex="0" role="region" aria-label="Table"><table class="govuk-table" role="table">\n';
  md.renderer.rules['table_close'] = () => '</table></div>\n';
  let blocks = 0;
  md.renderer.rules['fence'] = (tokens, idx) => {
    const token = tokens[idx]!;
    const lang = token.info.trim().split(/\s+/)[0] ?? '';
    const label = SHELLS[lang] ?? 'Text:';
    const id = `code-${++blocks}`;
    return `<p class="govuk-body-s gdx-code-label" id="${id}">${label}</p>\n<pre class="gdx-code" tabindex="0" aria-labelledby="${id}"><code>${md.utils.escapeHtml(token.content)}</code></pre>\n`;
  };
}

/** The page's own styles, beside GOV.UK Frontend's. */
const OWN_CSS = [
  '.gdx-scroll{overflow-x:auto;margin-bottom:30px}',
  '.gdx-scroll .govuk-table{margin-bottom:0}',
  // Long commands wrap instead of scrolling sideways; a copy still gives the line as written.
  '.gdx-code{white-space:pre-wrap;overflow-wrap:anywhere;padding:15px;background:#f3f2f1;border:1px solid #b1b4b6;font-size:16px;line-height:1.4;margin:0 0 20px}',
  '.gdx-code-label{margin:0 0 5px;font-weight:700}',
  // The header without GOV.UK's logo and font: a bar of readable height, its name in large type.
  '.govuk-header{padding:10px 0 15px}',
  '.govuk-header__service-name{display:inline-block;font-size:24px;line-height:1.25;font-weight:700;color:#fff;padding-top:10px}',
  '.gdx-contents{margin-bottom:40px}',
  '.gdx-contents-sub{margin:5px 0 10px 20px}',
  // On a narrow screen a table's rows stack: each cell under its column's header, full width.
  '@media (max-width:40.0625em){.gdx-scroll table,.gdx-scroll tbody,.gdx-scroll tr,.gdx-scroll td{display:block;width:auto}' +
    '.gdx-scroll thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}' +
    '.gdx-scroll tr{border-bottom:1px solid #b1b4b6;padding:10px 0}.gdx-scroll td{border:0;padding:2px 0}' +
    '.gdx-scroll td::before{content:attr(data-label);display:block;font-weight:700}}',
  ':not(pre)>code{font-size:0.9em;background:#f3f2f1;padding:0 3px;overflow-wrap:anywhere}',
  '.gdx-code:focus,.gdx-scroll:focus{outline:3px solid #fd0;outline-offset:0}',
].join('');

export function handbookHtml(markdown: string, css: string, version: string): string {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  const headings: Heading[] = [];
  govukTokens(md, headings);
  renderers(md);
  const rendered = md.render(markdown);
  // The contents list goes right under the title.
  const body = rendered.replace(/(<\/h1>\n)/, `$1${contents(headings, md.utils.escapeHtml)}`);
  const title = /^# (.*)$/m.exec(markdown)?.[1] ?? 'Tester’s handbook';
  return `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${md.utils.escapeHtml(title)}: gdx-data-share-postman ${md.utils.escapeHtml(version)}</title>
<style>${css}${OWN_CSS}</style>
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header" role="banner"><div class="govuk-header__container govuk-width-container"><span class="govuk-header__link govuk-header__service-name">GDX Data Share: connection tests</span></div></header>
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content" role="main">
${body}</main>
</div>
<footer class="govuk-footer" role="contentinfo"><div class="govuk-width-container"><p class="govuk-body-s">gdx-data-share-postman ${md.utils.escapeHtml(version)}: the tester's handbook, as one page that reads offline.</p></div></footer>
</body>
</html>
`;
}
