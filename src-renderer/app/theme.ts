import { createTheme } from '@mui/material/styles';

/**
 * Colours meet WCAG AA: every main colour carries white text at ≥ 4.5:1, and as text on white or on
 * the page background (outlined chips, links) it reads at ≥ 4.5:1 too. MUI's defaults do not (info
 * #0288d1 is 3.9:1, warning #ed6c02 is 3.2:1), so they are set here, once, for every screen.
 */
const FOCUS_RING = '#1a3a8f'; // 10:1 on white, 9:1 on the page background
const FOCUS_RING_ON_DARK = '#ffffff'; // 5.9:1 on the app bar's teal

export const theme = createTheme({
  palette: {
    primary: { main: '#0f6f6a' },
    secondary: { main: '#3d4db7' },
    info: { main: '#01579b' },
    success: { main: '#1b5e20' },
    warning: { main: '#9a4500' },
    error: { main: '#c62828' },
    background: { default: '#f4f6f8' },
    text: { secondary: 'rgba(0, 0, 0, 0.66)' },
  },
  shape: { borderRadius: 8 },
  typography: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif' },
  components: {
    MuiCssBaseline: {
      styleOverrides: {
        // `body` outranks MUI's own `outline: 0` on buttons. A clearly visible focus ring on everything reached by the keyboard (not on mouse clicks).
        'body :focus-visible, body .Mui-focusVisible': { outline: `3px solid ${FOCUS_RING}`, outlineOffset: '2px' },
        // On the dark app bar the ring is white.
        'body .MuiAppBar-root :focus-visible, body .MuiAppBar-root .Mui-focusVisible': { outlineColor: FOCUS_RING_ON_DARK },
        // Inside menus and lists the ring sits inside the row, so it is never clipped.
        'body .MuiMenuItem-root.Mui-focusVisible, body .MuiListItemButton-root.Mui-focusVisible, body .MuiTab-root.Mui-focusVisible': { outlineOffset: '-3px' },
        // Text boxes show focus by their thick border; the input inside gets no second ring.
        'body .MuiInputBase-input:focus-visible': { outline: 'none' },
        'body .MuiInputBase-root.Mui-focused': { outline: `3px solid ${FOCUS_RING}`, outlineOffset: '1px' },
      },
    },
    MuiButton: { defaultProps: { disableElevation: true } },
    MuiTextField: { defaultProps: { size: 'small', fullWidth: true } },
  },
});
