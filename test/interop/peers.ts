// Real DHCPv6 servers, clients and relays from Debian packages, each started in a lab namespace with
// a generated configuration and its own state files (nothing touches the host's /etc or /var).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, Proc } from './harness.js';

/** The link prefix every scenario's servers serve. */
export const PREFIX = '2001:db8:1::';

export interface ServerOptions {
  /** Preference option value; undefined sends none. */
  preference?: number;
  /** The server's own address on the link (inside PREFIX/64). */
  addr: string;
  /** First and last address of the pool. */
  pool: [string, string];
  /** RFC 5007 leasequery (dhcpd only). */
  leasequery?: boolean;
  /** Serve a remote link instead of the local one (relayed scenarios). */
  subnet?: string;
}

/** isc-dhcp-server: dhcpd -6 in the foreground. */
export function dhcpd(lab: Lab, host: string, ifname: string, o: ServerOptions): Proc {
  const dir = lab.subdir(`${host}-dhcpd`);
  const subnet = o.subnet ?? `${PREFIX}/64`;
  const conf = [
    'authoritative;',
    'default-lease-time 3600;',
    'preferred-lifetime 1800;',
    o.preference === undefined ? '' : `option dhcp6.preference ${o.preference};`,
    o.leasequery ? 'allow leasequery;' : '',
    `subnet6 ${subnet} { range6 ${o.pool[0]} ${o.pool[1]}; }`,
    o.subnet ? `subnet6 ${PREFIX}/64 { }` : '',
  ].join('\n');
  writeFileSync(join(dir, 'dhcpd6.conf'), conf + '\n');
  writeFileSync(join(dir, 'dhcpd6.leases'), '');
  return lab.spawn(host, `${host}-dhcpd`, 'dhcpd', ['-6', '-f', '-d', '-cf', join(dir, 'dhcpd6.conf'), '-lf', join(dir, 'dhcpd6.leases'), '-pf', join(dir, 'dhcpd6.pid'), ifname]);
}

/** kea-dhcp6-server: Preference through option-data with always-send. */
export function kea(lab: Lab, host: string, ifname: string, o: ServerOptions): Proc {
  const dir = lab.subdir(`${host}-kea`);
  const cfg = {
    Dhcp6: {
      // Serving a remote link: also listen on the unicast address the relay forwards to.
      'interfaces-config': { interfaces: [o.subnet ? `${ifname}/${o.addr}` : ifname] },
      'lease-database': { type: 'memfile', persist: false },
      'server-id': { type: 'LL', persist: false },
      'data-directory': dir,
      'preferred-lifetime': 1800,
      'valid-lifetime': 3600,
      subnet6: [{ id: 1, subnet: o.subnet ?? `${PREFIX}/64`, interface: o.subnet ? undefined : ifname, pools: [{ pool: `${o.pool[0]}-${o.pool[1]}` }] }],
      'option-data': o.preference === undefined ? [] : [{ name: 'preference', data: String(o.preference), 'always-send': true }],
      loggers: [{ name: 'kea-dhcp6', output_options: [{ output: 'stdout' }], severity: 'INFO' }],
    },
  };
  writeFileSync(join(dir, 'kea-dhcp6.conf'), JSON.stringify(cfg, null, 2));
  return lab.spawn(host, `${host}-kea`, 'kea-dhcp6', ['-c', join(dir, 'kea-dhcp6.conf')], {
    env: { KEA_PIDFILE_DIR: dir, KEA_LOCKFILE_DIR: dir, KEA_LOGGER_DESTINATION: join(dir, 'kea.log') },
  });
}

/** dibbler-server: fixed paths /etc/dibbler and /var/lib/dibbler, so they are bind-mounted per instance. */
export function dibblerServer(lab: Lab, host: string, ifname: string, o: ServerOptions): Proc {
  const etc = lab.subdir(`${host}-dibbler/etc`);
  const conf = [
    'log-level 7',
    'log-mode short',
    `iface "${ifname}" {`,
    o.preference === undefined ? '' : `  preference ${o.preference}`,
    `  class { pool ${o.pool[0]}-${o.pool[1]} }`,
    '}',
  ].join('\n');
  writeFileSync(join(etc, 'server.conf'), conf + '\n');
  return lab.spawn(host, `${host}-dibbler-server`, 'dibbler-server', ['run'], {
    binds: { '/etc/dibbler': etc, '/var/lib/dibbler': lab.subdir(`${host}-dibbler/lib`), '/var/log/dibbler': lab.subdir(`${host}-dibbler/log`) },
  });
}

/** wide-dhcpv6-server: dhcp6s in the foreground. */
export function dhcp6s(lab: Lab, host: string, ifname: string, o: ServerOptions): Proc {
  const dir = lab.subdir(`${host}-dhcp6s`);
  const conf = [
    `interface ${ifname} {${o.preference === undefined ? '' : ` preference ${o.preference};`} address-pool pool1 3600; };`,
    `pool pool1 { range ${o.pool[0]} to ${o.pool[1]}; };`,
  ].join('\n');
  writeFileSync(join(dir, 'dhcp6s.conf'), conf + '\n');
  return lab.spawn(host, `${host}-dhcp6s`, 'dhcp6s', ['-f', '-D', '-c', join(dir, 'dhcp6s.conf'), '-P', join(dir, 'dhcp6s.pid'), ifname], {
    binds: { '/var/lib/dhcpv6': lab.subdir(`${host}-dhcp6s/lib`) },
  });
}

/**
 * dnsmasq (dnsmasq-base) as a DHCPv6 server only: in the foreground, DNS off, no /etc/dnsmasq.conf,
 * hosts or resolv.conf, lease and pid files in the lab. A relayed message is matched to a range by
 * its link-address, so serving a remote link needs only that link's range.
 */
export function dnsmasq(lab: Lab, host: string, ifname: string, o: ServerOptions): Proc {
  const dir = lab.subdir(`${host}-dnsmasq`);
  const args = [
    '--keep-in-foreground', '--log-facility=-', '--log-dhcp', '--conf-file=/dev/null', '--no-hosts', '--no-resolv', '--port=0',
    // Stay root: the lab directory (mode 0700) holds the lease file.
    '--user=root',
    `--pid-file=${join(dir, 'dnsmasq.pid')}`, `--dhcp-leasefile=${join(dir, 'dnsmasq.leases')}`,
    `--interface=${ifname}`, `--dhcp-range=${o.pool[0]},${o.pool[1]},64,1h`,
  ];
  // dnsmasq writes its own Preference option into every Advertise: 255 with --dhcp-authoritative, else 0
  // (so undefined still sends 0, as dibbler-server does). No other value can be configured: 2.90 leaves
  // a dhcp-option=option6:7 out of the Advertise, and dhcp-option-force adds a second Preference option
  // beside its own (and encoded 100 as 8192 octets). Other values are refused rather than ignored.
  if (o.preference === 255) args.push('--dhcp-authoritative');
  else if (o.preference !== undefined && o.preference !== 0) throw new Error(`dnsmasq sends Preference 0 or 255 only, not ${o.preference}`);
  return lab.spawn(host, `${host}-dnsmasq`, 'dnsmasq', args);
}

export type ServerKind = 'dhcpd' | 'kea' | 'dibbler' | 'dhcp6s' | 'dnsmasq';
export const SERVERS: Record<ServerKind, typeof dhcpd> = { dhcpd, kea, dibbler: dibblerServer, dhcp6s, dnsmasq };
/** The Debian package of each server kind. */
export const SERVER_PKG: Record<ServerKind, string> = { dhcpd: 'isc-dhcp-server', kea: 'kea-dhcp6-server', dibbler: 'dibbler-server', dhcp6s: 'wide-dhcpv6-server', dnsmasq: 'dnsmasq-base' };

/** Where a relay sits: its interface on the clients' link and the one towards the server. */
export interface RelayOptions {
  /** Interface on the clients' link; the relay takes their multicast there. */
  down: string;
  /** Interface towards the server (or the next relay). */
  up: string;
  /** Unicast address the relay forwards to, on the `up` link. */
  server: string;
}

/** isc-dhcp-relay: dhcrelay -6 in the foreground, adding Interface-ID (-I) and Subscriber-ID (-s). */
export function dhcrelay(lab: Lab, host: string, o: RelayOptions & { subscriberId?: string }): Proc {
  const args = ['-6', '-d', '--no-pid', '-I', ...(o.subscriberId ? ['-s', o.subscriberId] : []), '-l', o.down, '-u', `${o.server}%${o.up}`];
  return lab.spawn(host, `${host}-dhcrelay`, 'dhcrelay', args);
}

/**
 * dibbler-relay: /etc/dibbler/relay.conf and its state directories bind-mounted per instance. Every
 * Relay-forward carries Interface-ID `interfaceId` (written as a 32-bit number); `global` adds
 * relay.conf lines such as `option remote-id 5-0x01020304`.
 */
export function dibblerRelay(
  lab: Lab, host: string,
  o: RelayOptions & { interfaceId: number; global?: string[]; /** Also listen on this address of `down` (a relay below). */ downUnicast?: string },
): Proc {
  const etc = lab.subdir(`${host}-dibbler-relay/etc`);
  const conf = [
    'log-level 8',
    'log-mode short',
    ...(o.global ?? []),
    `iface "${o.up}" {`,
    `  server unicast ${o.server}`,
    '}',
    `iface "${o.down}" {`,
    '  client multicast yes',
    o.downUnicast ? `  client unicast ${o.downUnicast}` : '',
    `  interface-id ${o.interfaceId}`,
    '}',
  ].join('\n');
  writeFileSync(join(etc, 'relay.conf'), conf + '\n');
  return lab.spawn(host, `${host}-dibbler-relay`, 'dibbler-relay', ['run'], {
    binds: { '/etc/dibbler': etc, '/var/lib/dibbler': lab.subdir(`${host}-dibbler-relay/lib`), '/var/log/dibbler': lab.subdir(`${host}-dibbler-relay/log`) },
  });
}

/** isc-dhcp-client: dhclient -6 with its own lease, pid and (no-op) script files. */
export function dhclient(lab: Lab, host: string, ifname: string): Proc {
  const dir = lab.subdir(`${host}-dhclient`);
  return lab.spawn(host, `${host}-dhclient`, 'dhclient', ['-6', '-d', '-v', '-sf', '/bin/true', '-lf', join(dir, 'dhclient6.leases'), '-pf', join(dir, 'dhclient6.pid'), ifname]);
}

/** dhcpcd: DHCPv6 only, no router solicitation, state in a private /run and /var/lib/dhcpcd. */
export function dhcpcd(lab: Lab, host: string, ifname: string): Proc {
  const dir = lab.subdir(`${host}-dhcpcd`);
  writeFileSync(join(dir, 'dhcpcd.conf'), ['noipv6rs', 'nohook resolv.conf', 'ia_na 1', ''].join('\n'));
  return lab.spawn(host, `${host}-dhcpcd`, 'dhcpcd', ['-6', '-B', '-d', '-c', '/bin/true', '-f', join(dir, 'dhcpcd.conf'), ifname], {
    tmpfs: ['/run'],
    binds: { '/var/lib/dhcpcd': lab.subdir(`${host}-dhcpcd/lib`) },
  });
}

/** wide-dhcpv6-client: dhcp6c in the foreground, DUID file in a private /var/lib/dhcpv6. */
export function dhcp6c(lab: Lab, host: string, ifname: string): Proc {
  const dir = lab.subdir(`${host}-dhcp6c`);
  writeFileSync(join(dir, 'dhcp6c.conf'), `interface ${ifname} { send ia-na 1; };\nid-assoc na 1 { };\n`);
  return lab.spawn(host, `${host}-dhcp6c`, 'dhcp6c', ['-f', '-D', '-c', join(dir, 'dhcp6c.conf'), '-p', join(dir, 'dhcp6c.pid'), ifname], {
    binds: { '/var/lib/dhcpv6': lab.subdir(`${host}-dhcp6c/lib`) },
  });
}

/** dibbler-client: one IA_NA; fixed paths bind-mounted per instance. */
export function dibblerClient(lab: Lab, host: string, ifname: string): Proc {
  const etc = lab.subdir(`${host}-dibbler/etc`);
  writeFileSync(join(etc, 'client.conf'), `log-level 7\nlog-mode short\niface "${ifname}" {\n  ia\n}\n`);
  return lab.spawn(host, `${host}-dibbler-client`, 'dibbler-client', ['run'], {
    binds: { '/etc/dibbler': etc, '/var/lib/dibbler': lab.subdir(`${host}-dibbler/lib`), '/var/log/dibbler': lab.subdir(`${host}-dibbler/log`) },
  });
}

export type ClientKind = 'dhclient' | 'dhcpcd' | 'dhcp6c' | 'dibbler';
export const CLIENTS: Record<ClientKind, typeof dhclient> = { dhclient, dhcpcd, dhcp6c, dibbler: dibblerClient };
export const CLIENT_PKG: Record<ClientKind, string> = { dhclient: 'isc-dhcp-client', dhcpcd: 'dhcpcd-base', dhcp6c: 'wide-dhcpv6-client', dibbler: 'dibbler-client' };
/** The program each kind runs (to skip a scenario whose package is missing). */
export const CLIENT_BIN: Record<ClientKind, string> = { dhclient: 'dhclient', dhcpcd: 'dhcpcd', dhcp6c: 'dhcp6c', dibbler: 'dibbler-client' };
export const SERVER_BIN: Record<ServerKind, string> = { dhcpd: 'dhcpd', kea: 'kea-dhcp6', dibbler: 'dibbler-server', dhcp6s: 'dhcp6s', dnsmasq: 'dnsmasq' };
