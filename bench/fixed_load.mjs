// Sends exactly <total> POSTs over <concurrency> keep-alive connections, then prints
// {"total":N,"bad":M} (bad = non-200 answers and socket errors). Used by proxy_callgrind.sh,
// where a fixed request count (not a fixed duration) makes instruction counts comparable.
//   node bench/fixed_load.mjs <url> <authorization> <json body> <total> <concurrency>
import http from 'node:http';

const [url, auth, body, totalText, concurrencyText] = process.argv.slice(2);
const total = Number(totalText);
const concurrency = Number(concurrencyText);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);
let sent = 0;
let bad = 0;

function one() {
  return new Promise((resolve) => {
    const request = http.request(
      {
        agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth, 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        if (response.statusCode !== 200) bad++;
        response.on('data', () => {});
        response.on('end', resolve);
      });
    request.on('error', () => { bad++; resolve(); });
    request.end(body);
  });
}

async function worker() {
  while (sent < total) {
    sent++;
    await one();
  }
}

await Promise.all(Array.from({ length: concurrency }, worker));
agent.destroy();
console.log(JSON.stringify({ total, bad }));
