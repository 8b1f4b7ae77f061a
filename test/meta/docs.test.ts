import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The README a newcomer finishes, and the reference pages under docs/ behind it (STYLE.md habit 18):
 * the README stays short, every relative link of the README and the docs pages reaches a file that
 * exists (and a heading that exists, when it names one), and every docs page is linked from the README
 * or the docs index.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The most lines the README may have. */
const README_MAX_LINES = 300;

/** A Markdown page: its repository-relative path and its text. */
interface Page {
  readonly path: string;
  readonly text: string;
}

/** One link found on a page. */
interface Link {
  /** `page:line`. */
  readonly at: string;
  /** The target as written, e.g. `docs/tuning.md#benchmark-figures`. */
  readonly target: string;
}

const read = (path: string): Page => ({ path, text: readFileSync(join(root, path), 'utf8') });
const docsPages = readdirSync(join(root, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => read(`docs/${name}`));
const pages = [read('README.md'), ...docsPages];

/** The page's lines outside fenced code blocks, each with its 1-based line number. */
function proseLines(text: string): { readonly line: number; readonly text: string }[] {
  let fenced = false;
  return text.split('\n').flatMap((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [{ line: i + 1, text: line }];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (`-` and `_` kept), spaces to `-`. */
function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a page's headings, repeats numbered as GitHub does (`x`, `x-1`, …). */
function anchorsOf(page: Page): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text } of proseLines(page.text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = headingSlug(heading);
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

/** The relative links and images of a page (outside code), web and mail links left out. */
function linksOf(page: Page): Link[] {
  return proseLines(page.text).flatMap(({ line, text }) =>
    [...text.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
      .map((match) => match[1]!)
      .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
      .map((target) => ({ at: `${page.path}:${line}`, target })),
  );
}

/** Why a link does not resolve from `page`, or undefined when it does. */
function brokenLink(page: Page, link: Link, known: readonly Page[]): string | undefined {
  const [file = '', anchor] = link.target.split('#');
  const path =
    file === ''
      ? page.path
      : relative(root, resolve(root, dirname(page.path), file))
          .split('\\')
          .join('/');
  const target = known.find((candidate) => candidate.path === path);
  if (target === undefined && !existsSync(join(root, path))) return `${link.at}: ${link.target} (no file ${path})`;
  if (anchor === undefined || anchor === '') return undefined;
  if (target === undefined) return `${link.at}: ${link.target} (an anchor in a file that is not a Markdown page)`;
  return anchorsOf(target).has(anchor) ? undefined : `${link.at}: ${link.target} (no heading #${anchor} in ${path})`;
}

describe('the README', () => {
  it(`has at most ${README_MAX_LINES} lines`, () => {
    const lines = read('README.md').text.trimEnd().split('\n').length;

    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });
});

describe('links in the README and docs/', () => {
  it('reach a file that exists, and a heading that exists when they name one', () => {
    const broken = pages.flatMap((page) => linksOf(page).flatMap((link) => brokenLink(page, link, pages) ?? []));

    expect(broken).toEqual([]);
  });

  it('link every docs page from the README or the docs index', () => {
    const linked = new Set(
      [read('README.md'), read('docs/README.md')].flatMap((page) =>
        linksOf(page).map((link) =>
          relative(root, resolve(root, dirname(page.path), link.target.split('#')[0]!))
            .split('\\')
            .join('/'),
        ),
      ),
    );

    const unlinked = docsPages
      .map((page) => page.path)
      .filter((path) => path !== 'docs/README.md' && !linked.has(path));

    expect(docsPages.length).toBeGreaterThan(5);
    expect(unlinked).toEqual([]);
  });
});

describe('the link checker (it is not blind)', () => {
  it('makes GitHub anchors from headings', () => {
    expect(headingSlug('Alarms, dashboard and metrics')).toBe('alarms-dashboard-and-metrics');
    expect(headingSlug('Why not `@slack/web-api`')).toBe('why-not-slackweb-api');
    expect(headingSlug('Repeats')).toBe('repeats');
  });

  it('finds a missing file, a missing heading, and skips code and web links', () => {
    // Arrange: a made-up page beside the real ones.
    const page: Page = {
      path: 'docs/fake.md',
      text: [
        '# Fake',
        '[ok](tuning.md#benchmark-figures) [self](#fake) [web](https://example.com/x#y)',
        '[gone](nowhere.md) [no heading](tuning.md#no-such-heading)',
        '```md',
        '[in code](nowhere-either.md)',
        '```',
        '`[inline](nowhere-inline.md)`',
      ].join('\n'),
    };

    // Act
    const broken = linksOf(page).flatMap((link) => brokenLink(page, link, [...pages, page]) ?? []);

    // Assert
    expect(broken).toEqual([
      'docs/fake.md:3: nowhere.md (no file docs/nowhere.md)',
      'docs/fake.md:3: tuning.md#no-such-heading (no heading #no-such-heading in docs/tuning.md)',
    ]);
  });
});
