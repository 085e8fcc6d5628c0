/** Entry point: the one script index.html loads (no inline code: the CSP allows none). */
import { render } from 'preact';
import { App } from './ui/App';

render(<App />, document.getElementById('app') as HTMLElement);
