// The ★★ toolkit in a real browser, in Japanese: the journey is support/toolkit_journey.js.
import { journey } from '../support/toolkit_journey.js';

journey('ja');
