// Test-kit access to the project's pcap / pcapng writers (src/capture/writer.ts).
export {
  writePcap, writePcapng, PcapngWriter, concatBytes,
  type PcapRecord, type PcapWriteOptions, type PcapngInterface, type PcapngPacket, type PcapngSection,
} from '../../src/capture/writer.js';
