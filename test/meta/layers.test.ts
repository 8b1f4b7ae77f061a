import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The project's layers, read from the source with the TypeScript parser: every static import and
 * re-export, every `import('…')` and `import type`, checked against the direction of the layers
 * (docs: STYLE.md habit 13). Paths are repository-relative with forward slashes.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const LAYERS = ['shared', 'core', 'destinations', 'lambdas', 'stacks', 'cli', 'scripts', 'bench', 'devkit'] as const;

/** One import found in a source file. */
interface ImportEdge {
  /** The importing file, e.g. `consumer/batch.ts`. */
  readonly from: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** The imported file for a relative specifier, else undefined (a package). */
  readonly target: string | undefined;
  /** `file:line` of the import. */
  readonly at: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** The module specifier of an import or export declaration, or of a dynamic `import('…')` call. */
function specifierOf(node: ts.Node): ts.StringLiteralLike | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
    return ts.isStringLiteralLike(node.moduleSpecifier) ? node.moduleSpecifier : undefined;
  }
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    const [argument] = node.arguments;
    return argument !== undefined && ts.isStringLiteralLike(argument) ? argument : undefined;
  }
  if (
    ts.isImportTypeNode(node) &&
    ts.isLiteralTypeNode(node.argument) &&
    ts.isStringLiteralLike(node.argument.literal)
  ) {
    return node.argument.literal;
  }
  return undefined;
}

function importsOf(file: string): ImportEdge[] {
  const source = parse(file);
  const edges: ImportEdge[] = [];
  const visit = (node: ts.Node): void => {
    const literal = specifierOf(node);
    if (literal !== undefined) {
      const specifier = literal.text;
      const target = specifier.startsWith('.')
        ? relative(root, resolve(root, dirname(file), specifier))
            .split('\\')
            .join('/')
        : undefined;
      const line = source.getLineAndCharacterOfPosition(literal.getStart()).line + 1;
      edges.push({ from: file, specifier, target, at: `${file}:${line}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const files = LAYERS.flatMap((layer) => sourceFiles(layer));
const edges = files.flatMap(importsOf);

const layerOf = (path: string): string => path.split('/')[0] ?? path;
/** The adapter folder of a path under destinations/ (`destinations/slack-app`), or its family's shared folder. */
const adapterOf = (path: string): string => path.split('/').slice(0, 2).join('/');
/** The shared folder of an adapter's family: `destinations/slack` for `destinations/slack-app`. */
const familyOf = (adapter: string): string => adapter.replace(/-[^/-]+$/, '');
/** The runtime's entry made for the CLI (replay, preview, status). */
const CLI_ENTRY = 'lambdas/consumer/index.ts';
const isCdktf = (specifier: string): boolean =>
  specifier === 'cdktf' ||
  specifier === 'constructs' ||
  specifier.startsWith('cdktf/') ||
  specifier.startsWith('@cdktf/');
const describeEdge = (edge: ImportEdge): string => `${edge.at} imports ${edge.specifier}`;

/** The imports of `layer` that break `rule`, described. */
function offending(layer: string, rule: (edge: ImportEdge) => boolean): string[] {
  return edges.filter((edge) => layerOf(edge.from) === layer && rule(edge)).map(describeEdge);
}

/** Import cycles among files under `folder`, each as the list of files round it. */
function cyclesUnder(folder: string): string[][] {
  const graph = new Map<string, string[]>();
  for (const edge of edges) {
    if (!edge.from.startsWith(`${folder}/`) || edge.target === undefined || !edge.target.startsWith(`${folder}/`))
      continue;
    graph.set(edge.from, [...(graph.get(edge.from) ?? []), edge.target]);
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const walk = (node: string, path: readonly string[]): void => {
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (state.get(next) === undefined) walk(next, [...path, next]);
    }
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (state.get(node) === undefined) walk(node, [node]);
  return cycles;
}

describe('the import scanner', () => {
  it('sees static, type-only, re-exported and dynamic imports', () => {
    // Arrange: the scanner runs over real project files; these are known to hold each kind.
    const specifiers = (file: string) => edges.filter((edge) => edge.from === file).map((edge) => edge.specifier);

    // Act / Assert
    expect(files.length).toBeGreaterThan(100);
    expect(edges.some((edge) => edge.specifier.startsWith('.'))).toBe(true);
    expect(specifiers('shared/index.ts')).toContain('./severity.ts');
    expect(edges.filter((edge) => edge.target?.startsWith('shared/')).length).toBeGreaterThan(20);
  });

  it('resolves relative specifiers to repository paths', () => {
    const edge = importsOf('core/batch.ts').find((candidate) => candidate.specifier.startsWith('../shared/'));

    expect(edge?.target?.startsWith('shared/')).toBe(true);
  });
});

describe('the layers', () => {
  it('shared/ imports nothing of the project outside itself', () => {
    expect(offending('shared', (edge) => edge.target !== undefined && layerOf(edge.target) !== 'shared')).toEqual([]);
  });

  it('core/ (destination-neutral) imports only shared/: no adapter, Lambda wiring, cdktf, CLI or tooling', () => {
    expect(
      offending(
        'core',
        (edge) =>
          isCdktf(edge.specifier) || (edge.target !== undefined && !['core', 'shared'].includes(layerOf(edge.target))),
      ),
    ).toEqual([]);
  });

  it('destinations/: an adapter imports the core, shared/ and its family’s shared folder, never another adapter', () => {
    expect(
      offending('destinations', (edge) => {
        if (edge.target === undefined) return isCdktf(edge.specifier);
        if (['core', 'shared'].includes(layerOf(edge.target))) return false;
        if (layerOf(edge.target) !== 'destinations') return true;
        const from = adapterOf(edge.from);
        const to = adapterOf(edge.target);
        return to !== from && to !== familyOf(from);
      }),
    ).toEqual([]);
  });

  it('lambdas/ (the functions’ wiring) imports the core, the adapters and shared/, no CLI, stack or tooling code', () => {
    expect(
      offending(
        'lambdas',
        (edge) =>
          isCdktf(edge.specifier) ||
          (edge.target !== undefined && !['lambdas', 'core', 'destinations', 'shared'].includes(layerOf(edge.target))),
      ),
    ).toEqual([]);
  });

  it('stacks/ imports no runtime, CLI, build or dev-tooling code', () => {
    const forbidden = ['core', 'destinations', 'lambdas', 'cli', 'scripts', 'bench', 'devkit', 'test', 'main.ts'];
    expect(
      offending('stacks', (edge) => edge.target !== undefined && forbidden.includes(layerOf(edge.target))),
    ).toEqual([]);
  });

  it('cli/ (the shipped command) reaches the runtime only through lambdas/consumer/index.ts, and imports no stack, build, test or dev-tooling code', () => {
    expect(
      offending('cli', (edge) => {
        if (edge.target === undefined) return isCdktf(edge.specifier);
        if (['stacks', 'scripts', 'bench', 'devkit', 'test', 'main.ts'].includes(layerOf(edge.target))) return true;
        return ['core', 'destinations', 'lambdas'].includes(layerOf(edge.target)) && edge.target !== CLI_ENTRY;
      }),
    ).toEqual([]);
  });

  it('devkit/ (simulators, sandbox, local AWS) imports no test or benchmark code', () => {
    expect(
      offending('devkit', (edge) => edge.target !== undefined && ['test', 'bench'].includes(layerOf(edge.target))),
    ).toEqual([]);
  });

  it('has no import cycle in the runtime (type imports and re-exports count)', () => {
    const cycles = ['core', 'destinations', 'lambdas'].flatMap((folder) => cyclesUnder(folder));
    expect(cycles.map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('flags an import against the direction (the checker is not blind)', () => {
    // Arrange: a made-up import of stacks/ from cli/.
    const fake: ImportEdge = {
      from: 'cli/x.ts',
      specifier: '../stacks/names.ts',
      target: 'stacks/names.ts',
      at: 'cli/x.ts:1',
    };
    edges.push(fake);

    // Act
    const found = offending('cli', (edge) => edge.target !== undefined && layerOf(edge.target) === 'stacks');
    edges.pop();

    // Assert
    expect(found).toEqual(['cli/x.ts:1 imports ../stacks/names.ts']);
  });

  it('finds a cycle when there is one (the checker is not blind)', () => {
    // Arrange: a made-up pair of files importing each other.
    const fake: ImportEdge[] = [
      { from: 'x/a.ts', specifier: './b.ts', target: 'x/b.ts', at: 'x/a.ts:1' },
      { from: 'x/b.ts', specifier: './a.ts', target: 'x/a.ts', at: 'x/b.ts:1' },
    ];
    edges.push(...fake);

    // Act
    const cycles = cyclesUnder('x');
    edges.splice(edges.length - fake.length, fake.length);

    // Assert
    expect(cycles).toEqual([['x/a.ts', 'x/b.ts', 'x/a.ts']]);
  });
});

/** Functions longer than this many lines (first to last, docblock excluded) fail; STYLE.md habit 14. */
const MAX_FUNCTION_LINES = 60;

/** A name for a function-like node: its own, its variable's, its property's or its class's. */
function functionName(node: ts.FunctionLikeDeclaration): string {
  if (ts.isConstructorDeclaration(node))
    return `${ts.isClassLike(node.parent) ? (node.parent.name?.text ?? 'class') : 'class'} constructor`;
  if (node.name !== undefined) return node.name.getText();
  const parent = node.parent;
  if (
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) &&
    parent.name !== undefined
  ) {
    return parent.name.getText();
  }
  return '(anonymous)';
}

/** Every function, method, constructor and arrow function in a file with its length in lines. */
function functionLengths(file: string): { readonly at: string; readonly name: string; readonly lines: number }[] {
  const source = parse(file);
  const found: { at: string; name: string; lines: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const declaration = node as ts.FunctionLikeDeclaration;
      const first = source.getLineAndCharacterOfPosition(declaration.getStart()).line;
      const last = source.getLineAndCharacterOfPosition(declaration.getEnd()).line;
      found.push({ at: `${file}:${first + 1}`, name: functionName(declaration), lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('function length outside the tests', () => {
  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = [...files, 'main.ts']
      .flatMap(functionLengths)
      .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
      .map((fn) => `${fn.at} ${fn.name}: ${fn.lines} lines`);

    expect(long).toEqual([]);
  });

  it('measures a function from its first line to its last', () => {
    const [handler] = functionLengths('lambdas/bundle.ts');
    const lengths = functionLengths('shared/names.ts');

    expect(handler).toBeUndefined();
    expect(lengths.find((fn) => fn.name === 'hubBusName')).toMatchObject({ lines: 1 });
  });
});

describe('honest types outside the tests', () => {
  it('has no `as unknown as` cast', () => {
    const casts = files.flatMap((file) =>
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\bas unknown as\b/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );

    expect(casts).toEqual([]);
  });

  it('reads no environment variable in the runtime outside the functions’ runtime.ts (the logger and metrics take `env` as an option)', () => {
    const reads = files
      .filter((file) => ['core', 'destinations', 'lambdas'].includes(layerOf(file)) && !file.endsWith('/runtime.ts'))
      .flatMap((file) =>
        readFileSync(join(root, file), 'utf8')
          .split('\n')
          .flatMap((line, i) => (/process\.env(?:\.|\[)/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
      );

    expect(reads).toEqual([]);
  });
});

/** Each error class declared in a file (`class X extends Y`) with what it extends. */
function errorClasses(file: string): { readonly name: string; readonly base: string; readonly at: string }[] {
  const source = parse(file);
  return source.statements.flatMap((statement) => {
    if (!ts.isClassDeclaration(statement) || statement.name === undefined) return [];
    const base = statement.heritageClauses
      ?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)
      ?.types[0]?.expression.getText();
    if (base === undefined || !/Error$/.test(base)) return [];
    const line = source.getLineAndCharacterOfPosition(statement.getStart()).line + 1;
    return [{ name: statement.name.text, base, at: `${file}:${line}` }];
  });
}

describe('error classes', () => {
  const BASES = { shared: 'ConfigError', runtime: 'ConsumerError', stacks: 'StacksError', cli: 'CliError' } as const;
  /** The layers of each family of errors: the runtime is the core, the adapters and the functions. */
  const LAYERS_OF: Readonly<Record<keyof typeof BASES, readonly string[]>> = {
    shared: ['shared'],
    runtime: ['core', 'destinations', 'lambdas'],
    stacks: ['stacks'],
    cli: ['cli', 'devkit'],
  };

  it.each(Object.entries(BASES))('every error class under %s descends from %s', (family, base) => {
    const layers = LAYERS_OF[family as keyof typeof BASES];
    const classes = files.filter((file) => layers.includes(layerOf(file))).flatMap(errorClasses);
    const parentOf = new Map(classes.map((cls) => [cls.name, cls.base]));
    const reaches = (name: string): boolean => {
      for (let at: string | undefined = name, hops = 0; at !== undefined && hops < 20; at = parentOf.get(at), hops += 1)
        if (at === base) return true;
      return false;
    };

    const strays = classes
      .filter((cls) => cls.name !== base && !reaches(cls.name))
      .map((cls) => `${cls.at} ${cls.name} extends ${cls.base}`);

    expect(classes.some((cls) => cls.name === base)).toBe(true);
    expect(strays).toEqual([]);
  });
});
