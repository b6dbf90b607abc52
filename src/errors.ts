/** The exit codes every command shares; the README's table lists them. */
export const EXIT = {
  ok: 0,
  /** An assertion or schema check failed. */
  failed: 1,
  /** Usage or configuration: unknown environment, missing credentials, a malformed file. */
  usage: 2,
  /** No token, or a host could not be reached. */
  unreachable: 3,
  /** A bug in this tool (EX_SOFTWARE): not the user's input, not the service's answer. */
  internal: 70,
  /** Stopped by SIGINT (Ctrl-C) or SIGTERM: 128 + the signal's number, as shells report it. */
  interrupted: 130,
  terminated: 143,
} as const;

/** An error meant for the user: one line that says what to do, and the exit code to end with. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The code of a Node error (ENOENT, ECONNREFUSED, ...), if it has one. */
export function codeOf(e: unknown): string | undefined {
  return e !== null && typeof e === 'object' && typeof (e as NodeJS.ErrnoException).code === 'string' ? (e as NodeJS.ErrnoException).code : undefined;
}

/** What a file error code means, in words. */
export function describeFileError(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return code ?? 'an unknown error';
  }
}
