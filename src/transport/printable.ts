// A value that came from the network (a certificate's names, a server's message, a header, a
// Location host), made safe to print: control characters, newlines and the terminal's escape
// character are written as escapes, so that no server can add a line of its own ("ok TLS ...") or
// move the cursor in what a tester pastes to the GDX team.
// C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printable(value: string): string {
  return value.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`);
  });
}

// The same, keeping the newlines and tabs of a text that is meant to have several lines.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_IN_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Text the runner itself laid out in lines (a table, a report), with whatever reached it from the
 * network: every control character but newline and tab escaped, the terminal's ESC among them. */
export function printableLines(text: string): string {
  return text.replace(UNPRINTABLE_IN_LINES, (c) => printable(c));
}
