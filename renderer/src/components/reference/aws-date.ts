/** AWS writes ip-ranges.json's createDate as `2026-03-02-00-00-00` (UTC): shown as the app shows instants. */
export function awsDate(createDate: string | null): string {
  if (!createDate) return '—';
  const m = /^(\d{4}-\d\d-\d\d)-(\d\d)-(\d\d)-\d\d$/.exec(createDate);
  return m ? `${m[1]} ${m[2]}:${m[3]} UTC` : createDate;
}
