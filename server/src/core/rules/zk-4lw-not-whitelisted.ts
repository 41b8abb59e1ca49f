import type { Rule } from './types';
import { atLeast } from '../sources/containers';
import { nodeOf, zkVersionOf } from '../containers-support';

const FOUR_LETTER = /\b(ruok|mntr|stat|srvr|conf|cons|crst|dump|envi|dirs|isro|wchs|wchc|wchp|srst|gtmk|stmk)\b/g;

/**
 * A health check or probe that sends a four-letter-word command ZooKeeper 3.5.3+ does not run:
 * only the commands in `4lw.commands.whitelist` are executed (default: `srvr` alone), every other
 * one is answered "<cmd> is not executed because it is not in the whitelist." and the check fails.
 */
export const rule: Rule = {
  meta: {
    code: 'zk-4lw-not-whitelisted',
    description: 'A container health check or probe uses a ZooKeeper four-letter command (ruok, mntr, stat, ...) that 4lw.commands.whitelist does not allow (3.5.3+).',
    defaultSeverity: 'warning',
    fixable: false,
    scope: 'cross-node',
  },
  check(ctx) {
    for (const c of ctx.model.containers) {
      if (c.probes.length === 0) continue;
      const node = nodeOf(ctx.model, c);
      if (!node || node.type !== 'zk') continue;
      const version = zkVersionOf(ctx.model, node);
      const v353 = atLeast(version, 3, 6) || (atLeast(version, 3, 5) && !/^3\.5\.[0-2](\D|$)/.test(version ?? ''));
      if (atLeast(version, 3, 5) === false || (version && !v353)) continue;
      const wl = node.config.byKey.get('4lw.commands.whitelist');
      if (wl && (wl.value.includes('${') || wl.value.trim() === '*')) continue;
      const allowed = new Set((wl?.value ?? 'srvr').split(',').map((s) => s.trim()).filter(Boolean));
      for (const p of c.probes) {
        const used = new Set<string>();
        for (const m of p.text.matchAll(FOUR_LETTER)) used.add(m[1]);
        // `zkServer.sh status` sends srvr
        const refused = [...used].filter((u) => !allowed.has(u));
        if (refused.length === 0) continue;
        ctx.report({
          file: c.file,
          span: p.span,
          severity: version ? undefined : 'information',
          message:
            `This check sends ${refused.join(', ')}, which ZooKeeper 3.5.3+ answers with "${refused[0]} is not executed because it is not in the whitelist." ` +
            `(4lw.commands.whitelist is ${wl ? `"${wl.value}"` : 'unset: srvr only'}), so ${c.name} is never healthy. Add ${refused.join(', ')} to 4lw.commands.whitelist${version ? '' : ' (the image version is unknown; 3.4 runs every command)'}.`,
          related: wl ? [{ file: node.file, span: wl.valueSpan, message: '4lw.commands.whitelist' }] : [],
        });
      }
    }
  },
};
