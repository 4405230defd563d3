// The wrapped command of the HTTPS keep-alive load test: CLIENTS concurrent clients, each on its
// own CONNECT tunnel (undici ProxyAgent from HTTPS_PROXY, one connection), sending REQUESTS
// keep-alive requests one after another to argv[2]. Prints one JSON line: requests answered 200,
// and every error with its code. Exits 1 if anything failed.
import { fetch, ProxyAgent } from 'undici';

const origin = process.argv[2];
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 64);
const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 100);
const errors = [];
let ok = 0;

async function client(c) {
  const dispatcher = new ProxyAgent({ uri: process.env.HTTPS_PROXY, connections: 1 });
  for (let i = 0; i < REQUESTS; i++) {
    try {
      const post = i % 4 === 3; // some requests carry a body, as API clients' do
      const res = await fetch(`${origin}/load?client=${c}&i=${i}`, { method: post ? 'POST' : 'GET', body: post ? `{"client": ${c}, "i": ${i}}` : undefined, dispatcher });
      await res.arrayBuffer();
      if (res.status === 200) ok += 1;
      else errors.push(`client ${c} request ${i}: HTTP ${res.status}`);
    } catch (err) {
      errors.push(`client ${c} request ${i}: ${err.cause?.code ?? err.code ?? err.message}`);
    }
  }
  await dispatcher.close();
}

await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
process.stdout.write(`${JSON.stringify({ ok, errors })}\n`);
process.exitCode = errors.length ? 1 : 0;
