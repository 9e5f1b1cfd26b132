// What each failure means for the admin, and what to do about it.
import type { ApiError } from '../api/client';

interface Explained {
  title: string;
  advice: string;
  /** Offer the options page. */
  options?: boolean;
  /** Offer "Try again". */
  retry?: boolean;
}

export function explain(error: ApiError): Explained {
  switch (error.kind) {
    case 'not-configured':
      return { title: 'Not connected yet', advice: 'Set the API URL and token in the extension options.', options: true };
    case 'unauthorized':
      return {
        title: 'The token was not accepted',
        advice: `${error.detail} Enter a valid token in the extension options.`,
        options: true,
      };
    case 'forbidden':
      return {
        title: 'No permission',
        advice: `${error.detail ? `${error.detail} ` : ''}Ask an account administrator for a token with the needed scope (audit:read to view, audit:export to export).`,
      };
    case 'not-found':
      return {
        title: 'Not available for this account',
        advice: 'The token belongs to another account, or the account does not exist. Check the account ID and token in the options.',
        options: true,
      };
    case 'offline':
      return {
        title: 'The audit trail cannot be reached',
        advice: 'Check your network connection and the API URL in the extension options, then try again.',
        retry: true,
        options: true,
      };
    case 'permission':
      return {
        title: 'Access to the API not granted',
        advice: 'Open the options and save again to allow access to the API.',
        options: true,
      };
    case 'invalid':
      return { title: 'The request was refused', advice: error.detail, retry: false };
    case 'server':
      return { title: 'Something went wrong', advice: `${error.detail} Try again in a moment.`, retry: true };
  }
}

export function ProblemMessage(props: { error: ApiError; onRetry?: () => void; onOptions?: () => void }) {
  const { title, advice, options, retry } = explain(props.error);
  return (
    <div class="problem" role="alert" data-state={props.error.kind}>
      <p class="problem-title">{title}</p>
      <p>{advice}</p>
      <p class="problem-actions">
        {retry && props.onRetry && (
          <button type="button" onClick={props.onRetry}>
            Try again
          </button>
        )}
        {options && props.onOptions && (
          <button type="button" onClick={props.onOptions}>
            Open options
          </button>
        )}
      </p>
    </div>
  );
}
