/**
 * What the VS Code client and the language server say to each other beyond standard LSP: command
 * ids, custom requests and notifications, and their data. Imported by both sides (client/src and
 * server/src/lsp), so a change breaks the build instead of the cluster view. Types only, and
 * string constants: nothing here pulls code into either bundle.
 */
import type { PlanCluster, PlanHost, PlanContainer, PlanListener, PlanNode } from './core/plan';
import type { ClusterSpec } from './core/generate/cluster';

/** Commands (VS Code command ids; the server executes the ones it lists in executeCommandProvider). */
export const Commands = {
  /** re-read every workspace folder from disk and analyse it (server) */
  lintWorkspace: 'amq-cluster.lintWorkspace',
  /** ask for a reason, then insert a suppression comment (client; arguments: SuppressArguments) */
  suppress: 'amq-cluster.suppress',
  /** show a file a fix created (server: answered with window/showDocument; arguments: [uri]) */
  showCreatedFile: 'amq-cluster.showCreatedFile',
  showPortPlan: 'amq-cluster.showPortPlan',
  newCluster: 'amq-cluster.newCluster',
  refreshClusterView: 'amq-cluster.refreshClusterView',
  /** show every file read (kind, node) and every file left out (why) in an output channel (client; asks Requests.listFiles) */
  listFiles: 'amq-cluster.listFiles',
} as const;

/** Custom requests (client -> server). */
export const Requests = {
  /** the cluster view's data: PlanResponse */
  plan: 'amqCluster/plan',
  /** the port plan as Markdown: string */
  planMarkdown: 'amqCluster/planMarkdown',
  /** a new cluster's files: GenerateParams -> GenerateResponse */
  generate: 'amqCluster/generate',
  /** what was read and what was left out, per workspace folder: ListFilesResponse */
  listFiles: 'amqCluster/listFiles',
} as const;

/** Custom notifications (server -> client). */
export const Notifications = {
  /** an analysis finished; the cluster view should ask for the plan again: PlanChangedParams */
  planChanged: 'amqCluster/planChanged',
} as const;

/** `initializationOptions` the VS Code client sends. */
export interface InitializationOptions {
  /** the client implements Commands.suppress (asks for the reason) */
  suppressCommand?: boolean;
}

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Location {
  uri: string;
  range: Range;
}

/** Arguments of Commands.suppress: where to insert, and the comment around the reason. */
export type SuppressArguments = [uri: string, range: Range, prefix: string, suffix: string];

export type ListenerView = PlanListener & { location: Location };
export type NodeView = Omit<PlanNode, 'listeners'> & { location: Location; listeners: ListenerView[] };
export type ClusterView = Omit<PlanCluster, 'nodes'> & { nodes: NodeView[] };
export type HostView = Omit<PlanHost, 'listeners'> & { listeners: ListenerView[] };
export type ContainerView = PlanContainer & { location: Location };

/** The cluster picture of one workspace folder, with URIs and LSP ranges. */
export interface FolderPlan {
  /** workspace folder URI */
  folder: string;
  name: string;
  clusters: ClusterView[];
  hosts: HostView[];
  /** containers of compose files and Kubernetes manifests: service, image, published ports */
  containers: ContainerView[];
}

export type PlanResponse = FolderPlan[];

export interface PlanChangedParams {
  folder: string;
}

/** What the user chose in "New cluster..." (the target folder is given apart). */
export type NewClusterSpec = Pick<ClusterSpec, 'style' | 'nodes' | 'layout' | 'activemqVersion' | 'host'> & Partial<Pick<ClusterSpec, 'brokerName' | 'installRoot'>>;

export interface GenerateParams {
  spec: NewClusterSpec;
  /** the folder to write into (a file: URI) */
  folderUri: string;
}

export interface GeneratedFile {
  uri: string;
  content: string;
}

export type GenerateResponse = { error: string } | { files: GeneratedFile[]; summary: string; failoverUrl: string };

export interface LintWorkspaceResult {
  folders: number;
  findings: number;
}

/** A file the analysis reads, with what it holds. */
export interface ListedFile {
  /** workspace-relative path */
  file: string;
  /** the documents recognised in it (none: read, nothing recognised) */
  documents: { kind: string; node?: string; template?: boolean }[];
  /** a note: a version marker, a script, too large to analyse, an open buffer */
  note?: string;
}

/** A file or folder left out, with why (io/walk.ts SkipReason, or `open buffer` reasons). */
export interface LeftOutFile {
  file: string;
  folder: boolean;
  reason: string;
  detail: string;
}

export interface FolderFiles {
  /** workspace folder URI */
  folder: string;
  name: string;
  read: ListedFile[];
  leftOut: LeftOutFile[];
}

export interface ListFilesResponse {
  folders: FolderFiles[];
  /** the same as plain text, as the output channel shows it */
  text: string;
}
