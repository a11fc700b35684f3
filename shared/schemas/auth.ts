// Request and response shapes of the auth API, declared once; the web site imports these too.
import { z } from 'zod';
import { DisplayName } from './display-name.js';

export { DisplayName };

export const Email = z.string().trim().max(254).pipe(z.email({ message: 'Enter a valid email address.' }));
/** 8 to 128 characters, no composition rules (NIST 800-63B); longer input is refused before hashing. */
export const Password = z.string().refine((p) => [...p].length >= 8, 'Use at least 8 characters.').refine((p) => [...p].length <= 128, 'Use at most 128 characters.');
export const RegisterBody = z.strictObject({ email: Email, password: Password, displayName: DisplayName });
export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(128) });
export const EraseBody = z.strictObject({ password: z.string().min(1).max(128) });

export type RegisterInput = z.infer<typeof RegisterBody>;

export interface PublicUser { uid: string; email: string; displayName: string; createdAt: string }
export interface MembershipView { tenantId: string; tenantName: string; role: 'admin' | 'member' }
export interface MeResponse { user: PublicUser; memberships: MembershipView[]; portal: { tenantId: string; clientId: string }[] }
export interface ApiErrorBody { error: { code: string; message: string; requestId: string; issues?: { path: string; message: string }[] } }
