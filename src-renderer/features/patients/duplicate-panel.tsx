import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import { formatPhone } from '../../../src-main/contract/phone.js';
import { navigate } from '../../app/router.js';

export interface DuplicateMatch {
  id: string;
  number: string;
  name: string;
  dateOfBirth: string;
  phone: string;
  email: string;
  reasons: string[];
}

/** Likely existing records, each with why it matches and a way to open it instead. */
export function DuplicatePanel({
  matches,
  title = 'This patient may already be registered',
  keepsDraft = false,
}: {
  matches: DuplicateMatch[];
  title?: string;
  /** On the registration stepper: opening a match keeps the form, which says so. */
  keepsDraft?: boolean;
}) {
  if (matches.length === 0) return null;
  return (
    <Alert severity="warning" sx={{ mb: 2, '& .MuiAlert-message': { flexGrow: 1 } }} aria-label="Possible duplicates">
      <AlertTitle>{title}</AlertTitle>
      <List dense disablePadding>
        {matches.map((m) => (
          <ListItem
            key={m.id}
            disableGutters
            secondaryAction={
              <Button size="small" onClick={() => navigate('patients', m.id)}>
                Open {m.number}
              </Button>
            }
          >
            <ListItemText
              primary={`${m.name} · ${m.number} · born ${m.dateOfBirth}${m.phone ? ` · ${formatPhone(m.phone)}` : ''}`}
              secondary={`Why: ${m.reasons.join('; ')}`}
            />
          </ListItem>
        ))}
      </List>
      {keepsDraft && 'Opening a record keeps this registration: come back with Alt+N (or Back) to finish it.'}
    </Alert>
  );
}
