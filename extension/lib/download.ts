// Saves an exported file: the background fetched it (it holds the token) and sent it as base64.
import { fromBase64, type ExportedFile } from './api';

export function saveFile(doc: Document, file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([fromBase64(file.base64)], { type: file.mimeType }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.style.display = 'none';
  (doc.body ?? doc.documentElement).append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
