import Alert from '@mui/material/Alert';
import type { AppError } from '../../src-main/contract/index.js';

export function ErrorBanner({ error }: { error: AppError | null }) {
  if (!error) return null;
  return (
    <Alert severity="error" role="alert" sx={{ my: 1 }}>
      {error.message}
    </Alert>
  );
}
