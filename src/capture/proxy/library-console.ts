/**
 * http-mitm-proxy logs socket errors and certificate chatter with `console.error`/`console.debug`
 * on its own. The recorder's stdout/stderr belong to the user (and to the wrapped command), so
 * calls made from inside that library are dropped; `FLOWSCRIBE_DEBUG=1` lets them through.
 */
type ConsoleMethod = 'debug' | 'info' | 'log' | 'warn' | 'error';

const LIBRARY_PATH = /[\\/]http-mitm-proxy[\\/]/;
let installed = false;

function calledFromLibrary(): boolean {
  const stack = new Error().stack ?? '';
  // Frame 0 is this function, frame 1 the wrapper; anything deeper is the caller's chain.
  return LIBRARY_PATH.test(stack.split('\n').slice(3).join('\n'));
}

/** Installs the filter once per process; idempotent. */
export function silenceLibraryConsole(): void {
  if (installed || process.env.FLOWSCRIBE_DEBUG) return;
  installed = true;
  for (const method of ['debug', 'info', 'log', 'warn', 'error'] as ConsoleMethod[]) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      if (!calledFromLibrary()) original(...args);
    };
  }
}
