/**
 * What an empty results area offers before a tab's first run: a few questions analysts ask first, each in one
 * of the languages the query box takes, so a newcomer sees an answer in one click and learns that the box
 * reads Insights, Sumo and SQL alike. Each runs over the time range in force, like any query typed.
 */
export interface FirstQuery {
  label: string;
  query: string;
}

export const FIRST_QUERIES: readonly FirstQuery[] = [
  {
    label: 'Top talkers',
    query: 'stats sum(bytes) as bytes by srcAddr, dstAddr\n| sort bytes desc\n| limit 10',
  },
  {
    label: 'Traffic over time',
    query: 'stats sum(bytes) as bytes by bin(1h), action',
  },
  {
    label: 'Rejected ports (Sumo)',
    query: '_sourceCategory=vpc REJECT\n| count by dest_port\n| top 10 dest_port by _count',
  },
  {
    label: 'Records per action (SQL)',
    query: 'SELECT action, count(*) AS records\nFROM flows\nGROUP BY action\nORDER BY records DESC',
  },
];
