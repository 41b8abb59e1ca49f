import type { Rule } from './types';

const MB = 1024 * 1024;
const size = (n: number) => (n >= MB ? `${(n / MB).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

/**
 * A configuration file above the analysis size limit is not parsed (so that opening a huge file
 * cannot stall the editor); this rule says so, once, on its first line.
 */
export const rule: Rule = {
  meta: {
    code: 'file-too-large',
    description: 'A configuration file is larger than the analysis limit and was not checked.',
    defaultSeverity: 'warning',
    fixable: false,
    scope: 'file',
  },
  check(ctx) {
    const files = ctx.model.files;
    for (const [file, length] of files.oversize) {
      const text = ctx.text(file) ?? '';
      // the first line (after a BOM), at most 200 characters
      const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
      let end = start;
      while (end < text.length && end < start + 200 && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
      ctx.report({
        file,
        span: { start, end },
        message: `This file is ${size(length)}, above the ${size(files.maxFileSize)} analysis limit, so it was not checked, and checks of its cluster may be incomplete. Real ActiveMQ and ZooKeeper configuration files are a few KB; if this one is genuine, raise the limit (amqCluster.maxFileSize in the editor, --max-file-size on the command line).`,
      });
    }
  },
};
