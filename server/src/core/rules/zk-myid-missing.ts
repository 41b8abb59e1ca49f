import type { Rule } from './types';
import { isDistributed, ownServer } from '../model/workspace';
import { detectEol } from '../text';

/**
 * A ZooKeeper server of a distributed ensemble without `<dataDir>/myid` exits with
 * "myid file is missing".
 */
export const rule: Rule = {
  meta: {
    code: 'zk-myid-missing',
    description: 'A ZooKeeper server of a multi-server ensemble has no myid file in its dataDir.',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    // how many members of each ensemble have a myid (once per ensemble, not per member)
    const withMyId = new Map<unknown, number>();
    for (const z of ctx.model.zkNodes) if (z.myidFile && z.ensemble) withMyId.set(z.ensemble, (withMyId.get(z.ensemble) ?? 0) + 1);
    for (const z of ctx.model.zkNodes) {
      if (z.myidFile || !isDistributed(z)) continue;
      const dataDir = z.config.byKey.get('dataDir');
      if (!dataDir || dataDir.value.includes('${')) continue;
      // what is present decides: without a sibling's myid in the repository the files are
      // created at deployment (an image entrypoint, a provisioning tool), not forgotten
      const siblingsHaveMyId = (z.ensemble ? withMyId.get(z.ensemble) ?? 0 : 0) > 0;
      if (!siblingsHaveMyId) continue;
      const own = ownServer(z);
      const where = z.expectedMyidPath ?? `${dataDir.value}/myid`;
      const outOfNode = !z.expectedMyidPath && /(^|[\\/])\.\.([\\/]|$)/.test(dataDir.value)
        ? ` No file is offered: this dataDir leads out of the node folder through '..', so where myid lands on the machine is not a file of ${z.name}.`
        : '';
      const idHint = z.serverId !== undefined ? ` containing ${z.serverId} (the one server.N line no other member claims)` : ' containing the N of its server.N line';
      const eol = detectEol(ctx.text(z.file) ?? '\n');
      ctx.report({
        file: z.file,
        span: dataDir.valueSpan.end > dataDir.valueSpan.start ? { start: dataDir.valueSpan.start, end: dataDir.valueSpan.start + dataDir.value.length } : dataDir.keySpan,
        message: `${z.name} is one of ${z.config.servers.length} servers of an ensemble but has no myid; ZooKeeper exits with "myid file is missing". Create ${where}${idHint}.${outOfNode}`,
        related: own ? [{ file: z.file, span: own.entry.keySpan, message: `server.${own.idText} is this node` }] : [],
        fixes:
          z.serverId !== undefined && z.expectedMyidPath
            ? [{ title: `Create ${z.expectedMyidPath} with id ${z.serverId}`, edits: [], creates: [{ file: z.expectedMyidPath, content: `${z.serverId}${eol}` }], isPreferred: true }]
            : undefined,
      });
    }
  },
};
