/**
 * Every field of the VPC Flow Logs record format (versions 2 to 8) and of the Transit Gateway
 * flow logs format, with the three names each one goes by:
 *  - `aws`: the name in the `${...}` log format string and in the header line AWS writes;
 *  - `column`: the Athena column name, which is also the workspace's `flows` column;
 *  - `insights`: the name CloudWatch Logs Insights discovers for it.
 *
 * This is the one source of truth for the workspace schema, the importers and the query languages.
 */

export type FieldType = 'VARCHAR' | 'SMALLINT' | 'INTEGER' | 'BIGINT';

export interface FlowField {
  aws: string;
  column: string;
  insights: string;
  type: FieldType;
  /** The first VPC flow log version that has the field; 0 for Transit Gateway-only fields. */
  since: number;
  /**
   * Not in the default format, so most records leave it empty (versions 3–8 and Transit Gateway fields): the
   * workspace keeps its value in the `extra` map under the AWS name and the `flows` view shows it as a column
   * computed from there. Each stored column costs an import time even when it is empty.
   */
  sparse: boolean;
  doc: string;
}

function field(aws: string, type: FieldType, since: number, doc: string, insights?: string): FlowField {
  const column = aws.replace(/-/g, '_');
  const camel = aws.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
  return { aws, column, insights: insights ?? camel, type, since, sparse: since !== 2, doc };
}

export const FLOW_FIELDS: readonly FlowField[] = [
  field('version', 'SMALLINT', 2, 'Flow log format version'),
  field('account-id', 'VARCHAR', 2, 'AWS account ID of the owner of the source network interface'),
  field('interface-id', 'VARCHAR', 2, 'ID of the network interface (ENI)'),
  field('srcaddr', 'VARCHAR', 2, 'Source address (IPv4 or IPv6)', 'srcAddr'),
  field('dstaddr', 'VARCHAR', 2, 'Destination address (IPv4 or IPv6)', 'dstAddr'),
  field('srcport', 'INTEGER', 2, 'Source port', 'srcPort'),
  field('dstport', 'INTEGER', 2, 'Destination port', 'dstPort'),
  field('protocol', 'SMALLINT', 2, 'IANA protocol number (6 TCP, 17 UDP, 1 ICMP)'),
  field('packets', 'BIGINT', 2, 'Packets transferred during the flow'),
  field('bytes', 'BIGINT', 2, 'Bytes transferred during the flow'),
  field('start', 'BIGINT', 2, 'Start of the aggregation interval, Unix seconds', 'start'),
  field('end', 'BIGINT', 2, 'End of the aggregation interval, Unix seconds', 'end'),
  field('action', 'VARCHAR', 2, 'ACCEPT or REJECT'),
  field('log-status', 'VARCHAR', 2, 'OK, NODATA or SKIPDATA'),
  field('vpc-id', 'VARCHAR', 3, 'ID of the VPC of the network interface'),
  field('subnet-id', 'VARCHAR', 3, 'ID of the subnet of the network interface'),
  field('instance-id', 'VARCHAR', 3, 'ID of the instance attached to the network interface'),
  field('tcp-flags', 'INTEGER', 3, 'Bitmask of TCP flags seen (FIN 1, SYN 2, RST 4, SYN-ACK 18)'),
  field('type', 'VARCHAR', 3, 'Traffic type: IPv4, IPv6 or EFA'),
  field('pkt-srcaddr', 'VARCHAR', 3, 'Packet-level (original) source address', 'pktSrcAddr'),
  field('pkt-dstaddr', 'VARCHAR', 3, 'Packet-level (original) destination address', 'pktDstAddr'),
  field('region', 'VARCHAR', 4, 'Region of the network interface'),
  field('az-id', 'VARCHAR', 4, 'Availability Zone ID'),
  field('sublocation-type', 'VARCHAR', 4, 'wavelength, outpost or localzone'),
  field('sublocation-id', 'VARCHAR', 4, 'ID of the sublocation'),
  field('pkt-src-aws-service', 'VARCHAR', 5, 'AWS service of the packet source address'),
  field('pkt-dst-aws-service', 'VARCHAR', 5, 'AWS service of the packet destination address'),
  field('flow-direction', 'VARCHAR', 5, 'ingress or egress, relative to the interface'),
  field('traffic-path', 'SMALLINT', 5, 'Path egress traffic takes (1 to 8)'),
  field('ecs-cluster-arn', 'VARCHAR', 7, 'ARN of the ECS cluster'),
  field('ecs-cluster-name', 'VARCHAR', 7, 'Name of the ECS cluster'),
  field('ecs-container-instance-arn', 'VARCHAR', 7, 'ARN of the ECS container instance'),
  field('ecs-container-instance-id', 'VARCHAR', 7, 'ID of the ECS container instance'),
  field('ecs-container-id', 'VARCHAR', 7, 'Docker ID of the first container of the task'),
  field('ecs-second-container-id', 'VARCHAR', 7, 'Docker ID of the second container of the task'),
  field('ecs-service-name', 'VARCHAR', 7, 'Name of the ECS service'),
  field('ecs-task-definition-arn', 'VARCHAR', 7, 'ARN of the ECS task definition'),
  field('ecs-task-arn', 'VARCHAR', 7, 'ARN of the ECS task'),
  field('ecs-task-id', 'VARCHAR', 7, 'ID of the ECS task'),
  field('reject-reason', 'VARCHAR', 8, 'Why traffic was rejected (BPA)'),
  // Transit Gateway flow logs.
  field('resource-type', 'VARCHAR', 0, 'TransitGateway or TransitGatewayAttachment'),
  field('tgw-id', 'VARCHAR', 0, 'ID of the transit gateway'),
  field('tgw-attachment-id', 'VARCHAR', 0, 'ID of the transit gateway attachment'),
  field('tgw-src-vpc-account-id', 'VARCHAR', 0, 'Account of the source VPC'),
  field('tgw-dst-vpc-account-id', 'VARCHAR', 0, 'Account of the destination VPC'),
  field('tgw-src-vpc-id', 'VARCHAR', 0, 'Source VPC ID'),
  field('tgw-dst-vpc-id', 'VARCHAR', 0, 'Destination VPC ID'),
  field('tgw-src-subnet-id', 'VARCHAR', 0, 'Source subnet ID'),
  field('tgw-dst-subnet-id', 'VARCHAR', 0, 'Destination subnet ID'),
  field('tgw-src-eni', 'VARCHAR', 0, 'Source ENI'),
  field('tgw-dst-eni', 'VARCHAR', 0, 'Destination ENI'),
  field('tgw-src-az-id', 'VARCHAR', 0, 'Source Availability Zone ID'),
  field('tgw-dst-az-id', 'VARCHAR', 0, 'Destination Availability Zone ID'),
  field('tgw-pair-attachment-id', 'VARCHAR', 0, 'Attachment ID of the other direction of the flow'),
  field('packets-lost-no-route', 'BIGINT', 0, 'Packets lost: no route'),
  field('packets-lost-blackhole', 'BIGINT', 0, 'Packets lost: blackhole route'),
  field('packets-lost-mtu-exceeded', 'BIGINT', 0, 'Packets lost: MTU exceeded'),
  field('packets-lost-ttl-expired', 'BIGINT', 0, 'Packets lost: TTL expired'),
];

/** The 14 fields of the default format, in order. */
export const DEFAULT_FORMAT: readonly string[] = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
];

/**
 * Columns the workspace adds to every record: times derived from `start`/`end` (UTC), integer forms of
 * IPv4 addresses for fast CIDR tests, fields of a newer format Flowscope does not know, and provenance (the
 * import, i.e. the file, S3 object or CloudWatch window, each record came from).
 */
export const DERIVED_COLUMNS = {
  start_time: 'TIMESTAMP',
  end_time: 'TIMESTAMP',
  src_ip4: 'UINTEGER',
  dst_ip4: 'UINTEGER',
  extra: 'MAP(VARCHAR, VARCHAR)',
  import_id: 'INTEGER',
} as const;

const byAws = new Map(FLOW_FIELDS.map((f) => [f.aws, f]));

export function fieldByAwsName(name: string): FlowField | undefined {
  return byAws.get(name);
}
