import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BookApp } from './app.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BookApp />
  </StrictMode>,
);
