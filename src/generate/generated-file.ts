// One file the generator writes: both writers (v2.1, v3) return these, and only the generate
// command puts them on disk (or, with --check, compares them).
export interface GeneratedFile {
  /** Relative to the project root, with forward slashes. */
  path: string;
  content: string;
}
