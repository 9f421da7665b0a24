// The script inside report.html: the TypeScript in client/, bundled by scripts/build-client.mjs (part of
// `npm run build`) into one file beside the compiled report code, so an installed package has it without
// building anything. Read once, inlined into every page (the report stays one file that opens from disk).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../run/errors.js';

/** Run from source (tests, tsx) the bundle is the build's; compiled, it sits beside this module. */
export const CLIENT_BUNDLE = fileURLToPath(
  new URL(import.meta.url).pathname.endsWith('.ts')
    ? new URL('../../dist/lib/report/client.bundle.js', import.meta.url)
    : new URL('./client.bundle.js', import.meta.url),
);

/** What would end the inline <script> element early, or change how the HTML parser reads it. */
const UNSAFE_IN_SCRIPT = /<\/script|<!--/i;

let cached: string | null = null;

export function clientScript(): string {
  if (cached !== null) return cached;
  let text: string;
  try {
    text = readFileSync(CLIENT_BUNDLE, 'utf8');
  } catch (error) {
    throw new HarnessError(
      `report.html: its script ${CLIENT_BUNDLE} could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); it is made by \`npm run build\` (scripts/build-client.mjs), or reinstall the package`,
      { cause: error },
    );
  }
  if (UNSAFE_IN_SCRIPT.test(text))
    throw new HarnessError(
      `report.html: its script ${CLIENT_BUNDLE} contains "</script" or "<!--", which would break the page; rebuild it with \`npm run build\``,
    );
  cached = text;
  return text;
}
