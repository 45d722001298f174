/**
 * Main's shell IPC (main/electron/shell-ipc.ts) driven through doubles of ipcMain, dialog and the
 * window's engine, with the real drop record over real files and the real AWS consent over a dialog
 * double: the sender check and the argument schemas of every channel, the drop rules, the AWS consent.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { BrowserWindow, MessageBoxOptions, WebContents } from 'electron';
import { AwsConsent } from '../../../main/electron/aws-consent';
import { DropRecords } from '../../../main/electron/dropped-paths';
import { registerShellIpc, type ShellIpcHost } from '../../../main/electron/shell-ipc';
import { shellInvokes, shellSends, type Settled } from '../../../preload/shell-channels';

const dir = mkdtempSync(join(tmpdir(), 'flowscope-shell-ipc-'));
const droppedFile = join(dir, 'flows.log');
const droppedFolder = join(dir, 'AWSLogs');
writeFileSync(droppedFile, '2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK\n');
mkdirSync(droppedFolder);
after(() => rmSync(dir, { recursive: true, force: true }));

const APP_PAGE = 'app://flowscope/index.html';

interface Frame {
  url: string;
}

/** One window of ours (web contents 7) and everything main does recorded. */
function shell(options: { answer?: { response: number; checkboxChecked?: boolean }; now?: () => number } = {}) {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const warnings: string[] = [];
  const asked: MessageBoxOptions[] = [];
  const registered: string[][] = [];
  const calls: { channel: string; input: unknown }[] = [];
  let connects = 0;
  const dialogs = { open: [] as string[], save: [] as string[] };
  const workspaceMenu: string[] = [];
  const window = { id: 1 } as unknown as BrowserWindow;
  const engine = {
    connect: async () => void connects++,
    registerFiles: async (paths: string[]) => {
      registered.push(paths);
      return paths.map((_, i) => `fh_handle${i}`);
    },
    call: async (channel: string, input: unknown): Promise<Settled> => {
      calls.push({ channel, input });
      return { ok: true, value: { jobId: 'job-1' } };
    },
  };
  const mainFrame: Frame = { url: APP_PAGE };
  const ours = { id: 7, mainFrame } as unknown as WebContents;
  const host: ShellIpcHost = {
    ipcMain: {
      handle: (channel: string, listener: (event: never, ...args: never[]) => unknown) =>
        void handlers.set(channel, listener as never),
      on: (channel: string, listener: (event: never, ...args: never[]) => unknown) =>
        void handlers.set(channel, listener as never),
    } as unknown as ShellIpcHost['ipcMain'],
    dialog: {
      showOpenDialog: async (_window: unknown, { title }: { title?: string }) => {
        dialogs.open.push(title ?? '');
        return { canceled: false, filePaths: [droppedFile] };
      },
      showSaveDialog: async (_window: unknown, { defaultPath }: { defaultPath?: string }) => {
        dialogs.save.push(defaultPath ?? '');
        return { canceled: false, filePath: join(dir, 'out.csv') };
      },
    } as unknown as ShellIpcHost['dialog'],
    workspaceOf: (contents) => (contents === ours ? { engine, window } : null),
    drops: new DropRecords(options.now),
    consent: new AwsConsent(async (_window, box) => {
      asked.push(box);
      return { response: options.answer?.response ?? 0, checkboxChecked: options.answer?.checkboxChecked ?? false };
    }),
    workspaceMenu: {
      openWorkspace: () => void workspaceMenu.push('open'),
      newWorkspace: () => void workspaceMenu.push('new'),
    },
    warn: (message) => void warnings.push(message),
  };
  registerShellIpc(host);
  /** `url`: what our own window's main frame shows at the time (it may have been navigated elsewhere). */
  const send = async (
    channel: string,
    args: unknown[],
    sender: { contents?: WebContents; frame?: Frame | null; url?: string } = {},
  ): Promise<unknown> => {
    const contents = sender.contents ?? ours;
    const frame = sender.frame === undefined ? (contents as unknown as { mainFrame: Frame }).mainFrame : sender.frame;
    mainFrame.url = sender.url ?? APP_PAGE;
    return handlers.get(channel)!({ sender: contents, senderFrame: frame }, ...args);
  };
  return {
    send,
    handlers,
    warnings,
    asked,
    registered,
    calls,
    dialogs,
    workspaceMenu,
    connects: () => connects,
    strangers: {
      subframe: { frame: { url: APP_PAGE } },
      otherPage: { url: 'https://evil.example/' },
      notOurs: { contents: { id: 8, mainFrame: { url: APP_PAGE } } as unknown as WebContents },
      goneFrame: { frame: null },
    },
  };
}

/** Valid arguments for every channel, so that only the sender differs. */
const VALID_ARGS: Record<string, unknown[]> = {
  [shellInvokes.pickFiles.channel]: [],
  [shellInvokes.dropFiles.channel]: [[droppedFile]],
  [shellInvokes.pickSaveTarget.channel]: ['result', 'csv'],
  [shellInvokes.awsCall.channel]: ['aws.buckets', {}],
  [shellSends.ready.channel]: [],
  [shellSends.dropped.channel]: [[{ path: droppedFile, kind: 'file' }]],
  [shellSends.openWorkspace.channel]: [],
  [shellSends.newWorkspace.channel]: [],
};

test('every shell channel is declared once, and main listens on each', () => {
  const { handlers } = shell();
  const declared = [...Object.values(shellInvokes), ...Object.values(shellSends)].map((spec) => spec.channel);
  assert.deepEqual([...handlers.keys()].sort(), [...declared].sort());
  assert.deepEqual(Object.keys(VALID_ARGS).sort(), [...declared].sort());
});

test('every channel refuses, and logs, a sender that is not our window’s main frame on our page', async () => {
  for (const [channel, args] of Object.entries(VALID_ARGS)) {
    const ipc = shell();
    for (const [who, sender] of Object.entries(ipc.strangers)) {
      const before = ipc.warnings.length;
      const answer = await ipc.send(channel, args, sender);
      const spec = Object.values(shellInvokes).find((s) => s.channel === channel);
      if (spec) assert.deepEqual(answer, spec.refused, `${channel} from ${who}`);
      assert.equal(ipc.warnings.length, before + 1, `${channel} from ${who} is logged`);
      assert.match(ipc.warnings.at(-1)!, /not a workspace window's own page/);
    }
    assert.deepEqual(
      [ipc.registered, ipc.calls, ipc.asked, ipc.dialogs.open, ipc.dialogs.save, ipc.workspaceMenu, ipc.connects()],
      [[], [], [], [], [], [], 0],
      `${channel}: nothing happened for a stranger`,
    );
  }
});

test('our page, with arguments that fit, is served on every channel', async () => {
  const ipc = shell();
  await ipc.send(shellSends.ready.channel, []);
  assert.equal(ipc.connects(), 1);
  assert.deepEqual(await ipc.send(shellInvokes.pickFiles.channel, []), ['fh_handle0']);
  await ipc.send(shellSends.dropped.channel, [[{ path: droppedFile, kind: 'file' }]]);
  assert.deepEqual(await ipc.send(shellInvokes.dropFiles.channel, [[droppedFile]]), ['fh_handle0']);
  assert.deepEqual(await ipc.send(shellInvokes.pickSaveTarget.channel, ['../../etc/result', 'csv']), 'fh_handle0');
  assert.deepEqual(ipc.dialogs.save, ['result.csv'], 'the suggested name is only a file name');
  assert.deepEqual(await ipc.send(shellInvokes.awsCall.channel, ['pull.s3', { url: 's3://my-logs/AWSLogs/' }]), {
    ok: true,
    value: { jobId: 'job-1' },
  });
  await ipc.send(shellSends.newWorkspace.channel, []);
  await ipc.send(shellSends.openWorkspace.channel, []);
  assert.deepEqual(ipc.workspaceMenu, ['new', 'open'], "the page's switcher runs the File menu's commands");
  assert.deepEqual(ipc.warnings, []);
});

test('arguments that do not fit a channel’s schema are refused and logged', async () => {
  const bad: [string, unknown[]][] = [
    [shellInvokes.pickFiles.channel, ['/etc/passwd']],
    [shellInvokes.dropFiles.channel, ['/etc/passwd']],
    [shellInvokes.dropFiles.channel, [[]]],
    [shellInvokes.dropFiles.channel, [[42]]],
    [shellInvokes.pickSaveTarget.channel, ['result', 'EXE!']],
    [shellInvokes.pickSaveTarget.channel, ['result']],
    [shellInvokes.awsCall.channel, ['query.run', { query: 'SELECT 1' }]],
    [shellInvokes.awsCall.channel, ['workspace.info']],
    [shellSends.dropped.channel, [[{ path: droppedFile, kind: 'device' }]]],
    [shellSends.dropped.channel, [droppedFile]],
    [shellSends.ready.channel, ['extra']],
  ];
  for (const [channel, args] of bad) {
    const ipc = shell();
    const answer = await ipc.send(channel, args);
    const spec = Object.values(shellInvokes).find((s) => s.channel === channel);
    if (spec) assert.deepEqual(answer, spec.refused, channel);
    assert.equal(ipc.warnings.length, 1, `${channel} ${JSON.stringify(args)}`);
    assert.match(ipc.warnings[0]!, /do not fit the channel/);
    assert.deepEqual([ipc.registered, ipc.calls, ipc.asked, ipc.connects()], [[], [], [], 0]);
  }
});

test('drop-files registers only what the user dropped: a folder only when a folder was dropped', async () => {
  const ipc = shell();
  const sshDir = join(homedir(), '.ssh');
  await ipc.send(shellSends.dropped.channel, [[{ path: droppedFile, kind: 'file' }]]);
  assert.deepEqual(await ipc.send(shellInvokes.dropFiles.channel, [[droppedFolder, sshDir, '/etc/passwd']]), []);
  assert.deepEqual(ipc.registered, []);
  assert.equal(ipc.warnings.length, 3);
  for (const warning of ipc.warnings) assert.match(warning, /refused the dropped path .*: not in the last drop/);

  await ipc.send(shellSends.dropped.channel, [
    [
      { path: droppedFolder, kind: 'folder' },
      { path: droppedFile, kind: 'file' },
    ],
  ]);
  assert.deepEqual(await ipc.send(shellInvokes.dropFiles.channel, [[droppedFolder, droppedFile]]), [
    'fh_handle0',
    'fh_handle1',
  ]);
  assert.deepEqual(ipc.registered, [[droppedFolder, droppedFile]]);
  assert.deepEqual(await ipc.send(shellInvokes.dropFiles.channel, [[droppedFile]]), [], 'each drop is used once');
});

test('a dropped path must still be what was dropped, and the drop must be recent', async () => {
  let now = 0;
  const ipc = shell({ now: () => now });
  await ipc.send(shellSends.dropped.channel, [
    [
      { path: droppedFolder, kind: 'file' },
      { path: droppedFile, kind: 'folder' },
      { path: 'relative/flows.log', kind: 'file' },
      { path: join(dir, 'gone.log'), kind: 'file' },
    ],
  ]);
  const asked = [droppedFolder, droppedFile, 'relative/flows.log', join(dir, 'gone.log')];
  assert.deepEqual(await ipc.send(shellInvokes.dropFiles.channel, [asked]), []);
  assert.deepEqual(
    ipc.warnings.map((w) => w.replace(/^.*: /, '')),
    [
      'dropped as a file, but is not a regular file.',
      'dropped as a folder, but is not one.',
      'not an absolute path.',
      'does not exist.',
    ],
  );
  await ipc.send(shellSends.dropped.channel, [[{ path: droppedFile, kind: 'file' }]]);
  now += 61_000;
  assert.deepEqual(await ipc.send(shellInvokes.dropFiles.channel, [[droppedFile]]), []);
  assert.match(ipc.warnings.at(-1)!, /no drop on this window in the last minute/);
  assert.deepEqual(ipc.registered, []);
});

test('an AWS call reaches the engine only once the user allowed it in a dialog that names it', async () => {
  const declined = shell({ answer: { response: 1 } });
  const pull = { url: 's3://my-logs/AWSLogs/', profile: 'prod', region: 'eu-west-1' };
  const outcome = (await declined.send(shellInvokes.awsCall.channel, ['pull.s3', pull])) as Settled;
  assert.equal(outcome.ok, false);
  assert.equal(!outcome.ok && outcome.error.code, 'cancelled');
  assert.deepEqual(declined.calls, []);
  assert.equal(declined.asked.length, 1);
  assert.match(declined.asked[0]!.message, /download the flow logs under s3:\/\/my-logs\/AWSLogs\//);
  assert.match(declined.asked[0]!.detail!, /As the AWS profile "prod" in eu-west-1/);
  assert.equal(declined.asked[0]!.checkboxLabel, undefined, 'a pull is asked every time');

  const allowed = shell({ answer: { response: 0 } });
  await allowed.send(shellInvokes.awsCall.channel, ['pull.s3', pull]);
  await allowed.send(shellInvokes.awsCall.channel, ['pull.s3', pull]);
  assert.equal(allowed.asked.length, 2);
  assert.deepEqual(allowed.calls, [
    { channel: 'pull.s3', input: { ...pull, concurrency: 4 } },
    { channel: 'pull.s3', input: { ...pull, concurrency: 4 } },
  ]);
});

test('a remote query is asked every time, showing where it runs, its text and that AWS bills it', async () => {
  const ipc = shell({ answer: { response: 0, checkboxChecked: true } });
  const target = { engine: 'athena', table: 'logs.vpc_flow_logs', maxScanBytes: 10_000_000, profile: 'prod' };
  const query = 'SELECT srcaddr, sum(bytes) FROM vpc_flow_logs GROUP BY 1';
  const run = { query, target, timeRange: { from: '2026-03-02T00:00:00Z', to: null } };
  await ipc.send(shellInvokes.awsCall.channel, ['remote.run', run]);
  await ipc.send(shellInvokes.awsCall.channel, ['remote.run', run]);
  assert.equal(ipc.asked.length, 2, 'a query run is asked every time');
  assert.equal(ipc.asked[0]!.checkboxLabel, undefined);
  assert.equal(
    ipc.asked[0]!.message,
    'Flowscope is about to run a query in Amazon Athena on the table logs.vpc_flow_logs (records from 2026-03-02T00:00:00Z to now), which AWS bills by the data it scans, refused if it would scan more than 10000000 bytes.',
  );
  assert.match(
    ipc.asked[0]!.detail!,
    /^As the AWS profile "prod" in the profile's region\.\n\nThe query:\nSELECT srcaddr/,
  );
  assert.deepEqual(
    ipc.calls.map((c) => c.channel),
    ['remote.run', 'remote.run'],
  );

  const long = {
    query: `fields @message | filter @message like /${'x'.repeat(2000)}/`,
    target: { engine: 'cloudwatch', logGroups: ['/vpc/a', '/vpc/b'] },
  };
  await ipc.send(shellInvokes.awsCall.channel, ['remote.run', long]);
  assert.match(ipc.asked[2]!.message, /in CloudWatch Logs Insights on \/vpc\/a, \/vpc\/b, which AWS bills/);
  assert.ok(ipc.asked[2]!.detail!.length < 1000, 'a long query is shown cut');

  // The estimate lists the table's files: a listing, so a ticked box spares asking again for that target.
  await ipc.send(shellInvokes.awsCall.channel, ['remote.plan', { query, target }]);
  await ipc.send(shellInvokes.awsCall.channel, ['remote.plan', { query, target }]);
  assert.equal(ipc.asked.length, 4);
  assert.match(
    ipc.asked[3]!.message,
    /look up what a query would scan in Amazon Athena on the table logs\.vpc_flow_logs/,
  );
});

test('a listing allowed with the box ticked is not asked again in that window for the same profile', async () => {
  const ipc = shell({ answer: { response: 0, checkboxChecked: true } });
  const target = { profile: 'prod', region: 'eu-west-1' };
  await ipc.send(shellInvokes.awsCall.channel, ['aws.buckets', target]);
  await ipc.send(shellInvokes.awsCall.channel, ['aws.buckets', target]);
  await ipc.send(shellInvokes.awsCall.channel, ['aws.logGroups', target]);
  assert.equal(ipc.asked.length, 1);
  await ipc.send(shellInvokes.awsCall.channel, ['aws.buckets', { ...target, profile: 'dev' }]);
  await ipc.send(shellInvokes.awsCall.channel, ['pull.cloudwatch', { ...target, logGroup: '/vpc/flows' }]);
  assert.equal(ipc.asked.length, 3, 'another profile, and any pull, are asked');
  assert.equal(ipc.calls.length, 5);
});

test('an AWS call whose input does not fit its channel is refused without asking', async () => {
  const ipc = shell();
  const outcome = (await ipc.send(shellInvokes.awsCall.channel, ['pull.s3', { url: 'file:///etc/passwd' }])) as Settled;
  assert.equal(!outcome.ok && outcome.error.code, 'bad_request');
  assert.deepEqual([ipc.asked, ipc.calls], [[], []]);
});
