import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * An esbuild plugin for bundles split into chunks (the CLI): each dynamic `import()` of a bundled
 * CommonJS package gets its exports by name, as it does under Node.
 *
 * With `splitting`, esbuild puts a dynamically imported CommonJS package in a chunk that exports
 * only `default` (evanw/esbuild#3245), so `const { SendMessageBatchCommand } = await
 * import('@aws-sdk/client-sqs')` gives `undefined` in the bundle and works everywhere else. In the
 * built CLI that broke replay's dead-letter moves and visibility changes: a finding Slack refused for
 * good was handed back on every receive instead of moved to the DLQ with its reason.
 *
 * The plugin routes each such import through a small ES module that names every export the package
 * has at build time (read with `require`); packages that are external or not CommonJS are left alone.
 */
export function namedDynamicImports(): Plugin {
  return {
    name: 'named-dynamic-imports',
    setup(build) {
      const external = build.initialOptions.external ?? [];
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind !== 'dynamic-import' || args.path.startsWith('node:') || isExternal(args.path, external))
          return undefined;
        const names = commonJsExports(args.path, args.resolveDir);
        if (names === undefined) return undefined;
        return { path: args.path, namespace: NAMESPACE, pluginData: { names, resolveDir: args.resolveDir } };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const { names, resolveDir } = args.pluginData as { names: string[]; resolveDir: string };
        return { contents: facade(args.path, names), resolveDir, loader: 'js' };
      });
    },
  };
}

const NAMESPACE = 'named-dynamic-import';

/** An ES module re-exporting `names` of the CommonJS package `specifier` one by one. */
export function facade(specifier: string, names: readonly string[]): string {
  const lines = names.map((name) => `export const ${name} = cjs.${name};`);
  return [`import * as cjs from ${JSON.stringify(specifier)};`, ...lines, 'export default cjs.default;', ''].join('\n');
}

/**
 * The export names of `specifier` when it is a CommonJS package (`require` loads it and it is not an
 * ES module namespace); undefined for an ES module or a package that does not load here.
 */
function commonJsExports(specifier: string, resolveDir: string): string[] | undefined {
  const require = createRequire(join(resolveDir, 'noop.js'));
  let loaded: unknown;
  try {
    loaded = require(specifier);
  } catch {
    return undefined;
  }
  if (loaded === null || (typeof loaded !== 'object' && typeof loaded !== 'function')) return undefined;
  if ((loaded as Record<symbol, unknown>)[Symbol.toStringTag] === 'Module') return undefined;
  return Object.keys(loaded).filter((name) => IDENTIFIER.test(name) && name !== 'default' && name !== '__esModule');
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** True when `specifier` matches one of esbuild's `external` patterns (`*` is a wildcard). */
function isExternal(specifier: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const [head = '', tail] = pattern.split('*');
    if (tail === undefined) return specifier === pattern || specifier.startsWith(`${pattern}/`);
    return specifier.startsWith(head) && specifier.endsWith(tail) && specifier.length >= head.length + tail.length;
  });
}
