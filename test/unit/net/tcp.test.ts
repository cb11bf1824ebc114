// TCP reassembly behaviour built in code: detection, roles, RST, timeouts, limits, gaps at close.
import { describe, expect, it } from 'vitest';
import { TcpConversation } from '../../kit/tcp-conversation.js';
import { accountingOk, bytesOf, run, shape } from './harness.js';

function conv(serverPort = 547, clientPort = 40001, client = '2001:db8::9', server = '2001:db8::1') {
  return new TcpConversation({ client: { address: client, port: clientPort }, server: { address: server, port: serverPort } });
}
const MSG = bytesOf('0123456789abcdefghijklmnopqrstuvwxyz');

describe('TCP detection', () => {
  it('follows a connection on another port when the probe accepts its first payload', () => {
    const c = conv(8547).handshake().send('client', MSG, { segments: [10, 26] }).fin('client').fin('server');
    const probed: number[] = [];
    const r = run(c.packets(), { probe: (b) => { probed.push(b.length); return b[0] === 0x30; } });
    expect(probed).toEqual([10]);
    expect(shape(r)).toEqual(['open#1@4', 'data#1.0@4:10', 'data#1.0@5:26', 'fin#1.0@7', 'fin#1.1@9', 'close#1@9:fin']);
    expect(r.conns[0]).toMatchObject({ detectedBy: 'heuristic', synSeen: true, midStream: false, firstFrame: 1, server: { port: 8547 } });
    expect(r.counts).toEqual({ dhcpv6: 10, other: 0, malformed: 0, dropped: 0 });
    expect(accountingOk(r)).toBe(true);
  });

  it('forgets a connection the probe rejects: all its frames, before and after, are other', () => {
    const c = conv(8080).handshake().send('client', MSG).send('server', MSG).fin('client').fin('server');
    let calls = 0;
    const r = run(c.packets(), { probe: () => { calls++; return false; } });
    expect(calls).toBe(1);
    expect(r.events).toEqual([]);
    expect(r.counts).toEqual({ dhcpv6: 0, other: 11, malformed: 0, dropped: 0 });
  });

  it('follows --bulk-port connections at first sight', () => {
    const c = conv(5460).handshake().send('client', MSG);
    const r = run(c.packets(), { bulkPorts: [5460] });
    expect(shape(r)).toEqual(['open#1@1', 'data#1.0@4:36', 'close#1@5:capture-end']);
    expect(r.conns[0].detectedBy).toBe('port');
  });

  it('infers roles without a SYN: port 547, else the lower port is the server', () => {
    const a = conv(547, 40001).handshake().send('server', MSG).startMidConnection(3);
    expect(run(a.packets()).conns[0]).toMatchObject({ midStream: true, synSeen: false, server: { port: 547 }, client: { port: 40001 } });
    const b = conv(700, 40001).handshake().send('client', MSG).startMidConnection(3);
    const rb = run(b.packets(), { probe: () => true });
    expect(rb.conns[0]).toMatchObject({ midStream: true, server: { port: 700 }, client: { port: 40001 }, detectedBy: 'heuristic' });
    expect(shape(rb)).toEqual(['open#1@1', 'data#1.0@1:36', 'close#1@2:capture-end']);
  });
});

describe('TCP connection attempts', () => {
  it('records the server\'s SYN-ACK and the client\'s latest SYN (a retransmitted SYN moves it)', () => {
    const c = conv().handshake().send('client', MSG);
    c.retransmit(0, { delay: 1 }); // the SYN again, 1 s later (as a kernel's SYN retransmission)
    const packets = c.packets();
    const r = run(packets);
    // Frames: 1 SYN, 2 SYN-ACK, 3 ACK, 4 data, 5 ACK, 6 the SYN again.
    const at = (i: number): number => packets[i].tsSec + packets[i].tsNsec / 1e9;
    expect(at(5) - at(4)).toBeCloseTo(1.001, 6);
    expect(r.conns[0]).toMatchObject({ synSeen: true, firstFrame: 1, synAckFrame: 2, lastSynFrame: 6 });
    expect(r.conns[0].lastSynTime).toBeCloseTo(at(5), 6);
  });

  it('leaves synAckFrame 0 when the server only resets the SYN, and knows the SYN of a port-followed attempt', () => {
    const c = conv().handshake();
    c.drop(2).drop(1).rst('server');
    const r = run(c.packets());
    expect(shape(r)).toEqual(['open#1@1', 'rst#1.1@2', 'close#1@2:rst']);
    expect(r.conns[0]).toMatchObject({ synSeen: true, synAckFrame: 0, lastSynFrame: 1, lastSynTime: 1_700_000_000 });
  });

  it('keeps what a heuristic connection\'s handshake showed before it was followed', () => {
    const c = conv(8547).handshake().send('client', MSG);
    const r = run(c.packets(), { probe: () => true });
    expect(r.conns[0]).toMatchObject({ detectedBy: 'heuristic', synAckFrame: 2, lastSynFrame: 1 });
  });

  it('has no SYN to show for a connection the capture joined mid-stream', () => {
    const c = conv().handshake().send('client', MSG).startMidConnection(3);
    expect(run(c.packets()).conns[0]).toMatchObject({ synSeen: false, synAckFrame: 0, lastSynFrame: 0, lastSynTime: 0 });
  });
});

describe('TCP endings', () => {
  it('RST: flushes, reports rst from the sender and closes', () => {
    const c = conv().handshake().send('client', MSG, { ack: false }).rst('server');
    const r = run(c.packets());
    expect(shape(r)).toEqual(['open#1@1', 'data#1.0@4:36', 'rst#1.1@5', 'close#1@5:rst']);
  });

  it('a FIN after a hole that is never filled: the gap is reported at close, then the FIN', () => {
    const c = conv().handshake().send('client', MSG, { segments: [10, 10, 16], ack: false });
    c.fin('client', { ack: false }).drop(4); // lose the second data segment; nobody acknowledges
    const r = run(c.packets());
    expect(shape(r)).toEqual(['open#1@1', 'data#1.0@4:10', 'gap#1.0@6:10', 'data#1.0@6:16', 'fin#1.0@6', 'close#1@6:capture-end']);
    expect(r.stream(1, 0)).toEqual(new Uint8Array([...MSG.subarray(0, 10), ...MSG.subarray(20)]));
    // Evidence: the segments on either side of the hole, and the end of the capture that gave it up.
    expect(r.anomalies.map((x) => [x.name, x.frames, x.message])).toEqual([
      ['tcp.gap', [4, 5, 6], '10 octets from the client were not captured between frames 4 and 5 (known at frame 6)'],
    ]);
  });

  it('closes an idle connection after tcp.idle-timeout of capture time', () => {
    const c = conv().handshake().send('client', MSG);
    c.send('server', MSG, { at: 1700000000 + 100 });
    const r = run(c.packets(), { 'tcp.idle-timeout': 50 });
    // The timed-out 4-tuple is forgotten: the server's late data opens a new, mid-stream connection.
    expect(shape(r)).toEqual(['open#1@1', 'data#1.0@4:36', 'close#1@5:timeout', 'open#2@6', 'data#2.1@6:36', 'close#2@7:capture-end']);
    expect(r.conns[1]).toMatchObject({ midStream: true, client: { port: 40001 }, server: { port: 547 } });
    expect(accountingOk(r)).toBe(true);
  });

  it('an idle timeout delivers what the connection buffered at the frame that showed it idle, keeping frame order', () => {
    // Connection 1 loses its first segment, so its second waits behind the hole; connection 2 starts
    // 100 s later. Its SYN (frame 6) shows connection 1 idle: the hole is declared and the buffered
    // octets delivered there, not at connection 1's last frame (5), which is before frames already handled.
    const c = conv().handshake().send('client', MSG, { segments: [10, 26], ack: false }).drop(3);
    const d = new TcpConversation({ client: { address: '2001:db8::9', port: 40002 }, server: { address: '2001:db8::1', port: 547 }, start: 1700000100 }).handshake();
    const r = run([...c.packets(), ...d.packets()], { 'tcp.idle-timeout': 50 });
    expect(shape(r)).toEqual(['open#1@1', 'gap#1.0@5:10', 'data#1.0@5:26', 'close#1@4:timeout', 'open#2@5', 'close#2@7:capture-end']);
    expect(accountingOk(r)).toBe(true);
  });

  it('wraps sequence numbers: ISN 0xfffffff0, reordered across 2^32', () => {
    const c = new TcpConversation({ client: { address: '192.0.2.9', port: 40001, isn: 0xfffffff0 }, server: { address: '192.0.2.1', port: 547 } });
    c.handshake().send('client', MSG, { segments: [10, 10, 16] }).reorder(3, 5);
    const r = run(c.packets());
    expect(shape(r)).toEqual(['open#1@1', 'data#1.0@6:10', 'data#1.0@6:10', 'data#1.0@6:16', 'close#1@7:capture-end']);
    expect(r.stream(1, 0)).toEqual(MSG);
    expect(r.conns[0].label).toBe('192.0.2.9:40001 > 192.0.2.1:547');
  });

  it('follows many connections at once, each stream on its own', () => {
    const records = [];
    for (let i = 0; i < 20; i++) {
      const c = new TcpConversation({ client: { address: '2001:db8::9', port: 41000 + i }, server: { address: '2001:db8::1', port: 547 }, start: 1700000000 + i * 0.0001, step: 0.01 });
      c.handshake().send('client', bytesOf(`conn ${i} `.repeat(i + 1))).fin('client').fin('server');
      records.push(...c.packets());
    }
    records.sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
    const r = run(records);
    expect(r.conns).toHaveLength(20);
    for (const conn of r.conns) {
      const i = conn.client.port - 41000;
      expect(new TextDecoder().decode(r.stream(conn.id, 0))).toBe(`conn ${i} `.repeat(i + 1));
    }
    expect(r.events.filter((e) => e.ev === 'close').every((e) => e.ev === 'close' && e.reason === 'fin')).toBe(true);
    expect(accountingOk(r)).toBe(true);
  });
});

describe('TCP limits', () => {
  it('tcp.max-connections: the connection beyond the cap is not followed, its frames dropped', () => {
    const a = conv(547, 40001).handshake().send('client', MSG);
    const b = new TcpConversation({ client: { address: '2001:db8::8', port: 40002 }, server: { address: '2001:db8::1', port: 547 }, start: 1700000001 });
    b.handshake().send('client', MSG);
    const r = run([...a.packets(), ...b.packets()], { 'tcp.max-connections': 1 });
    expect(r.conns).toHaveLength(1);
    expect(r.anomalies.map((x) => [x.name, x.frames])).toEqual([['limit.tcp_connections', [6]]]);
    expect([6, 7, 8, 9, 10].map((f) => r.classes.get(f))).toEqual(['dropped', 'dropped', 'dropped', 'dropped', 'dropped']);
    expect(accountingOk(r)).toBe(true);
  });

  it('reassembly.memcap: closes the connection with reason limit, later frames dropped', () => {
    const c = conv().handshake().send('client', MSG, { segments: [6, 10, 10, 10] }).drop(3);
    const r = run(c.packets(), { 'reassembly.memcap': 160 });
    // 10 + 64 bookkeeping per buffered segment: the third buffered segment (frame 6) exceeds 160.
    // The gap's evidence: no octets before it, frame 4's after it, found at frame 6.
    expect(r.anomalies.map((x) => [x.name, x.frames])).toEqual([['limit.reassembly_memcap', [6]], ['tcp.gap', [4, 6]]]);
    expect(r.anomalies[1].message).toBe('6 octets from the client were not captured before frame 4 (known at frame 6)');
    // What was buffered is delivered after the gap; the segment that hit the cap is not.
    expect(shape(r)).toEqual(['open#1@1', 'gap#1.0@6:6', 'data#1.0@6:10', 'data#1.0@6:10', 'close#1@6:limit']);
    expect([4, 5, 6, 7].map((f) => r.classes.get(f))).toEqual(['dhcpv6', 'dhcpv6', 'dropped', 'dropped']);
    expect(accountingOk(r)).toBe(true);
  });

  it('reassembly.conn-memcap: the hole is given up as a gap and the stream goes on', () => {
    const c = conv().handshake().send('client', MSG, { segments: [6, 10, 10, 10] }).drop(3);
    const r = run(c.packets(), { 'reassembly.conn-memcap': 100 });
    expect(r.anomalies.map((x) => [x.name, x.frames])).toEqual([['limit.reassembly_conn_memcap', [5]], ['tcp.gap', [4, 5]]]);
    expect(shape(r)).toEqual(['open#1@1', 'gap#1.0@5:6', 'data#1.0@5:10', 'data#1.0@5:10', 'data#1.0@6:10', 'close#1@7:capture-end']);
    expect(r.stream(1, 0)).toEqual(MSG.subarray(6));
  });

  it('tcp.max-light: forgetting undetected connections is reported once', () => {
    const records = [];
    for (let i = 0; i < 4; i++) {
      const c = new TcpConversation({ client: { address: '2001:db8::9', port: 42000 + i }, server: { address: '2001:db8::1', port: 80 }, start: 1700000000 + i });
      c.handshake();
      records.push(...c.packets());
    }
    const r = run(records, { 'tcp.max-light': 2 });
    expect(r.anomalies.map((x) => [x.name, x.frames])).toEqual([['limit.tcp_light_connections', [7]]]);
    expect(r.counts).toEqual({ dhcpv6: 0, other: 12, malformed: 0, dropped: 0 });
    expect(accountingOk(r)).toBe(true);
  });

  it('tcp.max-light 0: no connection awaits detection, so every frame off the bulk ports is other at once', () => {
    // Found by the pipeline fuzz test: the connection just added was the one forgotten, and its
    // next segment without payload threw (a null list of held frames).
    const c = conv(8080).handshake().send('client', MSG).fin('client').fin('server');
    const packets = c.packets();
    const r = run(packets, { 'tcp.max-light': 0, probe: () => true });
    expect(r.anomalies.map((x) => [x.name, x.frames])).toEqual([['limit.tcp_light_connections', [1]]]);
    expect(r.events).toEqual([]);
    expect(packets).toHaveLength(9);
    expect(r.counts).toEqual({ dhcpv6: 0, other: 9, malformed: 0, dropped: 0 });
    expect(accountingOk(r)).toBe(true);
  });
});
