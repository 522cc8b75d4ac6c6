import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';

/** A small table of roster rows, each with an Edit button (shared by the list editors). */
export function EntityTable<T extends { id: string; name: string }>({
  label,
  rows,
  columns,
  onEdit,
  selectedId,
  empty,
}: {
  label: string;
  rows: T[];
  columns: Array<{ title: string; value: (row: T) => React.ReactNode }>;
  onEdit: (row: T) => void;
  selectedId: string | null;
  /** What to do when there are no rows yet (an empty state that says what comes next). */
  empty?: React.ReactNode;
}) {
  return (
    <Paper sx={{ mb: 2 }}>
      <Table size="small" aria-label={label}>
        <TableHead>
          <TableRow>
            {columns.map((c) => (
              <TableCell key={c.title}>{c.title}</TableCell>
            ))}
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.length === 0 && empty && (
            <TableRow>
              <TableCell colSpan={columns.length + 1} sx={{ py: 2, color: 'text.secondary' }}>
                {empty}
              </TableCell>
            </TableRow>
          )}
          {rows.map((row) => (
            <TableRow key={row.id} selected={row.id === selectedId}>
              {columns.map((c) => (
                <TableCell key={c.title}>{c.value(row)}</TableCell>
              ))}
              <TableCell padding="none">
                <Button size="small" onClick={() => onEdit(row)} aria-label={`Edit ${row.name}`}>
                  Edit
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}
