/** The approvers' console: a Preact app served by Warden's API at /console (api/web/console.ts). */
import { render } from 'preact';
import { App } from './app';
import './styles.css';

render(<App />, document.getElementById('app')!);
