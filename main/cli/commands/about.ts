/**
 * `flowscope about [--json]`: the version, and every data set inside Flowscope with its licence, the
 * attribution that licence asks for and the installed snapshot (what the app's About view shows).
 */
import { write, type Command } from '../command';

export const aboutCommand: Command = {
  name: 'about',
  summary: "Show Flowscope's version and the data and software inside it, with their licences and attributions.",
  usage: 'about [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    // Loaded with the command, not with the command line, which must load no AWS SDK (cli-bundle.test.ts).
    const [{ aboutFlowscope }, { awsIpRangesFile, awsIpRangesState }] = await Promise.all([
      import('../../engine/about'),
      import('../../engine/ingest/aws/ip-ranges'),
    ]);
    const about = aboutFlowscope();
    const aws = await awsIpRangesState(awsIpRangesFile());
    if (args.values.json) {
      await write(io.out, `${JSON.stringify({ ...about, awsIpRanges: aws })}\n`);
      return 0;
    }
    const data = about.data.map(
      (d) =>
        `${d.data}${d.version ? ` (${d.package} ${d.version})` : ''}\n  ${d.source}\n  Licence: ${d.licence} ${d.licenceUrl}\n  ${d.attribution}\n` +
        (d.limits ? `  ${d.limits}\n` : '') +
        d.links.map((l) => `  ${l.label}: ${l.url}\n`).join(''),
    );
    const awsLine = aws.problem
      ? `${aws.file} cannot be read: ${aws.problem}`
      : aws.present
        ? `${aws.file}: created ${aws.createDate} (sync token ${aws.syncToken}), fetched ${aws.fetchedAt}`
        : `not fetched yet (flowscope aws ip-ranges --refresh, while online)`;
    const software = about.software.map((s) => `  ${s.name} (${s.licence}) ${s.url}\n`);
    await write(
      io.out,
      `${about.name} ${about.version} (${about.licence})\n\nData\n\n${data.join('\n')}  AWS ip-ranges.json: ${awsLine}\n\nSoftware\n${software.join('')}`,
    );
    return 0;
  },
};
