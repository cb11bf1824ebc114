// TCP segment header (RFC 9293 §3.1): ports, sequence and acknowledgment numbers, data offset, flags.
// Options are skipped (the data offset covers them).

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/** Reused result of decoding a TCP header. */
export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  payloadStart: number;
  payloadEnd: number;
  anomaly: string | null;
  detail: string;
}

export function newTcpHeader(): TcpHeader {
  return { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, payloadStart: 0, payloadEnd: 0, anomaly: null, detail: '' };
}

/** Decodes the TCP header in data[start, end). Sets `out.anomaly` (`tcp.bad_header`) when broken. */
export function decodeTcp(data: Uint8Array, start: number, end: number, out: TcpHeader): void {
  out.anomaly = null;
  if (end - start < 20) {
    out.anomaly = 'tcp.bad_header';
    out.detail = `TCP header needs 20 octets, ${Math.max(0, end - start)} present`;
    return;
  }
  const dataOffset = (data[start + 12] >> 4) * 4;
  if (dataOffset < 20 || start + dataOffset > end) {
    out.anomaly = 'tcp.bad_header';
    out.detail = `TCP data offset ${dataOffset} does not fit the ${end - start} octets present`;
    return;
  }
  out.srcPort = (data[start] << 8) | data[start + 1];
  out.dstPort = (data[start + 2] << 8) | data[start + 3];
  out.seq = ((data[start + 4] << 24) | (data[start + 5] << 16) | (data[start + 6] << 8) | data[start + 7]) >>> 0;
  out.ack = ((data[start + 8] << 24) | (data[start + 9] << 16) | (data[start + 10] << 8) | data[start + 11]) >>> 0;
  out.flags = data[start + 13];
  out.window = (data[start + 14] << 8) | data[start + 15];
  out.payloadStart = start + dataOffset;
  out.payloadEnd = end;
}
