/**
 * The `ws` module as http-mitm-proxy uses it, loaded at the first WebSocket upgrade (issue 13:
 * ws is 14 files, and most recordings see no WebSocket; flowscribe relays them, unrecorded).
 *
 * The library uses ws in two ways: `listen()` attaches a `WebSocketServer` to its HTTP server (the
 * server's `upgrade`, `error` and `listening` events), and for each upgrade it opens a `WebSocket`
 * upstream and reads `WebSocket.OPEN`/`CLOSED`. The stand-in attaches to the server as ws does and
 * creates ws's own server (in its no-server mode) at the first upgrade; everything else the
 * library reads is ws's, loaded then.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** The part of ws's server the stand-in calls (no type definitions of ws are installed). */
interface WsServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, done: (socket: unknown, req: IncomingMessage) => void): void;
}

export type WsModule = Record<PropertyKey, unknown> & {
  WebSocketServer: new (options: Record<string, unknown>) => WsServer;
};

/** ws's `WebSocketServer({ server, ...options })`, without ws until a client asks for an upgrade. */
function attachingServer(load: () => WsModule) {
  return class WebSocketServerOnUpgrade extends EventEmitter {
    private real: WsServer | null = null;

    constructor({ server, ...options }: { server: Server } & Record<string, unknown>) {
      super();
      // The events ws's server-mode listens to, passed on as it passes them.
      server.on('listening', (...args: unknown[]) => this.emit('listening', ...args));
      server.on('error', (...args: unknown[]) => this.emit('error', ...args));
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        this.real ??= new (load().WebSocketServer)({ ...options, noServer: true });
        this.real.handleUpgrade(req, socket, head, (ws, request) => this.emit('connection', ws, request));
      });
    }
  };
}

/**
 * The module's stand-in: ws's export is its `WebSocket` class with the rest as properties. Only
 * `WebSocketServer` is enumerable, so that TypeScript's import helper, which copies the module's
 * enumerable keys when the library loads, loads nothing.
 */
export function websocketStandIn(load: () => WsModule): object {
  const target = function WebSocket() {} as unknown as Record<PropertyKey, unknown>;
  target.WebSocketServer = attachingServer(load);
  return new Proxy(target, {
    get: (t, key) => (key === 'WebSocketServer' ? t[key] : key === '__esModule' ? undefined : load()[key]),
    construct: (_, args: unknown[]) => Reflect.construct(load() as unknown as new (...a: unknown[]) => object, args),
  });
}
