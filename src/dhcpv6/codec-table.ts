// The option codec table: one codec per option code (RFC 8415 §21 and the RFCs that added options,
// see spec/requirements.md §1.8). Unknown codes fall back to the opaque codec, which keeps the bytes.
// Adding an option: write its codec (a `struct` line here or a file in options/) and add one entry.

import type { OptionCodec } from './options/types.js';
import { struct, type Field } from './options/struct.js';
import { duidCodec } from './options/duid.js';
import {
  clientFqdnCodec, containerCodec, emptyCodec, ntpServerCodec, opaqueCodec, relayMsgCodec, vendorOptsCodec,
} from './options/special.js';

export type { OptionCodec } from './options/types.js';
export { opaqueCodec } from './options/special.js';

const addresses = struct('address-list', [['addresses', 'ipv6[]']]);
const domainList = struct('domain-list', [['domainNames', 'names']]);
const domainName = struct('domain-name', [['domainName', 'name']]);
const text = (key: string) => struct('text', [[key, 'utf8']]);
const u32 = (key: string) => struct('uint32', [[key, 'u32']]);
const u16 = (key: string) => struct('uint16', [[key, 'u16']]);
const u8 = (key: string) => struct('uint8', [[key, 'u8']]);
const hex = (key: string, min = 0) => struct('hex', [[key, 'hex']], { length: { min } });
const codes = (key: string) => struct('code-list', [[key, 'u16[]']]);
const ia = (fields: Field[]) => struct('ia', fields, { body: 'options' });

/** Option code → codec (RFC 5460 code points; a codec instance adds the profile's moved codes). */
export const OPTION_CODECS: ReadonlyMap<number, OptionCodec> = new Map<number, OptionCodec>([
  [1, duidCodec], // OPTION_CLIENTID, RFC 8415 §21.2
  [2, duidCodec], // OPTION_SERVERID, RFC 8415 §21.3
  [3, ia([['iaid', 'u32'], ['t1', 'u32'], ['t2', 'u32']])], // OPTION_IA_NA, RFC 8415 §21.4
  [4, ia([['iaid', 'u32']])], // OPTION_IA_TA, RFC 8415 §21.5
  [5, ia([['address', 'ipv6'], ['preferredLifetime', 'u32'], ['validLifetime', 'u32']])], // OPTION_IAADDR §21.6
  [6, codes('requestedOptions')], // OPTION_ORO, RFC 8415 §21.7
  [7, u8('preference')], // OPTION_PREFERENCE, RFC 8415 §21.8
  [8, u16('elapsedTime')], // OPTION_ELAPSED_TIME (hundredths of a second), RFC 8415 §21.9
  [9, relayMsgCodec], // OPTION_RELAY_MSG, RFC 8415 §21.10
  [11, struct('auth', [['protocol', 'u8'], ['algorithm', 'u8'], ['rdm', 'u8'], ['replayDetection', 'bytes', 8], ['authInfo', 'hex']])], // RFC 8415 §21.11
  [12, struct('address', [['serverAddress', 'ipv6']])], // OPTION_UNICAST, RFC 8415 §21.12
  [13, struct('status-code', [['statusCode', 'u16'], ['statusMessage', 'utf8']], {
    derive: (v, names) => { v.statusName = names.statusName(v.statusCode as number); },
  })], // OPTION_STATUS_CODE, RFC 8415 §21.13
  [14, emptyCodec], // OPTION_RAPID_COMMIT, RFC 8415 §21.14
  [15, struct('user-class', [['classes', 'opaque[]']])], // OPTION_USER_CLASS, RFC 8415 §21.15
  [16, struct('vendor-class', [['enterpriseNumber', 'u32'], ['classes', 'opaque[]']])], // RFC 8415 §21.16
  [17, vendorOptsCodec], // OPTION_VENDOR_OPTS, RFC 8415 §21.17
  [18, hex('interfaceId', 1)], // OPTION_INTERFACE_ID, RFC 8415 §21.18
  [19, struct('reconf-msg', [['msgType', 'u8']], {
    derive: (v, names) => { v.msgName = names.messageName(v.msgType as number); },
  })], // OPTION_RECONF_MSG, RFC 8415 §21.19
  [20, emptyCodec], // OPTION_RECONF_ACCEPT, RFC 8415 §21.20
  [21, domainList], // OPTION_SIP_SERVER_D, RFC 3319
  [22, addresses], // OPTION_SIP_SERVER_A, RFC 3319
  [23, addresses], // OPTION_DNS_SERVERS, RFC 3646
  [24, domainList], // OPTION_DOMAIN_LIST, RFC 3646
  [25, ia([['iaid', 'u32'], ['t1', 'u32'], ['t2', 'u32']])], // OPTION_IA_PD, RFC 8415 §21.21
  [26, ia([['preferredLifetime', 'u32'], ['validLifetime', 'u32'], ['prefixLength', 'u8'], ['prefix', 'ipv6']])], // OPTION_IAPREFIX §21.22
  [27, addresses], // OPTION_NIS_SERVERS, RFC 3898
  [28, addresses], // OPTION_NISP_SERVERS
  [29, domainName], // OPTION_NIS_DOMAIN_NAME
  [30, domainName], // OPTION_NISP_DOMAIN_NAME
  [31, addresses], // OPTION_SNTP_SERVERS, RFC 4075
  [32, u32('informationRefreshTime')], // RFC 8415 §21.23
  [33, domainList], // OPTION_BCMCS_SERVER_D, RFC 4280
  [34, addresses], // OPTION_BCMCS_SERVER_A
  [36, struct('geoconf-civic', [['what', 'u8'], ['countryCode', 'bytes', 2], ['civicAddress', 'hex']])], // RFC 4776
  [37, struct('remote-id', [['enterpriseNumber', 'u32'], ['remoteId', 'hex']], { length: { min: 5 } })], // RFC 4649
  [38, hex('subscriberId', 1)], // OPTION_SUBSCRIBER_ID, RFC 4580
  [39, clientFqdnCodec], // OPTION_CLIENT_FQDN, RFC 4704
  [40, addresses], // OPTION_PANA_AGENT, RFC 5192
  [41, text('timezone')], // OPTION_NEW_POSIX_TIMEZONE, RFC 4833
  [42, text('timezone')], // OPTION_NEW_TZDB_TIMEZONE
  [43, codes('requestedOptions')], // OPTION_ERO, RFC 4994
  [44, struct('lq-query', [['queryType', 'u8'], ['linkAddress', 'ipv6']], {
    body: 'options',
    derive: (v, names) => { v.queryTypeName = names.queryTypeName(v.queryType as number); },
  })], // OPTION_LQ_QUERY, RFC 5007 §4.1.2.1
  [45, containerCodec], // OPTION_CLIENT_DATA, RFC 5007 §4.1.2.2
  [46, u32('cltTime')], // OPTION_CLT_TIME, RFC 5007 §4.1.2.3
  [47, struct('lq-relay-data', [['peerAddress', 'ipv6']], { body: 'message' })], // RFC 5007 §4.1.2.4
  [48, addresses], // OPTION_LQ_CLIENT_LINK, RFC 5007 §4.1.2.5
  [49, struct('mip6-hnidf', [['idType', 'u8'], ['domainName', 'name']])], // RFC 6610
  [50, containerCodec], // OPTION_MIP6_VDINF
  [51, domainName], // OPTION_V6_LOST, RFC 5223
  [52, addresses], // OPTION_CAPWAP_AC_V6, RFC 5417
  [53, duidCodec], // OPTION_RELAY_ID, RFC 5460 §5.4.1
  [56, ntpServerCodec], // OPTION_NTP_SERVER, RFC 5908
  [57, domainName], // OPTION_V6_ACCESS_DOMAIN, RFC 5986
  [58, domainList], // OPTION_SIP_UA_CS_LIST, RFC 6011
  [59, text('url')], // OPT_BOOTFILE_URL, RFC 5970
  [60, struct('bootfile-param', [['params', 'opaque[]']])], // OPT_BOOTFILE_PARAM, RFC 5970
  [61, codes('archTypes')], // OPTION_CLIENT_ARCH_TYPE, RFC 5970
  [62, struct('nii', [['type', 'u8'], ['major', 'u8'], ['minor', 'u8']])], // OPTION_NII, RFC 5970
  [64, domainName], // OPTION_AFTR_NAME, RFC 6334
  [65, domainName], // OPTION_ERP_LOCAL_DOMAIN_NAME, RFC 6440
  [66, containerCodec], // OPTION_RSOO, RFC 6422
  [67, struct('pd-exclude', [['prefixLength', 'u8'], ['subnetId', 'hex']], { length: { min: 2, max: 17 } })], // RFC 6603
  [68, struct('vss', [['type', 'u8'], ['info', 'hex']])], // OPTION_VSS, RFC 6607
  [69, containerCodec], // OPTION_MIP6_IDINF, RFC 6610
  [70, containerCodec], // OPTION_MIP6_UDINF
  [71, struct('mip6-hnp', [['prefixLength', 'u8'], ['prefix', 'ipv6']])], // OPTION_MIP6_HNP
  [72, struct('address', [['homeAgentAddress', 'ipv6']])], // OPTION_MIP6_HAA
  [73, domainName], // OPTION_MIP6_HAF
  [74, struct('rdnss-selection', [['dnsServer', 'ipv6'], ['flags', 'u8'], ['domainsAndNetworks', 'names']])], // RFC 6731
  [79, struct('client-linklayer-addr', [['linkLayerType', 'u16'], ['linkLayer', 'mac']], { length: { min: 3 } })], // RFC 6939
  [80, struct('address', [['linkAddress', 'ipv6']])], // OPTION_LINK_ADDRESS, RFC 6977
  [82, u32('solMaxRt')], // OPTION_SOL_MAX_RT, RFC 8415 §21.24
  [83, u32('infMaxRt')], // OPTION_INF_MAX_RT, RFC 8415 §21.25
  [86, addresses], // OPTION_V6_PCP_SERVER, RFC 7291
  [87, hex('dhcpv4Message', 1)], // OPTION_DHCPV4_MSG, RFC 7341 §7.1
  [88, addresses], // OPTION_DHCP4_O_DHCP6_SERVER, RFC 7341 §7.2
  [89, struct('s46-rule', [['flags', 'u8'], ['eaLength', 'u8'], ['prefix4Length', 'u8'], ['ipv4Prefix', 'ipv4'],
    ['prefix6Length', 'u8'], ['ipv6Prefix', 'prefix6', 'prefix6Length']], { body: 'options' })], // RFC 7598 §4.1
  [90, struct('address', [['brAddress', 'ipv6']])], // OPTION_S46_BR, RFC 7598 §4.2
  [91, struct('s46-dmr', [['prefix6Length', 'u8'], ['ipv6Prefix', 'prefix6', 'prefix6Length']])], // RFC 7598 §4.3
  [92, struct('s46-v4v6bind', [['ipv4Address', 'ipv4'], ['prefix6Length', 'u8'], ['ipv6Prefix', 'prefix6', 'prefix6Length']], { body: 'options' })], // RFC 7598 §4.4
  [93, struct('s46-portparams', [['offset', 'u8'], ['psidLength', 'u8'], ['psid', 'u16']])], // RFC 7598 §4.5
  [94, containerCodec], // OPTION_S46_CONT_MAPE, RFC 7598 §5
  [95, containerCodec], // OPTION_S46_CONT_MAPT
  [96, containerCodec], // OPTION_S46_CONT_LW
  [97, containerCodec], // OPTION_4RD, RFC 7600
  [100, u32('baseTime')], // OPTION_LQ_BASE_TIME, RFC 7653 §6.3
  [101, u32('startTime')], // OPTION_LQ_START_TIME
  [102, u32('endTime')], // OPTION_LQ_END_TIME
  [103, text('uri')], // DHCP_CAPTIVE_PORTAL, RFC 8910
  [105, u16('accessTechnologyType')], // OPTION_ANI_ATT, RFC 7839
  [106, text('networkName')], // OPTION_ANI_NETWORK_NAME
  [107, text('apName')], // OPTION_ANI_AP_NAME
  [108, struct('ani-ap-bssid', [['bssid', 'mac']], { length: { fixed: 6 } })], // OPTION_ANI_AP_BSSID
  [110, domainName], // OPTION_ANI_OPERATOR_REALM
  [111, codes('mechanisms')], // OPTION_S46_PRIORITY, RFC 8026
  [112, text('url')], // OPTION_MUD_URL_V6, RFC 8520
  [114, u8('bindingStatus')], // OPTION_F_BINDING_STATUS, RFC 8156
  [115, u16('flags')], // OPTION_F_CONNECT_FLAGS
  [116, containerCodec], // OPTION_F_DNS_REMOVAL_INFO
  [117, domainName], // OPTION_F_DNS_HOST_NAME
  [118, domainName], // OPTION_F_DNS_ZONE_NAME
  [119, u16('flags')], // OPTION_F_DNS_FLAGS
  [120, u32('expirationTime')], // OPTION_F_EXPIRATION_TIME
  [121, u32('maxUnackedBndupd')], // OPTION_F_MAX_UNACKED_BNDUPD
  [122, u32('mclt')], // OPTION_F_MCLT
  [123, u32('partnerLifetime')], // OPTION_F_PARTNER_LIFETIME
  [124, u32('partnerLifetimeSent')], // OPTION_F_PARTNER_LIFETIME_SENT
  [125, u32('partnerDownTime')], // OPTION_F_PARTNER_DOWN_TIME
  [126, u32('partnerRawCltTime')], // OPTION_F_PARTNER_RAW_CLT_TIME
  [127, struct('f-protocol-version', [['major', 'u16'], ['minor', 'u16']])], // OPTION_F_PROTOCOL_VERSION
  [128, u32('keepaliveTime')], // OPTION_F_KEEPALIVE_TIME
  [129, struct('f-reconfigure-data', [['reconfigureTime', 'u32'], ['reconfigureKey', 'bytes', 16]])], // OPTION_F_RECONFIGURE_DATA
  [130, domainName], // OPTION_F_RELATIONSHIP_NAME
  [131, u8('flags')], // OPTION_F_SERVER_FLAGS
  [132, u8('serverState')], // OPTION_F_SERVER_STATE
  [133, u32('startTimeOfState')], // OPTION_F_START_TIME_OF_STATE
  [134, u32('stateExpirationTime')], // OPTION_F_STATE_EXPIRATION_TIME
  [135, u16('downstreamSourcePort')], // OPTION_RELAY_PORT, RFC 8357 §4
  [137, struct('s46-bind-ipv6-prefix', [['prefix6Length', 'u8'], ['ipv6Prefix', 'prefix6', 'prefix6Length']])], // RFC 8539
  [142, addresses], // OPTION_V6_DOTS_ADDRESS, RFC 8973
  [143, addresses], // OPTION_IPV6_ADDRESS_ANDSF, RFC 6153
]);

/** The codec for a code in the RFC 5460 table (opaque when unknown). */
export function codecFor(code: number): OptionCodec {
  return OPTION_CODECS.get(code) ?? opaqueCodec;
}
