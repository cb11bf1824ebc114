// A scripted RFC 5007 leasequery requestor over UDP: sends each message of a JSON list (encoded with
// the project's encoder from dist/) to a server and waits up to a bounded time for its answer.
// Usage (inside a namespace): node lq-send.mjs PLAN.json   ({dist, server, messages: [MessageJson]})
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { createCodec } = await import(`${plan.dist}/dhcpv6/index.js`);
const codec = createCodec();
const sock = dgram.createSocket({ type: 'udp6', ipv6Only: true });
let waiting;
sock.on('message', (msg) => {
  console.log(`answer type ${msg[0]} xid ${msg.readUIntBE(1, 3)} length ${msg.length}`);
  if (waiting && msg.readUIntBE(1, 3) === waiting.xid) waiting.done();
});
// dhcpd answers leasequery at the client port whatever the source port was, so listen there.
await new Promise((res) => sock.bind(546, '::', res));
for (const m of plan.messages) {
  const bytes = codec.encodeMessage(m);
  await new Promise((res) => {
    const t = setTimeout(res, plan.waitMs ?? 1000);
    waiting = { xid: m.xid, done: () => { clearTimeout(t); setTimeout(res, 50); } };
    sock.send(bytes, 547, plan.server);
  });
}
sock.close();
