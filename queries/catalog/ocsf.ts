/**
 * VPC flow logs in OCSF, as Amazon Security Lake writes them (class 4001 Network Activity; source version 1
 * is OCSF 1.0.0-rc.2, source version 2 OCSF 1.1.0), and where each OCSF attribute lands among the flow-log
 * fields. From the AWS mapping published with OCSF (ocsf/examples, mappings/markdown/AWS/…/VPC Flowlogs),
 * checked in both directions against its sample records (tests/integration/ingest/ocsf-import.test.ts).
 *
 * The import reads these; a dialect that accepts Security Lake's own queries (`src_endpoint.ip`,
 * `traffic.bytes`, …) can read them the other way. Attributes without a flow-log field are kept in `extra`
 * under their dotted OCSF path (`class_uid`, `metadata.product.name`, `connection_info.boundary`, …).
 */

/** An OCSF attribute that holds a flow-log field's value as it is (a '-' meaning none). */
export interface OcsfCopy {
  /** Dotted OCSF path. */
  path: string;
  /** The flow-log field (AWS name) it carries. */
  field: string;
}

export const OCSF_COPIES: readonly OcsfCopy[] = [
  { path: 'metadata.product.version', field: 'version' },
  { path: 'cloud.account_uid', field: 'account-id' }, // OCSF 1.0.0-rc.2
  { path: 'cloud.account.uid', field: 'account-id' }, // OCSF 1.1.0 and later
  { path: 'cloud.region', field: 'region' },
  { path: 'cloud.zone', field: 'az-id' },
  { path: 'src_endpoint.port', field: 'srcport' },
  { path: 'dst_endpoint.port', field: 'dstport' },
  // The packet's own addresses; `srcaddr`/`dstaddr` are the intermediate ones when they differ (below).
  { path: 'src_endpoint.ip', field: 'pkt-srcaddr' },
  { path: 'dst_endpoint.ip', field: 'pkt-dstaddr' },
  { path: 'src_endpoint.svc_name', field: 'pkt-src-aws-service' },
  { path: 'dst_endpoint.svc_name', field: 'pkt-dst-aws-service' },
  { path: 'connection_info.protocol_num', field: 'protocol' },
  { path: 'connection_info.tcp_flags', field: 'tcp-flags' },
  { path: 'connection_info.protocol_ver', field: 'type' },
  { path: 'traffic.packets', field: 'packets' },
  { path: 'traffic.bytes', field: 'bytes' },
  { path: 'status_code', field: 'log-status' },
];

/**
 * Flow-log fields OCSF keeps in `unmapped` under their Athena names (`sublocation_id`, `ecs_task_arn`,
 * `reject_reason`, …): any key of `unmapped` that is a flow-log field's name with `_` for `-`.
 */
export const OCSF_UNMAPPED = 'unmapped';

/**
 * The fields OCSF spreads over attributes, and how they come back:
 *  - `srcaddr`/`dstaddr`: the endpoint's first `intermediate_ips` entry where the packet address differed,
 *    else its `ip`;
 *  - `interface-id`, `vpc-id`, `subnet-id`, `instance-id`: the `interface_uid`, `vpc_uid`, `subnet_uid`,
 *    `instance_uid` of the endpoint the interface is on (the destination for inbound traffic, the source for
 *    outbound);
 *  - `start`/`end`: `start_time`/`end_time` (ms since the epoch) or `start_time_dt`/`end_time_dt`;
 *  - `action`, `flow-direction`, `traffic-path`: the enumerations below.
 */
export const OCSF_ENDPOINT_UIDS: Readonly<Record<string, string>> = {
  'interface-id': 'interface_uid',
  'vpc-id': 'vpc_uid',
  'subnet-id': 'subnet_uid',
  'instance-id': 'instance_uid',
};

/** `disposition_id` (1.0.0-rc.2) or `action_id` (1.1.0): 1 Allowed, 2 Blocked / Denied. */
export const OCSF_ACTION: Readonly<Record<number, string>> = { 1: 'ACCEPT', 2: 'REJECT' };

/** `connection_info.direction_id`: 1 Inbound, 2 Outbound. */
export const OCSF_DIRECTION: Readonly<Record<number, string>> = { 1: 'ingress', 2: 'egress' };

/**
 * `connection_info.boundary_id` 4 (Same VPC) to 11 (Internet Gateway) are `traffic-path` 1 to 8, in order;
 * 99 (Other) is a record without one.
 */
export const OCSF_BOUNDARY_TO_TRAFFIC_PATH_OFFSET = 3;

/** `connection_info.boundary` of each `boundary_id` a flow log's `traffic-path` gives (OCSF's enumeration). */
export const OCSF_BOUNDARY: Readonly<Record<number, string>> = {
  4: 'Same VPC',
  5: 'Internet/VPC Gateway',
  6: 'Virtual Private Gateway',
  7: 'Intra-region VPC',
  8: 'Inter-region VPC',
  9: 'Local Gateway',
  10: 'Gateway VPC',
  11: 'Internet Gateway',
};

/** `activity_id` and `activity_name` of a record by its action: Traffic (6) accepted, Refuse (5) rejected. */
export const OCSF_ACTIVITY: Readonly<Record<string, readonly [id: number, name: string]>> = {
  ACCEPT: [6, 'Traffic'],
  REJECT: [5, 'Refuse'],
};

/** The names of `disposition_id` (both versions) and of `action_id` (1.1.0 and later). */
export const OCSF_DISPOSITION: Readonly<Record<number, string>> = { 1: 'Allowed', 2: 'Blocked' };
export const OCSF_ACTION_NAME: Readonly<Record<number, string>> = { 1: 'Allowed', 2: 'Denied' };

/** `connection_info.direction` of each `direction_id`. */
export const OCSF_DIRECTION_NAME: Readonly<Record<number, string>> = { 1: 'Inbound', 2: 'Outbound' };
