import { useEffect, useRef } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';

export interface Column {
  key: string;
  label: string;
  type?: 'text' | 'date';
  options?: ReadonlyArray<{ value: string; label: string }>;
  width?: number;
}

type Row = Record<string, string>;

/**
 * An editable list (medications, allergies, ...): one row of fields per entry, an Add
 * button, and errors shown next to the field they belong to (`path.index.key`).
 */
export function ListEditor({
  title,
  addLabel,
  columns,
  rows,
  onChange,
  errorFor,
  path,
}: {
  title: string;
  addLabel: string;
  columns: Column[];
  rows: Row[];
  onChange: (rows: Row[]) => void;
  errorFor: (key: string) => { error: boolean; helperText?: string };
  path: string;
}) {
  // "+ Add …" puts the cursor in the new row's first field, so typing can start at once.
  const rowsRef = useRef<HTMLDivElement>(null);
  const added = useRef(false);
  useEffect(() => {
    if (!added.current) return;
    added.current = false;
    const last = rowsRef.current?.lastElementChild;
    last?.querySelector<HTMLElement>('input:not([type="hidden"]):not([aria-hidden="true"]), [role="combobox"]')?.focus();
  }, [rows.length]);
  const empty = (): Row => Object.fromEntries(columns.map((c) => [c.key, c.options?.[0]?.value ?? '']));
  const set = (index: number, key: string, value: string) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, [key]: value } : r)));
  return (
    <Box component="fieldset" sx={{ border: 0, p: 0, m: 0, mb: 2 }}>
      <Typography component="legend" variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
        {title}
      </Typography>
      {rows.length === 0 && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          None recorded.
        </Typography>
      )}
      <div ref={rowsRef}>
      {rows.map((row, index) => (
        <Stack key={index} direction="row" spacing={1} sx={{ mb: 1, alignItems: 'flex-start' }}>
          {columns.map((c) => (
            <TextField
              key={c.key}
              label={`${c.label} ${index + 1}`}
              type={c.type === 'date' ? 'date' : 'text'}
              select={Boolean(c.options)}
              value={row[c.key] ?? ''}
              onChange={(e) => set(index, c.key, e.target.value)}
              sx={{ width: c.width ?? 'auto', flex: c.width ? undefined : 1 }}
              slotProps={c.type === 'date' ? { inputLabel: { shrink: true } } : undefined}
              {...errorFor(`${path}.${index}.${c.key}`)}
            >
              {c.options?.map((o) => (
                <MenuItem key={o.value} value={o.value}>
                  {o.label}
                </MenuItem>
              ))}
            </TextField>
          ))}
          <IconButton aria-label={`Remove ${title.toLowerCase()} ${index + 1}`} onClick={() => onChange(rows.filter((_r, i) => i !== index))}>
            ×
          </IconButton>
        </Stack>
      ))}
      </div>
      <Button
        size="small"
        onClick={() => {
          added.current = true;
          onChange([...rows, empty()]);
        }}
      >
        + {addLabel}
      </Button>
    </Box>
  );
}
