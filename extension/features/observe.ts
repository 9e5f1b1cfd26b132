// Run a callback whenever the document changes, at most once per animation-free microtask
// batch, until the signal aborts. The observer dies with the signal (and with the content
// script's context, whose signal is passed in).
export function observeDocument(root: Document, signal: AbortSignal, onChange: () => void): void {
  if (signal.aborted) return;
  let queued = false;
  const run = () => {
    queued = false;
    if (!signal.aborted) onChange();
  };
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(run);
  });
  observer.observe(root.documentElement, { childList: true, subtree: true });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  onChange();
}
