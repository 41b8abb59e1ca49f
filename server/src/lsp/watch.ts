/**
 * The file watchers the server registers (`workspace/didChangeWatchedFiles`): every name the folder
 * walk reads (`core/sources/recognize.ts` `isCandidate`) is watched for changes, and every path
 * for creation and deletion (a created folder brings files that get no events of their own; a
 * deleted one takes its files without any).
 *
 * The patterns follow `isCandidate`'s name patterns one by one; `test/lsp-hostile.test.ts` checks
 * that every path it accepts (fixture paths and a list of names per pattern) matches one of them.
 * LSP glob patterns (3.17) have `*`, `**`, `{a,b}` and `[...]`, no case folding: where a name
 * pattern of the walk ignores case, the watcher spells both cases out.
 */
import { WatchKind, type FileSystemWatcher } from 'vscode-languageserver';

/** `xml` -> `[xX][mM][lL]` */
export function anyCase(s: string): string {
  return s.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

/** extensions the walk reads in any case (CONFIG_EXT) */
const CONFIG_EXTS = ['xml', 'cfg', 'conf', 'properties', 'yml', 'yaml', 'env'];
/** template extensions (template.ts TEMPLATE_EXT, any case) */
const TEMPLATE_EXTS = ['j2', 'jinja', 'jinja2', 'erb', 'tmpl', 'tpl', 'gotmpl', 'template', 'sed', 'mustache', 'hbs', 'ftl', 'vm', 'in', 'ctmpl', 'epp'];

export const WATCHED_GLOBS: readonly string[] = [
  // known names without an extension; ZooKeeper dynamic configuration files (zoo1.cfg.dynamic.100000000)
  '**/{myid,.env,Makefile,GNUmakefile,makefile}',
  '**/*.cfg.dynamic*',
  // configuration behind an extension (any case), sources, scripts, jars
  ...CONFIG_EXTS.map((e) => `**/*.${anyCase(e)}`),
  '**/*.{java,kt,kts,groovy,scala,jar}',
  '**/*.{sh,bash,ksh,zsh}',
  // Dockerfiles, Containerfiles and entrypoint scripts
  '**/{Dockerfile,Containerfile}*',
  `**/*.${anyCase('dockerfile')}`,
  `**/*.${anyCase('containerfile')}`,
  '**/{entrypoint,docker-entrypoint}*',
  // templates (their inner name decides; the watcher takes them all)
  ...TEMPLATE_EXTS.map((e) => `**/*.${anyCase(e)}`),
  // Ansible: inventories without an extension (hosts, inventory, hosts.prod), host_vars/group_vars
  // files of any name, the files of inventory folders
  `**/${anyCase('hosts')}*`,
  `**/${anyCase('inventory')}*`,
  '**/{host_vars,group_vars}/**',
  '**/{inventory,inventories}/**',
  // Chef cookbook attributes (a version pinned there names the nodes' version)
  '**/attributes/*.rb',
  // the repository's configuration file (its settings, not a node)
  '**/.amq-cluster.json',
];

export function fileWatchers(): FileSystemWatcher[] {
  return [
    ...WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
    // folders and anything else: created (a copied node, a generated cluster) and deleted
    { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
  ];
}
