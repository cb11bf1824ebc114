// Scripted RFC 5460 Bulk Leasequery responder and requestor over real kernel TCP sockets, for the
// interop suite. Messages are built with the project's own encoder (dist/). Every run is bounded.
// Usage: node bulk-peer.mjs responder|requestor PLAN.json
import net from 'node:net';
import { readFileSync } from 'node:fs';

const [role, planPath] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planPath, 'utf8'));
const { createCodec } = await import(`${plan.dist}/dhcpv6/index.js`);
const codec = createCodec();
const LQ = { QUERY: 14, REPLY: 15, DONE: 16, DATA: 17 };

const hex2 = (n, w) => n.toString(16).padStart(w, '0');
const duid = (n) => `00030001020000${hex2(n & 0xffffff, 6)}`;
const opt = {
  clientId: (n) => ({ code: 1, hex: duid(n) }),
  serverId: () => ({ code: 2, hex: '000300010200000000aa' }),
  status: (code) => ({ code: 13, hex: hex2(code, 4) }),
  // OPTION_CLIENT_DATA: the client's DUID, one IAADDR (2001:db8:1::n, 1800/3600 s) and OPTION_CLT_TIME.
  clientData: (n) => ({
    code: 45,
    options: [
      { code: 1, hex: duid(n) },
      { code: 5, hex: `20010db8000100000000000000${hex2(n & 0xffffff, 6)}0000070800000e10` },
      { code: 46, hex: '0000003c' },
    ],
  }),
  clientLink: () => ({ code: 48, hex: '20010db8000100000000000000000000' }),
  lqQuery: (type, sub) => ({ code: 44, value: { queryType: type, linkAddress: '::' }, options: sub }),
};

function frame(msgType, xid, options) {
  const m = codec.encodeMessage({ msgType, xid, options });
  const out = Buffer.alloc(2 + m.length);
  out.writeUInt16BE(m.length, 0);
  Buffer.from(m).copy(out, 2);
  return out;
}

/** Expands the plan's compact steps into framed messages, in the order they go on the wire. */
function responses(steps) {
  const out = [];
  let client = 1;
  for (const s of steps) {
    const rid = s.replyXid ?? s.xid;
    switch (s.t) {
      case 'reply': // first binding in the REPLY (RFC 5460 §5.2.2)
        out.push(frame(LQ.REPLY, rid, [opt.serverId(), opt.clientId(0x99), opt.clientData(client++), ...(s.clientLink ? [opt.clientLink()] : [])]));
        break;
      case 'empty':
        out.push(frame(LQ.REPLY, rid, [opt.serverId(), opt.clientId(0x99)]));
        break;
      case 'error':
        out.push(frame(LQ.REPLY, rid, [opt.serverId(), opt.clientId(0x99), opt.status(s.status)]));
        break;
      case 'data':
        for (let i = 0; i < (s.n ?? 1); i++) out.push(frame(LQ.DATA, rid, [opt.clientData(client++)]));
        break;
      case 'interleave': // DATA for several queries, alternating
        for (let i = 0; i < s.n; i++) for (const x of s.xids) out.push(frame(LQ.DATA, x, [opt.clientData(client++)]));
        break;
      case 'done':
        out.push(frame(LQ.DONE, rid, s.status === undefined ? [] : [opt.status(s.status)]));
        break;
      default:
        throw new Error(`unknown step ${s.t}`);
    }
  }
  return out;
}

/** Reads RFC 5460 §5.1 frames from a socket. */
function framer(onMessage) {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const len = buf.readUInt16BE(0);
      onMessage(buf.subarray(2, 2 + len));
      buf = buf.subarray(2 + len);
    }
  };
}

const lifetime = setTimeout(() => { console.log('lifetime over'); process.exit(3); }, (plan.lifetime ?? 30) * 1000);

if (role === 'responder') {
  const server = net.createServer((sock) => {
    sock.setNoDelay(true);
    let queries = 0;
    sock.on('data', framer(async (m) => {
      if (m[0] !== LQ.QUERY) return;
      if (++queries < plan.queries.length) return;
      // All queries in: answer per the plan.
      const msgs = responses(plan.steps);
      if (plan.writes === 'large') {
        sock.write(Buffer.concat(msgs));
      } else {
        for (const m of msgs) if (!sock.write(m)) await new Promise((r) => sock.once('drain', r));
      }
      console.log(`sent ${msgs.length} messages`);
      if (plan.serverCloses) sock.end();
    }));
    sock.on('end', () => { sock.end(); server.close(); });
    sock.on('close', () => { clearTimeout(lifetime); server.close(); });
    sock.on('error', (e) => console.log(`socket error ${e.message}`));
  });
  server.listen({ host: '::', port: plan.port ?? 547 }, () => console.log('listening'));
} else {
  const sock = net.connect({ host: plan.server, port: plan.port ?? 547 }, async () => {
    sock.setNoDelay(true);
    const qs = plan.queries.map((q) => frame(LQ.QUERY, q.xid, [opt.clientId(0x99), opt.lqQuery(q.type ?? 2, [opt.clientId(q.client ?? 0x77)])]));
    if (plan.pipelined) sock.write(Buffer.concat(qs));
    else for (const q of qs) { sock.write(q); await new Promise((r) => setTimeout(r, 20)); }
  });
  let received = 0;
  let idle;
  const arm = () => { clearTimeout(idle); idle = setTimeout(() => sock.end(), plan.idleMs ?? 800); };
  arm();
  const asked = new Set(plan.queries.map((q) => q.xid));
  sock.on('data', framer((m) => {
    received++;
    arm();
    // RFC 5460 §5.2.4: a DONE for no query of ours means the peer is confused: close.
    if (m[0] === LQ.DONE && !asked.has(m.readUIntBE(1, 3))) sock.end();
  }));
  sock.on('end', () => sock.end());
  sock.on('close', () => { console.log(`received ${received} messages`); clearTimeout(idle); clearTimeout(lifetime); });
  sock.on('error', (e) => { console.log(`socket error ${e.message}`); process.exitCode = 1; });
}
