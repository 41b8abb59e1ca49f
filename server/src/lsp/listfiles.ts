/**
 * "Say what was read" in the editor: every file a folder's analysis reads, with the documents
 * recognised in it (kind, node), and every file or folder left out, with why. The server answers
 * `amqCluster/listFiles` with it (the VS Code client shows the text in an output channel) and logs
 * a summary of each folder after reading it.
 */
import { classify } from '../core/model/files';
import { isScript } from '../core/sources/recognize';
import type { Skipped } from '../io/walk';
import type { FolderFiles, LeftOutFile, ListedFile } from '../protocol';
import type { Folder, WorkspaceFiles } from './files';

/** Left-out entries a user must hear about at start-up (the others are rules: folders not walked, excludes, second paths). */
const QUIET = new Set<Skipped['reason']>(['folder-rule', 'excluded', 'duplicate']);
/** at most this many left-out lines in the start-up log of a folder */
export const MAX_LOGGED_SKIPS = 50;

function compare(a: { file: string }, b: { file: string }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

/** The report of one folder (its analysis must be current: the caller flushes first). */
export function folderFiles(folder: Folder, files: WorkspaceFiles): FolderFiles {
  const model = folder.service.fullResult().model;
  const docsBySource = new Map<string, ListedFile['documents']>();
  for (const d of model.files.docs.values()) {
    let arr = docsBySource.get(d.source);
    if (!arr) docsBySource.set(d.source, (arr = []));
    arr.push({ kind: d.kind, ...(d.name ? { node: d.name } : d.root ? { node: d.root } : {}), ...(d.template ? { template: true } : {}) });
  }
  const read: ListedFile[] = [];
  for (const file of folder.service.paths()) {
    const documents = docsBySource.get(file) ?? [];
    let note: string | undefined;
    if (model.files.oversize.has(file)) note = `larger than the analysis limit (${model.files.oversize.get(file)} characters): not analysed`;
    else if (documents.length === 0 && classify(file) === 'marker') note = 'a version marker (jar, Dockerfile or compose file)';
    else if (documents.length === 0 && isScript(file)) note = 'a script (read for sed substitutions)';
    else if (documents.length === 0) note = 'read; no configuration recognised';
    if (files.openDocFor(folder, file)) note = note ? `${note}; open in the editor` : 'open in the editor';
    read.push({ file, documents, ...(note ? { note } : {}) });
  }
  read.sort(compare);
  const leftOut: LeftOutFile[] = [...folder.skipped.values()].map((s) => ({ file: s.file, folder: s.folder, reason: s.reason, detail: s.detail }));
  // open buffers the analysis does not read
  for (const rel of folder.clientUris.keys()) {
    if (folder.service.hasFile(rel) || folder.skipped.has(rel)) continue;
    leftOut.push({ file: rel, folder: false, reason: 'open-buffer-left-out', detail: 'open in the editor, but the folder rule, an exclude pattern or a link leaves it out (or its name is not read)' });
  }
  leftOut.sort(compare);
  return { folder: folder.uri, name: folder.name, read, leftOut };
}

function describeRead(f: ListedFile): string {
  const docs = f.documents.map((d) => `${d.kind}${d.template ? ' (template)' : ''}${d.node ? ` node ${d.node}` : ''}`).join('; ');
  return `  read     ${f.file}${docs ? `  [${docs}]` : ''}${f.note ? `  (${f.note})` : ''}`;
}

function describeLeftOut(s: LeftOutFile): string {
  return `  skipped  ${s.file || '.'}${s.folder ? '/' : ''}  ${s.reason}: ${s.detail}`;
}

/** The plain-text report of some folders. */
export function renderFiles(folders: FolderFiles[]): string {
  const out: string[] = [];
  for (const f of folders) {
    const withConfig = f.read.filter((r) => r.documents.length > 0).length;
    out.push(`${f.name} (${f.folder}): ${f.read.length} files read (${withConfig} with configuration), ${f.leftOut.length} files or folders left out`);
    for (const r of f.read) out.push(describeRead(r));
    for (const s of f.leftOut) out.push(describeLeftOut(s));
    out.push('');
  }
  return out.join('\n');
}

/** The start-up lines of a folder: a count, then the left-out entries a user must hear about (bounded). */
export function loadSummary(folder: Folder, read: number, skipped: readonly Skipped[]): string[] {
  const loud = skipped.filter((s) => !QUIET.has(s.reason));
  const lines = [`${folder.name}: ${read} files read, ${skipped.length} files or folders left out (the command "List the files read" shows them all)`];
  for (const s of loud.slice(0, MAX_LOGGED_SKIPS)) lines.push(describeLeftOut(s));
  if (loud.length > MAX_LOGGED_SKIPS) lines.push(`  ... and ${loud.length - MAX_LOGGED_SKIPS} more`);
  return lines;
}
