// Where the connection is kept: extension storage, read by the background only.
import { storage } from 'wxt/utils/storage';
import type { Connection } from '../api/client';

export const connectionItem = storage.defineItem<Connection>('local:connection', {
  fallback: { apiUrl: '', accountId: '', token: '' },
});
