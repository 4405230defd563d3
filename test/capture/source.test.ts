import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { createSourceResolver } from '../../src/capture/attribution/source.js';
import {
  addressBytes,
  findSocketInode,
  findSocketOwner,
  processTree,
  procLocations,
  readProcess,
} from '../../src/capture/attribution/socket-owner.js';
import type { ConnectionInfo } from '../../src/capture/recorder-types.js';

const PYTHON = '/usr/bin/python3';
// Connects, says "ready", then holds the connection until its stdin closes.
const CLIENT = 'import socket,sys\ns=socket.create_connection((sys.argv[1], int(sys.argv[2])))\nprint("ready", flush=True)\nsys.stdin.read()\n';

interface Connected {
  server: Server;
  socket: Socket;
  child: ChildProcess;
  connection: ConnectionInfo;
}

// Connects, prints its own port and the pid of a child that keeps the connection open for 20 s, and exits.
const HOLDER = `import os, socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
pid = os.fork()
if pid:
    print(s.getsockname()[1], pid, flush=True)
    os._exit(0)
fd = os.open(os.devnull, os.O_RDWR)
for std in (0, 1, 2): os.dup2(fd, std)
time.sleep(20)
`;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A real server on `host`, and a real client process (`argv`) connected to it. */
async function connect(host: string, argv: (port: number) => string[]): Promise<Connected> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const [cmd, ...args] = argv(port);
  const child = spawn(cmd ?? PYTHON, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const [socket] = await accepted;
  await once(child.stdout!, 'data');
  cleanups.push(() => {
    child.stdin?.end();
    socket.destroy();
    server.close();
  });
  const connection: ConnectionInfo = {
    listenerLabel: 'default',
    remoteAddress: socket.remoteAddress ?? '',
    remotePort: socket.remotePort ?? 0,
    localPort: port,
    userAgent: 'curl/7.88.1',
    identity: socket,
  };
  return { server, socket, child, connection };
}

describe('createSourceResolver', () => {
  it('names the process owning the client socket (IPv4), as the client when it is the command', async () => {
    const { child, connection } = await connect('127.0.0.1', (port) => [PYTHON, '-c', CLIENT, '127.0.0.1', String(port)]);
    const resolve = createSourceResolver({ clientPid: () => child.pid ?? null });
    expect(resolve(connection)).toEqual({
      kind: 'process',
      isClient: true,
      pid: child.pid,
      comm: 'python3',
      cmdline: [PYTHON, '-c', CLIENT, '127.0.0.1', String(connection.localPort)],
    });
  });

  it('finds IPv6 clients through /proc/net/tcp6', async () => {
    const { child, connection } = await connect('::1', (port) => [PYTHON, '-c', CLIENT, '::1', String(port)]);
    const source = createSourceResolver({ clientPid: () => null })(connection);
    expect(source).toMatchObject({ kind: 'process', pid: child.pid, comm: 'python3', isClient: false });
  });

  it('counts descendants of the wrapped command as the client, and other processes not', async () => {
    // `; true` keeps sh from exec-ing python, so python is sh's child.
    const { child, connection } = await connect('127.0.0.1', (port) => [
      'sh',
      '-c',
      `${PYTHON} -c '${CLIENT.replace(/'/g, "'\\''")}' 127.0.0.1 ${port}; true`,
    ]);
    const asClient = createSourceResolver({ clientPid: () => child.pid ?? null })(connection);
    expect(asClient).toMatchObject({ kind: 'process', isClient: true, comm: 'python3' });
    expect(asClient.kind === 'process' && asClient.pid).not.toBe(child.pid);
    const unrelated = createSourceResolver({ clientPid: () => 1_000_000_000 })(connection);
    expect(unrelated).toMatchObject({ kind: 'process', isClient: false, comm: 'python3' });
  });

  it('keeps its answer for a connection (cached per socket)', async () => {
    const { child, connection } = await connect('127.0.0.1', (port) => [PYTHON, '-c', CLIENT, '127.0.0.1', String(port)]);
    let pid: number | null = child.pid ?? null;
    const resolve = createSourceResolver({ clientPid: () => pid });
    expect(resolve(connection)).toMatchObject({ isClient: true });
    pid = null;
    expect(resolve(connection)).toMatchObject({ isClient: true, pid: child.pid });
  });

  it('finds the process holding a socket, by its inode', async () => {
    const { child, connection } = await connect('127.0.0.1', (port) => [PYTHON, '-c', CLIENT, '127.0.0.1', String(port)]);
    const inode = findSocketInode({ address: connection.remoteAddress, port: connection.remotePort }, connection.localPort);
    expect(inode).toBeGreaterThan(0);
    expect(findSocketOwner(inode ?? -1, [])).toMatchObject({ pid: child.pid, inode });
  });

  it("keeps a connection's process for its later requests, even once that process has closed its end", async () => {
    const { child, connection } = await connect('127.0.0.1', (port) => [PYTHON, '-c', CLIENT, '127.0.0.1', String(port)]);
    const resolve = createSourceResolver({ clientPid: () => null });
    expect(resolve(connection)).toMatchObject({ kind: 'process', pid: child.pid });
    child.stdin?.end();
    await once(child, 'exit');
    // /proc no longer knows the peer (a request it sent just before exiting is still the process's).
    expect(findSocketInode({ address: connection.remoteAddress, port: connection.remotePort }, connection.localPort)).toBeNull();
    expect(resolve(connection)).toMatchObject({ kind: 'process', pid: child.pid, comm: 'python3' });
    // Another connection (same ports, another socket) is looked up afresh: nobody holds it now.
    expect(resolve({ ...connection, identity: {} })).toEqual({ kind: 'user-agent', userAgent: 'curl/7.88.1' });
  });

  it('tells connections of two processes apart, each for all its requests', async () => {
    const a = await connect('127.0.0.1', (port) => [PYTHON, '-c', CLIENT, '127.0.0.1', String(port)]);
    const b = await connect('127.0.0.1', (port) => [PYTHON, '-c', CLIENT, '127.0.0.1', String(port)]);
    const resolve = createSourceResolver({ clientPid: () => null });
    const pids = [a, b, a, b, b, a].map(({ connection }) => {
      const source = resolve(connection);
      return source.kind === 'process' ? source.pid : null;
    });
    expect(pids).toEqual([a.child.pid, b.child.pid, a.child.pid, b.child.pid, b.child.pid, a.child.pid]);
  });

  it('finds a connection made after the table was read in the same turn', async () => {
    const { server, connection } = await connect('127.0.0.1', (port) => [PYTHON, '-c', CLIENT, '127.0.0.1', String(port)]);
    const port = (server.address() as AddressInfo).port;
    // One synchronous stretch: the first lookup reads the table, then a new connection is made
    // (the kernel completes it in our listen backlog), then it is looked up before the turn ends.
    expect(findSocketInode({ address: connection.remoteAddress, port: connection.remotePort }, port)).toBeGreaterThan(0);
    const [clientPort, holderPid] = execFileSync(PYTHON, ['-c', HOLDER, '127.0.0.1', String(port)], { encoding: 'utf8' }).trim().split(' ').map(Number);
    cleanups.push(() => process.kill(holderPid!));
    const inode = findSocketInode({ address: '127.0.0.1', port: clientPort! }, port);
    expect(inode).toBeGreaterThan(0);
    expect(findSocketOwner(inode!, [holderPid!])).toMatchObject({ pid: holderPid });
  });

  it('lists a process tree from /proc (parents first)', async () => {
    const { child } = await connect('127.0.0.1', (port) => ['sh', '-c', `${PYTHON} -c '${CLIENT.replace(/'/g, "'\\''")}' 127.0.0.1 ${port}; true`]);
    const tree = processTree(process.pid);
    expect(tree[0]).toBe(process.pid);
    expect(tree).toContain(child.pid);
    const [shell, python] = processTree(child.pid!);
    expect(shell).toBe(child.pid);
    expect(readProcess(python!)?.comm).toBe('python3');
  });

  it('uses the listener label on a labelled listener', () => {
    const resolve = createSourceResolver({ clientPid: () => null });
    const connection = { listenerLabel: 'glance-api', remoteAddress: '127.0.0.1', remotePort: 1, localPort: 2, userAgent: 'x', identity: {} };
    expect(resolve(connection)).toEqual({ kind: 'listener', label: 'glance-api' });
  });

  it('falls back to the User-Agent, then unknown, when no process owns the port', () => {
    const resolve = createSourceResolver({ clientPid: () => null });
    const nobody = { listenerLabel: 'default', remoteAddress: '127.0.0.1', remotePort: 1, localPort: 1, userAgent: 'curl/8', identity: {} };
    expect(resolve(nobody)).toEqual({ kind: 'user-agent', userAgent: 'curl/8' });
    expect(resolve({ ...nobody, userAgent: null })).toEqual({ kind: 'unknown' });
  });
});

describe('/proc/net/tcp addresses', () => {
  it('encodes addresses as the kernel prints them (32-bit words in host byte order)', () => {
    expect(procLocations({ address: '127.0.0.1', port: 8080 })).toEqual([
      { table: '/proc/net/tcp', field: '0100007F:1F90' },
      { table: '/proc/net/tcp6', field: '0000000000000000FFFF00000100007F:1F90' },
    ]);
    expect(procLocations({ address: '::ffff:127.0.0.1', port: 443 })[0]).toEqual({ table: '/proc/net/tcp', field: '0100007F:01BB' });
    expect(procLocations({ address: '::1', port: 80 })).toEqual([{ table: '/proc/net/tcp6', field: '00000000000000000000000001000000:0050' }]);
    expect(procLocations({ address: 'fe80::1:2', port: 1 })).toEqual([{ table: '/proc/net/tcp6', field: '000080FE000000000000000002000100:0001' }]);
    expect(procLocations({ address: 'not-an-ip', port: 1 })).toEqual([]);
  });

  it('expands IPv6 text to 16 bytes', () => {
    expect(addressBytes('::1')).toEqual([...new Array(15).fill(0), 1]);
    expect(addressBytes('10.1.2.3')).toEqual([10, 1, 2, 3]);
    expect(addressBytes('::ffff:10.1.2.3')?.slice(10)).toEqual([255, 255, 10, 1, 2, 3]);
  });
});
