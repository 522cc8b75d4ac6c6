import { useId, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';

/** Rarely needed fields (map coordinates) behind an "Advanced" switch; always open while they hold something or an error. */
export function Advanced({ open: initiallyOpen, children, label = 'Advanced' }: { open?: boolean; children: React.ReactNode; label?: string }) {
  const [open, setOpen] = useState(!!initiallyOpen);
  const id = useId();
  const shown = open || !!initiallyOpen;
  return (
    <Box>
      <Button size="small" aria-expanded={shown} aria-controls={id} onClick={() => setOpen(!shown)}>
        <span aria-hidden="true">{shown ? '▾' : '▸'}</span>&nbsp;{label}
      </Button>
      <Box id={id} hidden={!shown} sx={{ mt: 1 }}>
        {shown && children}
      </Box>
    </Box>
  );
}
