// Standard output for the CLI, written synchronously so that a reader closing the pipe early
// (`pfnscope x --trace | head -1`) is seen at the very write that failed: the run then stops at
// once and ends quietly with exit 0, as cat or grep do, instead of computing the rest of the
// timeline and dying on an unhandled EPIPE from process.stdout's stream.

import { writeSync } from 'node:fs';

/** Thrown by writeStdout when the reader has gone; main() ends quietly on it. */
export class StdoutClosed extends Error {
  override name = 'StdoutClosed';
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Write all of s to fd 1; EPIPE becomes StdoutClosed, EAGAIN (a non-blocking pipe) waits and retries. */
export function writeStdout(s: string, fd = 1): void {
  const buf = Buffer.from(s, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') throw new StdoutClosed('stdout closed');
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
}
