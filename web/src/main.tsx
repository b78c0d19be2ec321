import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { setApiBase } from './api';
import { loadAuthMode } from './cognito';
import { setMapStyleUrl } from './mapStyle';
import './styles.css';

// Deployed, /config.json names the API's path and the hosted UI; locally it is absent.
void loadAuthMode().then((auth) => {
  if (auth.kind === 'cognito') {
    setApiBase(auth.config.apiBaseUrl);
    setMapStyleUrl(auth.config.mapStyleUrl);
  }
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <App auth={auth} />
    </StrictMode>,
  );
});
