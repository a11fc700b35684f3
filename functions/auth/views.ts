// What the API shows of a user: never the password hash.
import type { UserRecord } from '../../shared/store/users.js';
import type { PublicUser } from '../../shared/schemas/auth.js';

export function publicUser(u: Pick<UserRecord, 'uid' | 'email' | 'displayName' | 'createdAt'>): PublicUser {
  return { uid: u.uid, email: u.email, displayName: u.displayName, createdAt: new Date(u.createdAt).toISOString() };
}
