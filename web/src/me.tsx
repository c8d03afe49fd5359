/**
 * Who is signed in (GET /api/v1/me): the views show only the acts the user's role may perform, as
 * the acts listed on a blocker already do. The API still decides: this only spares a button that
 * would end in PERMISSION_DENIED.
 */
import { createContext, useContext } from 'react';

export interface Me {
  name: string;
  role: string;
  permissions: string[];
  [key: string]: unknown;
}

export const MeContext = createContext<Me | null>(null);

/** `can('close:start')`: whether the signed-in user's role holds the permission. */
export function useCan(): (permission: string) => boolean {
  const me = useContext(MeContext);
  return (permission) => Boolean(me?.permissions?.includes(permission));
}

export const useMe = (): Me | null => useContext(MeContext);
