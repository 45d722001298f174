/**
 * Amazon Security Lake's VPC flow logs for tests: OCSF Network Activity records written to Parquet by
 * DuckDB, with Security Lake's types (structs, `unmapped` as a map of strings, times as ms or timestamps).
 *
 * Two documented samples, each a flow-log record and the OCSF record AWS maps it to, as published with
 * OCSF (github.com/ocsf/examples, mappings/markdown/AWS/VPC Flowlogs/samples/vpcflowlog.ocsf with
 * vpcflowlog.event, OCSF 1.0.0-rc.2 as Security Lake's source version 1 writes it; and
 * mappings/markdown/AWS/v1.5.0/VPC Flowlogs/samples/ vpcflowlog.ocsf with vpcflowlog.raw, the 1.1+ shape of
 * source version 2: `cloud.account.uid`, `action_id`, `*_time_dt`). And the same mapping done in SQL over
 * generated records, for volume: written here from the published mapping table, independently of the
 * importer's reading of it.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FLOW_FIELDS } from '../../queries/catalog/fields';

/** The flow-log record of the 1.0.0-rc.2 sample (Athena names, '-' for none). */
export const RC2_RAW: Record<string, string> = {
  account_id: '123456789012',
  action: 'REJECT',
  az_id: 'use1-az1',
  bytes: '40',
  dstaddr: '172.31.2.52',
  dstport: '39938',
  end: '1649721788',
  flow_direction: 'ingress',
  instance_id: 'i-000000000000000000',
  interface_id: 'eni-0000000000000000',
  log_status: 'OK',
  packets: '1',
  pkt_dst_aws_service: '-',
  pkt_dstaddr: '172.31.2.52',
  pkt_src_aws_service: '-',
  pkt_srcaddr: '1.2.3.4',
  protocol: '6',
  region: 'us-east-1',
  srcaddr: '1.2.3.4',
  srcport: '56858',
  start: '1649721732',
  sublocation_type: '-',
  sublocation_id: '-',
  subnet_id: 'subnet-000000000000000000',
  tcp_flags: '2',
  traffic_path: '-',
  type: 'IPv4',
  version: '5',
  vpc_id: 'vpc-00000000',
};

/** The OCSF record of the 1.0.0-rc.2 sample (its ENI spelt as in the raw record). */
export const RC2_OCSF = {
  metadata: {
    product: { version: '5', name: 'Amazon VPC', feature: { name: 'Flowlogs' }, vendor_name: 'AWS' },
    profiles: ['cloud', 'security_control'],
    version: '1.0.0-rc.2',
  },
  cloud: { account_uid: '123456789012', region: 'us-east-1', zone: 'use1-az1', provider: 'AWS' },
  src_endpoint: { port: 56858, svc_name: '-', ip: '1.2.3.4' },
  dst_endpoint: {
    port: 39938,
    svc_name: '-',
    ip: '172.31.2.52',
    interface_uid: 'eni-0000000000000000',
    vpc_uid: 'vpc-00000000',
    instance_uid: 'i-000000000000000000',
    subnet_uid: 'subnet-000000000000000000',
  },
  connection_info: {
    protocol_num: 6,
    tcp_flags: 2,
    protocol_ver: 'IPv4',
    boundary_id: 99,
    boundary: '-',
    direction_id: 1,
    direction: 'Inbound',
  },
  traffic: { packets: 1, bytes: 40 },
  time: 1649721732000,
  start_time: 1649721732000,
  end_time: 1649721788000,
  status_code: 'OK',
  severity_id: 1,
  severity: 'Informational',
  class_name: 'Network Activity',
  class_uid: 4001,
  category_name: 'Network Activity',
  category_uid: 4,
  activity_name: 'Refuse',
  activity_id: 5,
  disposition: 'Blocked',
  disposition_id: 2,
  type_uid: 400105,
  type_name: 'Network Activity: Refuse',
  unmapped: { sublocation_id: '-', sublocation_type: '-' },
};

/** The flow-log record of the 1.5.0 sample (version 8, ECS fields, a NAT'd destination). */
export const V150_RAW: Record<string, string> = {
  account_id: '123456789012',
  action: 'ACCEPT',
  az_id: 'use2-az2',
  bytes: '38526',
  dstaddr: '10.0.0.1',
  dstport: '8864',
  end: '1752247603',
  flow_direction: 'egress',
  instance_id: '-',
  interface_id: 'eni-0000000000000000',
  log_status: 'OK',
  packets: '8',
  pkt_dst_aws_service: '-',
  pkt_dstaddr: '1.2.3.5',
  pkt_src_aws_service: '-',
  pkt_srcaddr: '1.2.3.4',
  protocol: '6',
  region: 'us-east-2',
  reject_reason: 'Accepted',
  srcaddr: '1.2.3.4',
  srcport: '8080',
  start: '1752247584',
  sublocation_id: '-',
  sublocation_type: '-',
  subnet_id: 'subnet-04941e5249e5fb165',
  tcp_flags: '19',
  traffic_path: '1',
  type: 'IPv4',
  version: '8',
  vpc_id: 'vpc-00000000',
  ecs_cluster_name: 'HostingStack-servercluster001A1A00-VR6z36tUltC8',
  ecs_cluster_arn: 'arn:aws:ecs:us-east-2:123456789012:cluster/HostingStack-servercluster001A1A00-VR6z36tUltC8',
  ecs_container_instance_id: '-',
  ecs_container_instance_arn: '-',
  ecs_service_name: 'HostingStack-FargateServiceECC8084D-5sikMgI6TJV1',
  ecs_task_definition_arn: 'arn:aws:ecs:us-east-2:123456789012:task-definition/HostingStackocsfservertaskFFCA8C4A:236',
  ecs_task_id: 'k5ivh86ham2ic6vhiadec7190329gyov',
  ecs_task_arn:
    'arn:aws:ecs:us-east-2:123456789012:task/HostingStack-servercluster001A1A00-VR6z36tUltC8/k5ivh86ham2ic6vhiadec7190329gyov',
  ecs_container_id: 'k5ivh86ham2ic6vhiadec7190329gyov-2248247952',
  ecs_second_container_id: 'k5ivh86ham2ic6vhiadec7190329gyov-3192794795',
};

/** The OCSF record of the 1.5.0 sample (without its `observables`, which only repeat the addresses). */
export const V150_OCSF = {
  action: 'Allowed',
  action_id: 1,
  activity_id: 6,
  activity_name: 'Traffic',
  category_name: 'Network Activity',
  category_uid: 4,
  class_name: 'Network Activity',
  class_uid: 4001,
  cloud: { account: { uid: '123456789012' }, provider: 'AWS', region: 'us-east-2', zone: 'use2-az2' },
  connection_info: {
    boundary: 'Same VPC',
    boundary_id: 4,
    direction: 'Outbound',
    direction_id: 2,
    protocol_num: 6,
    protocol_ver: 'IPv4',
    tcp_flags: 19,
  },
  disposition: 'Allowed',
  dst_endpoint: { intermediate_ips: ['10.0.0.1'], ip: '1.2.3.5', port: 8864, svc_name: '-' },
  end_time_dt: '2025-07-11 15:26:43+00:00',
  metadata: {
    product: { feature: { name: 'Flowlogs' }, name: 'Amazon VPC', vendor_name: 'AWS', version: '8' },
    profiles: ['cloud', 'security_control', 'datetime'],
    version: '1.5.0',
  },
  severity: 'Informational',
  severity_id: 1,
  src_endpoint: {
    instance_uid: '-',
    interface_uid: 'eni-0000000000000000',
    ip: '1.2.3.4',
    port: 8080,
    subnet_uid: 'subnet-04941e5249e5fb165',
    svc_name: '-',
    vpc_uid: 'vpc-00000000',
  },
  start_time_dt: '2025-07-11 15:26:24+00:00',
  status_code: 'OK',
  time: 1752247584000,
  time_dt: '2025-07-11 15:26:24+00:00',
  traffic: { bytes: 38526, packets: 8 },
  type_name: 'Network Activity: Traffic',
  type_uid: 400106,
  unmapped: Object.fromEntries(
    Object.entries(V150_RAW).filter(
      ([k]) => k.startsWith('ecs_') || k.startsWith('sublocation') || k === 'reject_reason',
    ),
  ),
};

/** Runs `sql` on a fresh in-memory DuckDB (the test's own, not a workspace's). */
async function withDuckDB(fn: (run: (sql: string) => Promise<void>) => Promise<void>): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await fn(async (sql) => {
      await c.run(sql);
    });
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/**
 * OCSF records (JSON) as a Security Lake Parquet file: `unmapped` as MAP(VARCHAR, VARCHAR) and `*_dt` as
 * TIMESTAMP WITH TIME ZONE, as Security Lake's tables declare them.
 */
export async function writeOcsfParquet(path: string, records: readonly object[]): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const json = `${path}.json`;
  writeFileSync(json, records.map((r) => JSON.stringify(r)).join('\n'));
  try {
    await withDuckDB(async (run) => {
      const replaced = [
        'CAST(to_json(unmapped) AS MAP(VARCHAR, VARCHAR)) AS unmapped',
        ...['time_dt', 'start_time_dt', 'end_time_dt']
          .filter((k) => k in records[0]!)
          .map((k) => `${k}::TIMESTAMPTZ AS ${k}`),
      ];
      await run(
        `CREATE TABLE r AS SELECT * REPLACE (${replaced.join(', ')}) FROM read_json('${json}', format = 'newline_delimited')`,
      );
      await run(`COPY r TO '${path}' (FORMAT parquet, COMPRESSION zstd)`);
    });
  } finally {
    rmSync(json, { force: true });
  }
}

/** Every field of flow-log versions 2 to 5, in AWS's order, for the volume tests. */
export const V5_FIELDS: readonly string[] = FLOW_FIELDS.filter((f) => f.since >= 2 && f.since <= 5).map((f) => f.aws);

/**
 * Headerless version 5 flow-log text as OCSF 1.0.0-rc.2 Parquet, mapped as the published table says
 * (disposition from action, the interface on the endpoint the direction points at, boundary_id from
 * traffic-path, times in ms, the packet address as `ip` with the flow log's as `intermediate_ips` where
 * they differ).
 */
export async function flowLogsAsOcsf(textPath: string, parquetPath: string): Promise<void> {
  mkdirSync(dirname(parquetPath), { recursive: true });
  const columns = V5_FIELDS.map((f) => `'${f.replace(/-/g, '_')}': 'VARCHAR'`).join(', ');
  const n = (c: string) => `try_cast(${c} AS BIGINT)`;
  // The table is silent on records without a direction (NODATA, SKIPDATA): these keep the interface on the source.
  const side = (on: string, own: string, packet: string, port: string, service: string) =>
    `{'port': ${n(port)}, 'svc_name': coalesce(${service}, '-'), 'ip': coalesce(${packet}, ${own}), ` +
    `'intermediate_ips': CASE WHEN ${packet} <> ${own} THEN [${own}] END, ` +
    `'interface_uid': CASE WHEN ${on} THEN interface_id END, ` +
    `'vpc_uid': CASE WHEN ${on} THEN vpc_id END, ` +
    `'instance_uid': CASE WHEN ${on} THEN coalesce(instance_id, '-') END, ` +
    `'subnet_uid': CASE WHEN ${on} THEN subnet_id END}`;
  await withDuckDB(async (run) => {
    await run(
      `COPY (SELECT
         {'product': {'version': version, 'name': 'Amazon VPC', 'feature': {'name': 'Flowlogs'}, 'vendor_name': 'AWS'},
          'profiles': ['cloud', 'security_control'], 'version': '1.0.0-rc.2'} AS metadata,
         {'account_uid': account_id, 'region': region, 'zone': az_id, 'provider': 'AWS'} AS cloud,
         ${side(`coalesce(flow_direction, 'egress') = 'egress'`, 'srcaddr', 'pkt_srcaddr', 'srcport', 'pkt_src_aws_service')} AS src_endpoint,
         ${side(`flow_direction = 'ingress'`, 'dstaddr', 'pkt_dstaddr', 'dstport', 'pkt_dst_aws_service')} AS dst_endpoint,
         {'protocol_num': ${n('protocol')}, 'tcp_flags': ${n('tcp_flags')}, 'protocol_ver': type,
          'boundary_id': coalesce(${n('traffic_path')} + 3, 99), 'boundary': '-',
          'direction_id': CASE flow_direction WHEN 'ingress' THEN 1 WHEN 'egress' THEN 2 ELSE 0 END,
          'direction': CASE flow_direction WHEN 'ingress' THEN 'Inbound' WHEN 'egress' THEN 'Outbound' ELSE 'Unknown' END}
           AS connection_info,
         {'packets': ${n('packets')}, 'bytes': ${n('bytes')}} AS traffic,
         ${n('start')} * 1000 AS time, ${n('start')} * 1000 AS start_time, ${n('"end"')} * 1000 AS end_time,
         log_status AS status_code, 1 AS severity_id, 'Informational' AS severity,
         'Network Activity' AS class_name, 4001 AS class_uid, 'Network Activity' AS category_name, 4 AS category_uid,
         CASE action WHEN 'ACCEPT' THEN 'Traffic' WHEN 'REJECT' THEN 'Refuse' ELSE 'Unknown' END AS activity_name,
         CASE action WHEN 'ACCEPT' THEN 6 WHEN 'REJECT' THEN 5 ELSE 0 END AS activity_id,
         CASE action WHEN 'ACCEPT' THEN 'Allowed' WHEN 'REJECT' THEN 'Blocked' ELSE 'Unknown' END AS disposition,
         CASE action WHEN 'ACCEPT' THEN 1 WHEN 'REJECT' THEN 2 ELSE 0 END AS disposition_id,
         400100 + CASE action WHEN 'ACCEPT' THEN 6 WHEN 'REJECT' THEN 5 ELSE 0 END AS type_uid,
         MAP {'sublocation_id': coalesce(sublocation_id, '-'), 'sublocation_type': coalesce(sublocation_type, '-')} AS unmapped
       FROM read_csv('${textPath}', delim = ' ', header = false, nullstr = '-', auto_detect = false, columns = {${columns}}))
       TO '${parquetPath}' (FORMAT parquet, COMPRESSION zstd)`,
    );
  });
}
