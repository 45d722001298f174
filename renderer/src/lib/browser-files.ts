/**
 * The browser host's file capabilities, for the socket client: a page never learns a file's path, so the
 * files it holds are uploaded to `flowscope serve` (which keeps them in the workspace's staging folder and
 * answers a handle), dropped folders are read through here, and an export comes back as a download. The
 * routes are the contract's (`UPLOAD_PATH`, `DOWNLOAD_PREFIX`); the session cookie goes along by itself.
 */
import { DOWNLOAD_PREFIX, UPLOAD_NAME_HEADER, UPLOAD_PATH } from '../../../preload/contract';
import type { ExportRequest, FlowscopeClient, SendProgress } from '../../../preload/rpc-client';
import { download } from './download';

/** Sends one file's bytes; answers its file handle. */
function uploadFile(file: File, onProgress: (loaded: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', UPLOAD_PATH);
    xhr.setRequestHeader(UPLOAD_NAME_HEADER, encodeURIComponent(file.name));
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded));
    xhr.addEventListener('load', () => {
      if (xhr.status === 200) resolve((JSON.parse(xhr.responseText) as { handle: string }).handle);
      else reject(new Error(xhr.responseText || `Upload failed (${xhr.status}).`));
    });
    xhr.addEventListener('error', () => reject(new Error('The upload was interrupted.')));
    xhr.send(file);
  });
}

/** Uploads the files one after the other, reporting the bytes sent of all of them. */
export async function uploadFiles(files: readonly File[], progress?: SendProgress): Promise<string[]> {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  progress?.({ done: 0, total });
  const handles: string[] = [];
  let before = 0;
  for (const file of files) {
    handles.push(await uploadFile(file, (loaded) => progress?.({ done: before + loaded, total })));
    before += file.size;
  }
  return handles;
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function filesOf(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile)
    return [await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))];
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const out: File[] = [];
  // readEntries answers in batches until it answers an empty one.
  for (let batch = await readEntries(reader); batch.length; batch = await readEntries(reader)) {
    for (const child of batch) out.push(...(await filesOf(child)));
  }
  return out;
}

/** Dropped files and the files inside dropped folders (hidden ones left out), uploaded. */
export function uploadDropped(dropped: DataTransfer, progress?: SendProgress): Promise<string[]> {
  // Entries must be taken while the drop event is being handled; the folder walk happens later.
  const files = [...dropped.files];
  const entries = [...dropped.items]
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry())
    .filter((x): x is FileSystemEntry => x !== null);
  return (async () => {
    const walked = entries.length ? (await Promise.all(entries.map(filesOf))).flat() : files;
    return uploadFiles(
      walked.filter((f) => !f.name.startsWith('.')),
      progress,
    );
  })();
}

/** Exports a result into the workspace's export folder, then fetches it once as the browser's download. */
export async function downloadExport(
  invoke: FlowscopeClient['invoke'],
  request: ExportRequest,
): ReturnType<FlowscopeClient['saveExport']> {
  const out = await invoke('export.result', request);
  if (out.downloadId) {
    const response = await fetch(`${DOWNLOAD_PREFIX}${out.downloadId}`, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(await response.text());
    download(out.fileName, await response.blob());
  }
  return out;
}
