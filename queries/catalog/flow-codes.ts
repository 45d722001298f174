/** Meanings of the coded flow-log fields `tcp-flags` and `traffic-path`, as the AWS documentation gives them. */

/** TCP header flags in bit order. Flow logs OR together the flags seen in the aggregation interval. */
export const TCP_FLAGS: readonly (readonly [string, number])[] = [
  ['FIN', 1],
  ['SYN', 2],
  ['RST', 4],
  ['PSH', 8],
  ['ACK', 16],
  ['URG', 32],
  ['ECE', 64],
  ['CWR', 128],
];

/** `traffic-path` (version 5+): the path egress traffic takes to its destination. */
export const TRAFFIC_PATHS: readonly (readonly [number, string])[] = [
  [1, 'Through another resource in the same VPC'],
  [2, 'Through an internet gateway or a gateway VPC endpoint'],
  [3, 'Through a virtual private gateway'],
  [4, 'Through an intra-region VPC peering connection'],
  [5, 'Through an inter-region VPC peering connection'],
  [6, 'Through a local gateway'],
  [7, 'Through a gateway VPC endpoint (Nitro-based instances only)'],
  [8, 'Through an internet gateway (Nitro-based instances only)'],
];
