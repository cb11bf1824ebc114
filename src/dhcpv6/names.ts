// The one registry of DHCPv6 names (IANA spellings): message types, option codes, status codes,
// LQ query types and DUID types (RFC 8415 §24, RFC 5007 §5, RFC 5460 §9), plus profile code points.

/**
 * The code points a profile may move. RFC 5460 fixed them (16/17/53/11); draft-01 left them "TBD",
 * so the draft-01 profile takes the experimental numbers an implementation used from the config.
 */
export interface CodePoints {
  'LEASEQUERY-DONE': number;
  'LEASEQUERY-DATA': number;
  OPTION_RELAY_ID: number;
  QueryTerminated: number;
}

/** RFC 5460 §9 numbers (the `rfc5460` profile). */
export const RFC5460_CODES: Readonly<CodePoints> = Object.freeze({
  'LEASEQUERY-DONE': 16,
  'LEASEQUERY-DATA': 17,
  OPTION_RELAY_ID: 53,
  QueryTerminated: 11,
});

/** Names a profile may move, and which registry each belongs to. */
export const OVERRIDABLE: Readonly<Record<keyof CodePoints, 'message' | 'option' | 'status'>> = Object.freeze({
  'LEASEQUERY-DONE': 'message',
  'LEASEQUERY-DATA': 'message',
  OPTION_RELAY_ID: 'option',
  QueryTerminated: 'status',
});

/** Message types (display names), RFC 8415 §7.3, RFC 5007, RFC 5460, RFC 6977, RFC 7341, RFC 7653, RFC 8156, RFC 9686. */
export const MESSAGE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'SOLICIT'], [2, 'ADVERTISE'], [3, 'REQUEST'], [4, 'CONFIRM'], [5, 'RENEW'], [6, 'REBIND'],
  [7, 'REPLY'], [8, 'RELEASE'], [9, 'DECLINE'], [10, 'RECONFIGURE'], [11, 'INFORMATION-REQUEST'],
  [12, 'RELAY-FORW'], [13, 'RELAY-REPL'], [14, 'LEASEQUERY'], [15, 'LEASEQUERY-REPLY'],
  [16, 'LEASEQUERY-DONE'], [17, 'LEASEQUERY-DATA'], [18, 'RECONFIGURE-REQUEST'],
  [19, 'RECONFIGURE-REPLY'], [20, 'DHCPV4-QUERY'], [21, 'DHCPV4-RESPONSE'], [22, 'ACTIVELEASEQUERY'],
  [23, 'STARTTLS'], [24, 'BNDUPD'], [25, 'BNDREPLY'], [26, 'POOLREQ'], [27, 'POOLRESP'], [28, 'UPDREQ'],
  [29, 'UPDREQALL'], [30, 'UPDDONE'], [31, 'CONNECT'], [32, 'CONNECTREPLY'], [33, 'DISCONNECT'],
  [34, 'STATE'], [35, 'CONTACT'], [36, 'ADDR-REG-INFORM'], [37, 'ADDR-REG-REPLY'],
]);

/** Option codes 1-148 (IANA "Option Codes"; 138-148 as Wireshark spells them). Unassigned: 10, 35. */
export const OPTION_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'OPTION_CLIENTID'],
  [2, 'OPTION_SERVERID'],
  [3, 'OPTION_IA_NA'],
  [4, 'OPTION_IA_TA'],
  [5, 'OPTION_IAADDR'],
  [6, 'OPTION_ORO'],
  [7, 'OPTION_PREFERENCE'],
  [8, 'OPTION_ELAPSED_TIME'],
  [9, 'OPTION_RELAY_MSG'],
  [11, 'OPTION_AUTH'],
  [12, 'OPTION_UNICAST'],
  [13, 'OPTION_STATUS_CODE'],
  [14, 'OPTION_RAPID_COMMIT'],
  [15, 'OPTION_USER_CLASS'],
  [16, 'OPTION_VENDOR_CLASS'],
  [17, 'OPTION_VENDOR_OPTS'],
  [18, 'OPTION_INTERFACE_ID'],
  [19, 'OPTION_RECONF_MSG'],
  [20, 'OPTION_RECONF_ACCEPT'],
  [21, 'OPTION_SIP_SERVER_D'],
  [22, 'OPTION_SIP_SERVER_A'],
  [23, 'OPTION_DNS_SERVERS'],
  [24, 'OPTION_DOMAIN_LIST'],
  [25, 'OPTION_IA_PD'],
  [26, 'OPTION_IAPREFIX'],
  [27, 'OPTION_NIS_SERVERS'],
  [28, 'OPTION_NISP_SERVERS'],
  [29, 'OPTION_NIS_DOMAIN_NAME'],
  [30, 'OPTION_NISP_DOMAIN_NAME'],
  [31, 'OPTION_SNTP_SERVERS'],
  [32, 'OPTION_INFORMATION_REFRESH_TIME'],
  [33, 'OPTION_BCMCS_SERVER_D'],
  [34, 'OPTION_BCMCS_SERVER_A'],
  [36, 'OPTION_GEOCONF_CIVIC'],
  [37, 'OPTION_REMOTE_ID'],
  [38, 'OPTION_SUBSCRIBER_ID'],
  [39, 'OPTION_CLIENT_FQDN'],
  [40, 'OPTION_PANA_AGENT'],
  [41, 'OPTION_NEW_POSIX_TIMEZONE'],
  [42, 'OPTION_NEW_TZDB_TIMEZONE'],
  [43, 'OPTION_ERO'],
  [44, 'OPTION_LQ_QUERY'],
  [45, 'OPTION_CLIENT_DATA'],
  [46, 'OPTION_CLT_TIME'],
  [47, 'OPTION_LQ_RELAY_DATA'],
  [48, 'OPTION_LQ_CLIENT_LINK'],
  [49, 'OPTION_MIP6_HNIDF'],
  [50, 'OPTION_MIP6_VDINF'],
  [51, 'OPTION_V6_LOST'],
  [52, 'OPTION_CAPWAP_AC_V6'],
  [53, 'OPTION_RELAY_ID'],
  [54, 'OPTION_IPV6_ADDRESS_MOS'],
  [55, 'OPTION_IPV6_FQDN_MOS'],
  [56, 'OPTION_NTP_SERVER'],
  [57, 'OPTION_V6_ACCESS_DOMAIN'],
  [58, 'OPTION_SIP_UA_CS_LIST'],
  [59, 'OPT_BOOTFILE_URL'],
  [60, 'OPT_BOOTFILE_PARAM'],
  [61, 'OPTION_CLIENT_ARCH_TYPE'],
  [62, 'OPTION_NII'],
  [63, 'OPTION_GEOLOCATION'],
  [64, 'OPTION_AFTR_NAME'],
  [65, 'OPTION_ERP_LOCAL_DOMAIN_NAME'],
  [66, 'OPTION_RSOO'],
  [67, 'OPTION_PD_EXCLUDE'],
  [68, 'OPTION_VSS'],
  [69, 'OPTION_MIP6_IDINF'],
  [70, 'OPTION_MIP6_UDINF'],
  [71, 'OPTION_MIP6_HNP'],
  [72, 'OPTION_MIP6_HAA'],
  [73, 'OPTION_MIP6_HAF'],
  [74, 'OPTION_RDNSS_SELECTION'],
  [75, 'OPTION_KRB_PRINCIPAL_NAME'],
  [76, 'OPTION_KRB_REALM_NAME'],
  [77, 'OPTION_KRB_DEFAULT_REALM_NAME'],
  [78, 'OPTION_KRB_KDC'],
  [79, 'OPTION_CLIENT_LINKLAYER_ADDR'],
  [80, 'OPTION_LINK_ADDRESS'],
  [81, 'OPTION_RADIUS'],
  [82, 'OPTION_SOL_MAX_RT'],
  [83, 'OPTION_INF_MAX_RT'],
  [84, 'OPTION_ADDRSEL'],
  [85, 'OPTION_ADDRSEL_TABLE'],
  [86, 'OPTION_V6_PCP_SERVER'],
  [87, 'OPTION_DHCPV4_MSG'],
  [88, 'OPTION_DHCP4_O_DHCP6_SERVER'],
  [89, 'OPTION_S46_RULE'],
  [90, 'OPTION_S46_BR'],
  [91, 'OPTION_S46_DMR'],
  [92, 'OPTION_S46_V4V6BIND'],
  [93, 'OPTION_S46_PORTPARAMS'],
  [94, 'OPTION_S46_CONT_MAPE'],
  [95, 'OPTION_S46_CONT_MAPT'],
  [96, 'OPTION_S46_CONT_LW'],
  [97, 'OPTION_4RD'],
  [98, 'OPTION_4RD_MAP_RULE'],
  [99, 'OPTION_4RD_NON_MAP_RULE'],
  [100, 'OPTION_LQ_BASE_TIME'],
  [101, 'OPTION_LQ_START_TIME'],
  [102, 'OPTION_LQ_END_TIME'],
  [103, 'DHCP_CAPTIVE_PORTAL'],
  [104, 'OPTION_MPL_PARAMETERS'],
  [105, 'OPTION_ANI_ATT'],
  [106, 'OPTION_ANI_NETWORK_NAME'],
  [107, 'OPTION_ANI_AP_NAME'],
  [108, 'OPTION_ANI_AP_BSSID'],
  [109, 'OPTION_ANI_OPERATOR_ID'],
  [110, 'OPTION_ANI_OPERATOR_REALM'],
  [111, 'OPTION_S46_PRIORITY'],
  [112, 'OPTION_MUD_URL_V6'],
  [113, 'OPTION_V6_PREFIX64'],
  [114, 'OPTION_F_BINDING_STATUS'],
  [115, 'OPTION_F_CONNECT_FLAGS'],
  [116, 'OPTION_F_DNS_REMOVAL_INFO'],
  [117, 'OPTION_F_DNS_HOST_NAME'],
  [118, 'OPTION_F_DNS_ZONE_NAME'],
  [119, 'OPTION_F_DNS_FLAGS'],
  [120, 'OPTION_F_EXPIRATION_TIME'],
  [121, 'OPTION_F_MAX_UNACKED_BNDUPD'],
  [122, 'OPTION_F_MCLT'],
  [123, 'OPTION_F_PARTNER_LIFETIME'],
  [124, 'OPTION_F_PARTNER_LIFETIME_SENT'],
  [125, 'OPTION_F_PARTNER_DOWN_TIME'],
  [126, 'OPTION_F_PARTNER_RAW_CLT_TIME'],
  [127, 'OPTION_F_PROTOCOL_VERSION'],
  [128, 'OPTION_F_KEEPALIVE_TIME'],
  [129, 'OPTION_F_RECONFIGURE_DATA'],
  [130, 'OPTION_F_RELATIONSHIP_NAME'],
  [131, 'OPTION_F_SERVER_FLAGS'],
  [132, 'OPTION_F_SERVER_STATE'],
  [133, 'OPTION_F_START_TIME_OF_STATE'],
  [134, 'OPTION_F_STATE_EXPIRATION_TIME'],
  [135, 'OPTION_RELAY_PORT'],
  [136, 'OPTION_V6_SZTP_REDIRECT'],
  [137, 'OPTION_S46_BIND_IPV6_PREFIX'],
  [138, 'OPTION_IA_LL'],
  [139, 'OPTION_LLADDR'],
  [140, 'OPTION_SLAP_QUAD'],
  [141, 'OPTION_V6_DOTS_RI'],
  [142, 'OPTION_V6_DOTS_ADDRESS'],
  [143, 'OPTION_IPV6_ADDRESS_ANDSF'],
  [144, 'OPTION_V6_DNR'],
  [145, 'OPTION_REGISTERED_DOMAIN'],
  [146, 'OPTION_FORWARD_DIST_MANAGER'],
  [147, 'OPTION_REVERSE_DIST_MANAGER'],
  [148, 'OPTION_ADDR_REG_ENABLE'],
]);

/** Status codes 0-22 (RFC 8415 §21.13, RFC 5007, RFC 5460, RFC 7653, RFC 8156). */
export const STATUS_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'Success'], [1, 'UnspecFail'], [2, 'NoAddrsAvail'], [3, 'NoBinding'], [4, 'NotOnLink'],
  [5, 'UseMulticast'], [6, 'NoPrefixAvail'], [7, 'UnknownQueryType'], [8, 'MalformedQuery'],
  [9, 'NotConfigured'], [10, 'NotAllowed'], [11, 'QueryTerminated'], [12, 'DataMissing'],
  [13, 'CatchUpComplete'], [14, 'NotSupported'], [15, 'TLSConnectionRefused'], [16, 'AddressInUse'],
  [17, 'ConfigurationConflict'], [18, 'MissingBindingInformation'], [19, 'OutdatedBindingInformation'],
  [20, 'ServerShuttingDown'], [21, 'DNSUpdateNotSupported'], [22, 'ExcessiveTimeSkew'],
]);

/** OPTION_LQ_QUERY query types (RFC 5007 §4.1.2.1, RFC 5460 §5.3). */
export const QUERY_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'QUERY_BY_ADDRESS'], [2, 'QUERY_BY_CLIENTID'], [3, 'QUERY_BY_RELAY_ID'],
  [4, 'QUERY_BY_LINK_ADDRESS'], [5, 'QUERY_BY_REMOTE_ID'],
]);

/** DUID types (RFC 8415 §11.1, RFC 6355). */
export const DUID_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'DUID-LLT'], [2, 'DUID-EN'], [3, 'DUID-LL'], [4, 'DUID-UUID'],
]);

/** Accepted aliases of names (draft-01 and Wireshark spellings, RFC 5460 §9 / requirements §4 Q20). */
const ALIASES: ReadonlyMap<string, keyof CodePoints> = new Map([
  ['OPTION_RELAYID', 'OPTION_RELAY_ID'],
  ['LEASEQUERY_DONE', 'LEASEQUERY-DONE'],
  ['LEASEQUERY_DATA', 'LEASEQUERY-DATA'],
]);

/** Resolves a profile's `codes` setting: RFC 5460 numbers with the given names moved. Throws on misuse. */
export function resolveCodePoints(codes?: Partial<Record<string, number>>): CodePoints {
  const out: CodePoints = { ...RFC5460_CODES };
  if (!codes) return out;
  for (const [rawName, value] of Object.entries(codes)) {
    if (value === undefined) continue;
    const name = (ALIASES.get(rawName) ?? rawName) as keyof CodePoints;
    const registry = OVERRIDABLE[name];
    if (!registry) throw new Error(`codes: unknown code point name "${rawName}" (expected one of ${Object.keys(OVERRIDABLE).join(', ')})`);
    const max = registry === 'message' ? 255 : 65535;
    if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`codes: ${rawName} must be an integer 0..${max}`);
    out[name] = value;
  }
  return out;
}

/**
 * Names for one set of code points. A moved name (draft-01) names its experimental number; the
 * RFC 5460 number keeps its IANA name unless another moved name took it.
 */
export class NameRegistry {
  readonly codes: Readonly<CodePoints>;
  private readonly messages = new Map(MESSAGE_NAMES);
  private readonly options = new Map(OPTION_NAMES);
  private readonly statuses = new Map(STATUS_NAMES);
  private readonly byName = new Map<string, number>();

  constructor(codes: CodePoints = { ...RFC5460_CODES }) {
    this.codes = Object.freeze({ ...codes });
    for (const name of Object.keys(OVERRIDABLE) as (keyof CodePoints)[]) {
      const table = OVERRIDABLE[name] === 'message' ? this.messages : OVERRIDABLE[name] === 'option' ? this.options : this.statuses;
      table.set(codes[name], name);
    }
    for (const table of [this.messages, this.options, this.statuses]) {
      for (const [code, name] of table) this.byName.set(name, code);
    }
    for (const name of Object.keys(OVERRIDABLE) as (keyof CodePoints)[]) this.byName.set(name, codes[name]);
    for (const [alias, name] of ALIASES) this.byName.set(alias, codes[name]);
  }

  /** Display name of a message type; `MSG_<n>` when unassigned. */
  messageName(type: number): string {
    return this.messages.get(type) ?? `MSG_${type}`;
  }

  /** IANA option name; `OPTION_<code>` when unassigned. */
  optionName(code: number): string {
    return this.options.get(code) ?? `OPTION_${code}`;
  }

  /** Status code name; `Status_<code>` when unassigned. */
  statusName(code: number): string {
    return this.statuses.get(code) ?? `Status_${code}`;
  }

  queryTypeName(type: number): string {
    return QUERY_TYPE_NAMES.get(type) ?? `QUERY_TYPE_${type}`;
  }

  duidTypeName(type: number): string {
    return DUID_TYPE_NAMES.get(type) ?? `DUID_TYPE_${type}`;
  }

  /** Number of a message, option or status name (any registry), honouring moved code points. */
  code(name: string): number | undefined {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    const m = /^(?:OPTION|MSG|Status)_(\d+)$/.exec(name);
    return m ? Number(m[1]) : undefined;
  }
}
