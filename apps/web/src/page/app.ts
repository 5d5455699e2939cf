// The page's one script, loaded twice: on the page it draws the form, the
// progress and the charts; loaded as a module worker (no document) it runs
// the models (worker.ts), so the page's thread never blocks on inference.
import { startPage } from './page.js';
import { startWorker } from './worker.js';

if (typeof document === 'undefined') startWorker();
else startPage();
