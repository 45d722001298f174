/**
 * The ESLint rule `flowscope/layers`: which folders a file may import from, by where the import lands.
 * `no-restricted-imports` only sees the written specifier, so `../../cli/x` from the engine and from the
 * CLI look alike to it; this rule resolves a relative specifier against the importing file and checks the
 * folder it reaches. Its option is the whole table of fences, so the table in eslint.config.js is the one
 * place that says which arrows between layers are allowed.
 *
 *   ['error', [{ from: 'main/engine/', forbid: ['main/cli/', ...], why: 'The engine never depends on its hosts.' }]]
 */
import { dirname, relative, resolve, sep } from 'node:path';

const posix = (path) => path.split(sep).join('/');

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep imports within the allowed arrows between layers.' },
    schema: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            from: { type: 'string' },
            forbid: { type: 'array', items: { type: 'string' } },
            why: { type: 'string' },
          },
          required: ['from', 'forbid', 'why'],
          additionalProperties: false,
        },
      },
    ],
    messages: { forbidden: '{{file}} may not import {{target}}: {{why}}' },
  },
  create(context) {
    const root = context.cwd;
    const file = posix(relative(root, context.filename));
    const fences = (context.options[0] ?? []).filter((f) => file.startsWith(f.from));
    if (fences.length === 0) return {};
    const check = (node) => {
      const spec = node?.type === 'Literal' && typeof node.value === 'string' ? node.value : null;
      if (!spec?.startsWith('.')) return;
      const target = posix(relative(root, resolve(dirname(context.filename), spec)));
      for (const fence of fences) {
        if (fence.forbid.some((dir) => `${target}/`.startsWith(dir)))
          context.report({ node, messageId: 'forbidden', data: { file, target, why: fence.why } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};
