import type { Rule } from './types';
import { zkAtLeast, describeZkVersion } from '../model/versions';
import { nodeOf } from '../containers-support';

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
      // 3.5.3+: only whitelisted commands run (default srvr); 3.4.10-3.5.2: all but wchc/wchp unless a whitelist is set; older: all
      const v353 = zkAtLeast(node.version, 3, 5, 3);
      const v3410 = zkAtLeast(node.version, 3, 4, 10);
      const wl = node.config.byKey.get('4lw.commands.whitelist');
      if (wl && (wl.value.includes('${') || wl.value.trim() === '*')) continue;
      let allowed: Set<string> | undefined;
      if (wl && v3410 !== false) allowed = new Set(wl.value.split(',').map((s) => s.trim()).filter(Boolean));
      else if (v353 === true || (v353 === undefined && v3410 !== false)) allowed = new Set(['srvr']);
      if (!allowed) continue;
      const known = v353 === true || (wl !== undefined && v3410 === true);
      for (const p of c.probes) {
        const used = new Set<string>();
        for (const m of p.text.matchAll(FOUR_LETTER)) used.add(m[1]);
        // `zkServer.sh status` sends srvr
        const refused = [...used].filter((u) => !allowed.has(u));
        if (refused.length === 0) continue;
        ctx.report({
          file: c.file,
          span: p.span,
          severity: known ? undefined : 'information',
          message:
            `This check sends ${refused.join(', ')}, which ZooKeeper 3.5.3+ answers with "${refused[0]} is not executed because it is not in the whitelist." ` +
            `(4lw.commands.whitelist is ${wl ? `"${wl.value}"` : 'unset: srvr only from 3.5.3'}), so ${c.name} is never healthy. Add ${refused.join(', ')} to 4lw.commands.whitelist${known ? '' : ' (the version is not known to be 3.5.3+; older servers run every command)'}.`,
          related: wl ? [{ file: node.file, span: wl.valueSpan, message: '4lw.commands.whitelist' }] : [],
        });
      }
    }
  },
};
