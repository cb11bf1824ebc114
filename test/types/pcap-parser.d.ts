// pcap-parser 0.2.1 ships no types; this is the little of it the oracle test uses.
declare module 'pcap-parser' {
  import type { EventEmitter } from 'node:events';
  export function parse(input: string | NodeJS.ReadableStream): EventEmitter;
  const pcapParser: { parse: typeof parse };
  export default pcapParser;
}
