/** First step of `npm test`: stop at once, with one line, when the e2e tests would have no browser. */
import { findBrowser } from './find-browser.js';

const found = findBrowser();
if (!found.ok) {
  console.error(`npm test: ${found.message}`);
  process.exit(1);
}
