/**
 * Imported first by whatever runs in the renderer: the page's CSP has no 'unsafe-eval', so zod must not
 * compile validators with `new Function`, nor even probe whether it may (the probe alone is reported
 * as a CSP violation). Must run before any schema is used, hence its own module.
 */
import { z } from 'zod';

z.config({ jitless: true });
