// A userspace DHCPv6 forwarder that delays one server's answers: client messages heard on the client
// link are passed on at once to the server link, the server's answers come back after a fixed delay.
// Usage (inside a namespace): node delay-proxy.mjs CLIENT_IF SERVER_IF DELAY_MS LIFETIME_S
import dgram from 'node:dgram';

const [clientIf, serverIf, delayArg, lifeArg] = process.argv.slice(2);
const delay = Number(delayArg);
const clientSide = dgram.createSocket({ type: 'udp6', reuseAddr: true, ipv6Only: true });
const serverSide = dgram.createSocket({ type: 'udp6', reuseAddr: true, ipv6Only: true });
/** xid (3 octets after the type) → the client address that sent it; bounded. */
const byXid = new Map();

clientSide.on('message', (msg, rinfo) => {
  if (msg.length < 4 || msg[0] === 12 || msg[0] === 13) return;
  const xid = msg.readUIntBE(1, 3);
  byXid.set(xid, rinfo.address);
  if (byXid.size > 1000) byXid.delete(byXid.keys().next().value);
  serverSide.send(msg, 547, `ff02::1:2%${serverIf}`);
});
serverSide.on('message', (msg) => {
  if (msg.length < 4) return;
  const to = byXid.get(msg.readUIntBE(1, 3));
  if (!to) return;
  setTimeout(() => clientSide.send(msg, 546, to), delay);
});
clientSide.bind(547, '::', () => {
  clientSide.addMembership('ff02::1:2', `::%${clientIf}`);
  serverSide.bind(546, '::', () => {
    serverSide.setMulticastInterface(`::%${serverIf}`);
    console.log('listening');
  });
});
setTimeout(() => process.exit(0), Number(lifeArg) * 1000).unref();
