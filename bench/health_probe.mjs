// Sends GET /health one after another over one keep-alive connection for `seconds` and prints
// "n=<count> p50_ms=<..> p99_ms=<..> max_ms=<..>" (client-side times).
//   node bench/health_probe.mjs <base-url> <seconds>
import http from 'node:http';

const [base, seconds = '10'] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const until = Date.now() + Number(seconds) * 1000;
const times = [];
const once = () =>
  new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    http
      .get(`${base}/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - t0) / 1e6);
        });
      })
      .on('error', reject);
  });
while (Date.now() < until) {
  times.push(await once());
  await new Promise((r) => setTimeout(r, 5));
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
console.log(`n=${times.length} p50_ms=${at(0.5).toFixed(2)} p99_ms=${at(0.99).toFixed(2)} max_ms=${times.at(-1).toFixed(2)}`);
agent.destroy();
