import { createContext, useContext } from 'react';
import type { StaffInfo } from '../../src-main/contract/index.js';

/** The signed-in staff member, provided by the app shell to every screen. */
export const SignedInContext = createContext<StaffInfo | null>(null);

export const useSignedIn = (): StaffInfo | null => useContext(SignedInContext);
