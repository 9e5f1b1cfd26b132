import { render } from 'preact';
import { browser } from 'wxt/browser';
import { messageClient } from '../../messaging/protocol';
import { Options } from '../../ui/options';
import '../../ui/shared.css';
import '../../ui/page.css';

render(
  <Options client={messageClient} requestOrigin={(pattern) => browser.permissions.request({ origins: [pattern] })} />,
  document.getElementById('app')!,
);
