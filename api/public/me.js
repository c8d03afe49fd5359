/**
 * Who is signed in (GET /api/v1/me): the views show only the acts the user's role may perform, as
 * the acts listed on a blocker already do. The API still decides: this only spares a button that
 * would end in PERMISSION_DENIED.
 */
import { api } from './api.js';

let current = null;

export async function loadMe() {
  current = await api.get('/api/v1/me');
  return current;
}

export const me = () => current;
export const forgetMe = () => {
  current = null;
};
export const can = (permission) => Boolean(current?.permissions?.includes(permission));
